package io.charter.orderer.service;

/** The transport methods an orderer serves (messages in {@code common/src/main/proto/charter/orderer.proto}). */
public final class OrdererMethods {

    /** Unary: Envelope bytes in, {@code BroadcastResponse} out, once the envelope is committed or refused. */
    public static final String BROADCAST = "orderer.Broadcast";
    /** Server stream: {@code DeliverRequest} in, Block bytes out. */
    public static final String DELIVER = "orderer.Deliver";

    /**
     * Unary: a signed ORDERER_ADMIN Envelope of an {@code OrdererJoinChannelRequest} (a genesis block) in,
     * {@code OrdererJoinChannelResponse} out (joined, or already joined with the same block); an admin of an
     * organization of the genesis block's configuration only.
     */
    public static final String JOIN_CHANNEL = "orderer.JoinChannel";
    /** Unary: a signed ORDERER_ADMIN Envelope of an {@code OrdererChannelsRequest} in, the caller's channels out. */
    public static final String CHANNELS = "orderer.Channels";

    private OrdererMethods() {}
}
