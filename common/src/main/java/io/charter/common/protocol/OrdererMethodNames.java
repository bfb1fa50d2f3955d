package io.charter.common.protocol;

/**
 * The names of the transport methods an orderer serves (messages in
 * {@code common/src/main/proto/charter/orderer.proto}), the one place both sides of the wire take them from: the
 * orderer registers them (with its access table, {@code io.charter.orderer.service.OrdererMethods}), peers and
 * the SDK call them. A name is part of the wire contract: renaming one breaks every client already deployed.
 */
public final class OrdererMethodNames {

    /** Unary: Envelope bytes in, {@code BroadcastResponse} out, once the envelope is committed or refused. */
    public static final String BROADCAST = "orderer.Broadcast";
    /** Server stream: {@code DeliverRequest} in, Block bytes out. */
    public static final String DELIVER = "orderer.Deliver";
    /** Unary administration: a signed {@code OrdererJoinChannelRequest} (a genesis block) in, joined or refused. */
    public static final String JOIN_CHANNEL = "orderer.JoinChannel";
    /** Unary administration: a signed {@code OrdererChannelsRequest} in, the orderer's channels out. */
    public static final String CHANNELS = "orderer.Channels";
    /** Unary administration: a signed {@code LogSpecRequest} in, {@code LogSpecResponse} out. */
    public static final String LOG_SPEC = "orderer.LogSpec";
    /** Unary administration: a signed {@code OrdererLeaveChannelRequest} in, {@code OrdererLeaveChannelResponse} out. */
    public static final String LEAVE_CHANNEL = "orderer.LeaveChannel";

    private OrdererMethodNames() {}
}
