package io.charter.client.sdk;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import io.charter.common.protocol.OrdererMethodNames;
import io.charter.common.transport.ErrorCode;
import io.charter.protocol.HeaderType;
import io.charter.protocol.OrdererLeaveChannelResponse;
import io.charter.protocol.LogSpecRequest;
import io.charter.protocol.LogSpecResponse;
import io.charter.protocol.OrdererAdminRefusal;
import io.charter.protocol.OrdererAdminRequest;
import io.charter.protocol.OrdererChannel;
import io.charter.protocol.OrdererChannelsRequest;
import io.charter.protocol.OrdererChannelsResponse;
import io.charter.protocol.OrdererJoinChannelRequest;
import io.charter.protocol.OrdererJoinChannelResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Administers one orderer's channel membership over its transport ({@code orderer.JoinChannel},
 * {@code orderer.Channels}), as {@link PeerAdmin} does for a peer: each request is signed by the identity (an
 * ORDERER_ADMIN envelope with a fresh nonce and the signing time, docs/protocol-encodings.md) and sent on a
 * mutual-TLS connection with the identity's TLS certificate; the orderer accepts it from an ADMIN of an
 * organization of the channel. Works against any orderer, the local network's plain cores included (which have no
 * channel participation REST API). A refusal is an {@link OrdererAdminException} with the orderer's stable code
 * (docs/orderer.md).
 */
public final class OrdererAdmin implements AutoCloseable {

    static final String JOIN_CHANNEL = OrdererMethodNames.JOIN_CHANNEL;
    static final String CHANNELS = OrdererMethodNames.CHANNELS;
    static final String LOG_SPEC = OrdererMethodNames.LOG_SPEC;
    static final String LEAVE_CHANNEL = OrdererMethodNames.LEAVE_CHANNEL;

    private final AdminConnection connection;

    private OrdererAdmin(AdminConnection connection) {
        this.connection = connection;
    }

    /** A channel the orderer has joined; {@code alreadyJoined} when it had, from the same genesis block. */
    public record JoinedChannel(String channelId, long height, String leader, String role, boolean alreadyJoined) {}

    /**
     * A refused or failed administration call to an orderer (codes: docs/orderer.md, and {@link NodeAdminException}).
     * Branch on {@link #refusal()}, the orderer's refusal as the wire's enum; {@link #code()} names it too, or the
     * failure of the call when the orderer refused nothing.
     */
    public static final class OrdererAdminException extends NodeAdminException {
        private static final long serialVersionUID = 1L;
        private final OrdererAdminRefusal refusal;

        OrdererAdminException(String code, boolean refused, ErrorCode transportCode, String message, Throwable cause) {
            super(code, transportCode, message, cause);
            this.refusal = refused ? refusalOf(code) : OrdererAdminRefusal.ORDERER_ADMIN_REFUSAL_UNSPECIFIED;
        }

        /**
         * Why the orderer refused: the value its error frame's reason names ({@code NOT_ADMIN}, ...);
         * {@code ORDERER_ADMIN_REFUSAL_UNSPECIFIED} when the call failed without a refusal of the orderer (unreachable, timed
         * out, not served: see {@link #code()}); {@code UNRECOGNIZED} for a code this SDK does not know (a newer
         * orderer's; {@link #code()} has its name).
         */
        public OrdererAdminRefusal refusal() {
            return refusal;
        }

        /** The wire value a refusal code names, {@code UNRECOGNIZED} for any other text; never throws. */
        public static OrdererAdminRefusal refusalOf(String code) {
            EnumValueDescriptor value = OrdererAdminRefusal.getDescriptor().findValueByName(code);
            return value == null ? OrdererAdminRefusal.UNRECOGNIZED : OrdererAdminRefusal.valueOf(value);
        }
    }

    /**
     * Connects to the orderer's transport at {@code host:port}, trusting {@code trustRoots} for its TLS certificate.
     * The connection opens on the first call.
     */
    public static OrdererAdmin connect(Identity identity, Collection<X509Certificate> trustRoots, String host, int port,
                                       Duration timeout) {
        return new OrdererAdmin(AdminConnection.open(identity, trustRoots, host, port, timeout, HeaderType.ORDERER_ADMIN,
                "orderer", "an older version? use --orderer-admin URL", OrdererAdminException::new));
    }

    /** Makes the orderer join the channel of {@code genesis} (block 0) as a consenter; idempotent for the same block. */
    public JoinedChannel join(byte[] genesis) {
        OrdererJoinChannelResponse response = parse(call(JOIN_CHANNEL, OrdererAdminRequest.newBuilder()
                .setJoinChannel(OrdererJoinChannelRequest.newBuilder().setGenesisBlock(ByteString.copyFrom(genesis)))
                .build()), OrdererJoinChannelResponse.parser());
        return channel(response.getChannel(), response.getAlreadyJoined());
    }

    /** A channel the orderer left: its height there when left, and whether its blocks were deleted. */
    public record LeftChannel(String channelId, long height, boolean dataRemoved) {}

    /**
     * Makes the orderer leave a joined channel without stopping it; it does not rejoin it when restarted. With
     * {@code removeData} its blocks are deleted, otherwise kept (a join with the same genesis block takes them
     * back). Refused with NOT_JOINED for a channel it has not joined.
     */
    public LeftChannel leave(String channelId, boolean removeData) {
        OrdererLeaveChannelResponse response = parse(call(LEAVE_CHANNEL, OrdererAdminRequest.newBuilder()
                .setLeaveChannel(io.charter.protocol.OrdererLeaveChannelRequest.newBuilder().setChannelId(channelId)
                        .setRemoveData(removeData)).build()), OrdererLeaveChannelResponse.parser());
        return new LeftChannel(response.getChannelId(), response.getHeight(), response.getDataRemoved());
    }

    /** The channels the orderer has joined of which the identity is an admin. */
    public List<JoinedChannel> channels() {
        return parse(call(CHANNELS, OrdererAdminRequest.newBuilder().setChannels(OrdererChannelsRequest.getDefaultInstance())
                .build()), OrdererChannelsResponse.parser()).getChannelsList().stream().map(c -> channel(c, true)).toList();
    }

    private static JoinedChannel channel(OrdererChannel c, boolean alreadyJoined) {
        return new JoinedChannel(c.getChannelId(), c.getHeight(), c.getLeader(), c.getRole(), alreadyJoined);
    }

    /**
     * The log levels of the orderer's process in Fabric's log spec format; with {@code spec} present, replaces them
     * first and answers those now in force (refusals: INVALID_LOG_SPEC, NOT_ADMIN, ...).
     */
    public String logSpec(Optional<String> spec) {
        return parse(call(LOG_SPEC, OrdererAdminRequest.newBuilder().setLogSpec(LogSpecRequest.newBuilder()
                .setSpec(spec.orElse(""))).build()), LogSpecResponse.parser()).getSpec();
    }

    private ByteString call(String method, OrdererAdminRequest request) {
        return connection.call(method, request.toByteString());
    }

    private <T> T parse(ByteString bytes, com.google.protobuf.Parser<T> parser) {
        return connection.parse(bytes, parser);
    }

    @Override
    public void close() {
        connection.close();
    }
}
