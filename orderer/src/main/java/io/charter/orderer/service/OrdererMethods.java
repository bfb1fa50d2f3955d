package io.charter.orderer.service;

/** The transport methods an orderer serves (messages in {@code common/src/main/proto/charter/orderer.proto}). */
public final class OrdererMethods {

    /** Unary: Envelope bytes in, {@code BroadcastResponse} out, once the envelope is committed or refused. */
    public static final String BROADCAST = "orderer.Broadcast";
    /** Server stream: {@code DeliverRequest} in, Block bytes out. */
    public static final String DELIVER = "orderer.Deliver";

    private OrdererMethods() {}
}
