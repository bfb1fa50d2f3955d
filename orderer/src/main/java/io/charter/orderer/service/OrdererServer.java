package io.charter.orderer.service;

import io.charter.common.admin.SignedAdminEnvelopes;
import io.charter.common.pki.SubjectName;
import io.charter.common.protocol.OrdererMethodNames;
import io.charter.common.transport.MethodAccess;
import io.charter.common.transport.TransportLimits;
import io.charter.common.transport.TransportRefusals;
import io.charter.common.transport.TransportServer;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.common.transport.tls.TlsTrust;
import io.charter.orderer.access.ChannelTrusts;
import io.charter.orderer.administration.OrdererAdministration;
import io.charter.orderer.broadcast.BroadcastValidator;
import io.charter.orderer.channel.ChannelInfo;
import io.charter.orderer.channel.ChannelObserver;
import io.charter.orderer.channel.ChannelOrderer;
import io.charter.orderer.channel.OrderingNode;
import io.charter.orderer.channel.OrderingNodeConfig;
import io.charter.protocol.Block;
import io.charter.protocol.HeaderType;
import java.io.IOException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A whole orderer without Spring: the {@link OrderingNode} (Raft per channel, block stores) with the
 * {@link BroadcastValidator}, the metrics, and the Netty mutual-TLS transport serving
 * {@link OrdererMethods#BROADCAST} and {@link OrdererMethods#DELIVER}, and the signed channel participation
 * requests {@link OrdererMethods#JOIN_CHANNEL} and {@link OrdererMethods#CHANNELS} ({@link OrdererAdministration}).
 *
 * <p>Transport trust: the TLS roots and CRLs of the organizations of every joined channel, plus the
 * bootstrap roots of the {@link ChannelTrusts}, read again at every handshake (so joining a channel
 * admits its organizations at once). Who may call what is decided per call: broadcast by the envelope's
 * creator and the Writers policy, deliver by the caller's TLS certificate and the Readers policy.
 */
public final class OrdererServer implements AutoCloseable {

    private final OrderingNode node;
    private final ChannelTrusts trusts;
    private final OrdererMetrics metrics;
    private final TransportServer transport;
    private final BroadcastHandler broadcast;
    private final OrdererAdministration administration;

    /** Where and how the transport listens. */
    public record TransportSettings(String host, int port, TlsCredentials credentials, TransportLimits limits) {
        public TransportSettings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(limits, "limits");
        }
    }

    private OrdererServer(OrderingNodeConfig base, TransportSettings settings, ChannelTrusts trusts, OrdererMetrics metrics,
            ChannelObserver extra) throws IOException {
        this.trusts = trusts;
        this.metrics = metrics;
        OrderingNodeConfig config = new OrderingNodeConfig(base.clusterEndpoint(), base.dataDirectory(), base.identity(),
                base.raft(), base.tls(), base.blockStore(), base.channel(), new BroadcastValidator(trusts),
                extra == ChannelObserver.NONE ? metrics : new ChannelObserver() {
                    @Override
                    public void blockCommitted(String channelId, long blockNumber, int envelopes, long nanos) {
                        metrics.blockCommitted(channelId, blockNumber, envelopes, nanos);
                        extra.blockCommitted(channelId, blockNumber, envelopes, nanos);
                    }
                });
        this.node = OrderingNode.start(config);
        for (ChannelInfo info : node.channels()) {
            node.channel(info.channelId()).ifPresent(this::track);
        }
        this.broadcast = new BroadcastHandler(node, metrics);
        this.administration = new OrdererAdministration(node, trusts, this::join, this::leave,
                SubjectName.from(settings.credentials().chain().getFirst()).map(SubjectName::organization).orElse(""));
        TransportServer server = null;
        try {
            TransportServer.Builder builder = TransportServer.builder(settings.credentials(), dynamicTrust(trusts, node))
                    .bind(settings.host(), settings.port())
                    .limits(settings.limits())
                    .unary(OrdererMethodNames.BROADCAST, OrdererMethods.access(OrdererMethodNames.BROADCAST), broadcast)
                    .serverStream(OrdererMethodNames.DELIVER, OrdererMethods.access(OrdererMethodNames.DELIVER),
                            new DeliverHandler(node, trusts, metrics));
            server = new AdminMethods(administration, new SignedAdminEnvelopes(HeaderType.ORDERER_ADMIN, Clock.systemUTC()))
                    .registerOn(builder)
                    .build()
                    .start();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        this.transport = server;
        metrics.bindTransport(server.refusals());
    }

    public static OrdererServer start(
            OrderingNodeConfig base, TransportSettings transport, ChannelTrusts trusts, OrdererMetrics metrics)
            throws IOException {
        return new OrdererServer(base, transport, trusts, metrics, ChannelObserver.NONE);
    }

    /** With one more observer of block commits besides the metrics (benchmarks). */
    public static OrdererServer start(OrderingNodeConfig base, TransportSettings transport, ChannelTrusts trusts,
            OrdererMetrics metrics, ChannelObserver extra) throws IOException {
        return new OrdererServer(base, transport, trusts, metrics, extra);
    }

    /** The TLS roots and CRLs of every joined channel's current configuration, read at each handshake. */
    private static TlsTrust dynamicTrust(ChannelTrusts trusts, OrderingNode node) {
        return new TlsTrust() {
            @Override
            public Collection<X509Certificate> trustedRoots() {
                refresh();
                return trusts.tlsRoots();
            }

            @Override
            public Collection<X509CRL> currentCrls() {
                refresh();
                return trusts.crls();
            }

            private void refresh() {
                // a config block may have changed the organizations since the last request
                node.joined().forEach(channel -> trusts.of(channel.config()));
            }
        };
    }

    private void track(ChannelOrderer channel) {
        trusts.of(channel.config());
        metrics.bind(channel);
    }

    /** Joins a channel from its genesis block (see {@link OrderingNode#join(Block)}). */
    public ChannelOrderer join(Block genesis) throws IOException {
        ChannelOrderer channel = node.join(genesis);
        track(channel);
        return channel;
    }

    /**
     * Joins a channel as one of {@code consenters}, a set the channel's configuration does not list
     * yet: a config update adding this orderer follows (see {@link OrderingNode#join(Block, List)}).
     */
    public ChannelOrderer join(Block genesis, java.util.List<io.charter.protocol.Consenter> consenters) throws IOException {
        ChannelOrderer channel = node.join(genesis, consenters);
        track(channel);
        return channel;
    }

    /** Leaves a channel and deletes its data (see {@link OrderingNode#remove}). */
    public void remove(String channelId) throws IOException {
        leave(channelId, true);
    }

    /** Leaves a channel, its blocks kept aside or deleted (see {@link OrderingNode#leave}). */
    public void leave(String channelId, boolean removeData) throws IOException {
        node.leave(channelId, removeData);
        metrics.unbind(channelId);
        trusts.forget(channelId);
    }

    public OrderingNode node() {
        return node;
    }

    /** The channel participation operations (join, list), shared by the transport and the REST API. */
    public OrdererAdministration administration() {
        return administration;
    }

    public ChannelTrusts trusts() {
        return trusts;
    }

    public OrdererMetrics metrics() {
        return metrics;
    }

    public BroadcastHandler broadcast() {
        return broadcast;
    }

    /** The transport's port (useful when it was bound to port 0). */
    public int port() {
        return transport.port();
    }

    /** The methods this orderer serves and who may call them, as its transport enforces them. */
    public Map<String, MethodAccess> accessTable() {
        return transport.accessTable();
    }

    /** What the transport refused since the orderer started, by reason (for the metrics). */
    public TransportRefusals transportRefusals() {
        return transport.refusals();
    }

    public List<ChannelInfo> channels() {
        return node.channels();
    }

    /** Closes the transport first (no new calls), then the orderer. */
    @Override
    public void close() throws IOException {
        try {
            transport.close();
        } finally {
            node.close();
        }
    }
}
