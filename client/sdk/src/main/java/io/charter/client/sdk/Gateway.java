package io.charter.client.sdk;

import io.charter.common.membership.MembershipClient;
import io.charter.common.membership.MembershipException;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.ReconnectBackoff;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportException;
import io.charter.common.transport.tls.ExpectedServer;
import io.charter.common.transport.tls.TlsTrust;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The entry point of the SDK: an identity connected to a Charter network. It finds a channel's peers
 * and orderers through the membership service's discovery (or takes explicit endpoints), and keeps one
 * mutual-TLS transport connection per node, opened on first use and shared by every {@link Network}
 * and {@link Contract} made from it. Thread-safe; close it when done.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.builder(identity)
 *         .trustRoots(List.of(consortiumRoot))
 *         .membership(membershipClient)          // or .peers(...) and .orderers(...)
 *         .connect()) {
 *     Contract assets = gateway.network("trade").contract("asset-transfer");
 *     assets.submit("CreateAsset", "a1", "blue", "5", "alice", "100");
 *     byte[] asset = assets.evaluate("ReadAsset", "a1");
 * }
 * }</pre>
 */
public final class Gateway implements AutoCloseable {

    private final Identity identity;
    private final TlsTrust trust;
    private final Optional<MembershipClient> membership;
    private final List<NodeEndpoint> explicitPeers;
    private final List<NodeEndpoint> explicitOrderers;
    private final Timeouts timeouts;
    private final Clock clock;
    private final ReconnectBackoff backoff;
    private final Map<String, TransportClient> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private Gateway(Builder builder) {
        this.identity = builder.identity;
        this.trust = TlsTrust.of(builder.trustRoots, builder.crls);
        this.membership = Optional.ofNullable(builder.membership);
        this.explicitPeers = List.copyOf(builder.peers);
        this.explicitOrderers = List.copyOf(builder.orderers);
        this.timeouts = builder.timeouts;
        this.clock = builder.clock;
        this.backoff = builder.backoff;
    }

    public static Builder builder(Identity identity) {
        return new Builder(identity);
    }

    /** The channel {@code channel} as this identity sees it; discovers its peers and orderers now (unless given explicitly). */
    public Network network(String channel) {
        Objects.requireNonNull(channel, "channel");
        return new Network(this, channel);
    }

    public Identity identity() {
        return identity;
    }

    public Timeouts timeouts() {
        return timeouts;
    }

    Clock clock() {
        return clock;
    }

    /** The channel's peers: the explicit ones, else those the membership service reports UP. */
    List<NodeEndpoint> discoverPeers(String channel) {
        if (!explicitPeers.isEmpty() || membership.isEmpty()) {
            return explicitPeers;
        }
        try {
            List<NodeEndpoint> peers = new ArrayList<>();
            membership.get().peers(channel, identity.membershipCredential()).forEach((mspId, nodes) ->
                    nodes.forEach(node -> endpoint(node, mspId).ifPresent(peers::add)));
            return peers;
        } catch (MembershipException e) {
            throw discoveryFailed(channel, "peers", e);
        }
    }

    /** The channel's orderers: the explicit ones, else those the membership service reports UP. */
    List<NodeEndpoint> discoverOrderers(String channel) {
        if (!explicitOrderers.isEmpty() || membership.isEmpty()) {
            return explicitOrderers;
        }
        try {
            List<NodeEndpoint> orderers = new ArrayList<>();
            membership.get().orderers(channel, identity.membershipCredential())
                    .forEach(node -> endpoint(node, node.mspId()).ifPresent(orderers::add));
            return orderers;
        } catch (MembershipException e) {
            throw discoveryFailed(channel, "orderers", e);
        }
    }

    private static Optional<NodeEndpoint> endpoint(MembershipClient.Node node, String mspId) {
        return node.endpoints().stream().findFirst()
                .map(e -> new NodeEndpoint(node.nodeId(), mspId.isEmpty() ? node.mspId() : mspId, e.host(), e.port()));
    }

    private static SdkException discoveryFailed(String channel, String what, MembershipException e) {
        return SdkException.of(Step.DISCOVER, SdkErrorCode.MEMBERSHIP_FAILED, "cannot discover the " + what + " of channel '"
                + channel + "': " + e.getMessage() + " (is the membership service up, and is this identity a member of the channel?)")
                .cause(e).build();
    }

    /** Fails {@code step} with {@link SdkErrorCode#CANCELLED} once the gateway is closed. */
    void requireOpen(Step step) {
        if (closed) {
            throw SdkException.of(step, SdkErrorCode.CANCELLED, "the gateway is closed: build a new one").build();
        }
    }

    /** The shared connection to the peer {@code node}, opened on first use. */
    TransportClient peerClient(NodeEndpoint node) {
        return client(node, ExpectedServer.peer());
    }

    /** The shared connection to the orderer {@code node}, opened on first use. */
    TransportClient ordererClient(NodeEndpoint node) {
        return client(node, ExpectedServer.orderer());
    }

    /**
     * The connection checks in its handshake that the server is a node of the role meant and, when the
     * endpoint names one, of the endpoint's organization: a client's certificate that names the host is refused.
     */
    private TransportClient client(NodeEndpoint node, ExpectedServer role) {
        if (closed) {
            throw new TransportException(ErrorCode.CANCELLED, "the gateway is closed");
        }
        ExpectedServer expected = node.mspId().isBlank() ? role : role.ofOrganization(node.mspId());
        return clients.computeIfAbsent(node.address() + " " + expected.roles(), key -> TransportClient.builder(node.host(),
                        node.port(), identity.tls(), trust)
                .expectServer(expected)
                .backoff(backoff)
                .connect());
    }

    /** Closes every connection; calls in flight fail with {@link SdkErrorCode#CANCELLED} or their transport error. */
    @Override
    public void close() {
        closed = true;
        List<TransportClient> open = new ArrayList<>(clients.values());
        clients.clear();
        open.forEach(c -> c.close(Duration.ofMillis(500)));
    }

    public static final class Builder {
        private final Identity identity;
        private final List<X509Certificate> trustRoots = new ArrayList<>();
        private Supplier<? extends Collection<X509CRL>> crls = List::of;
        private MembershipClient membership;
        private final List<NodeEndpoint> peers = new ArrayList<>();
        private final List<NodeEndpoint> orderers = new ArrayList<>();
        private Timeouts timeouts = Timeouts.defaults();
        private Clock clock = Clock.systemUTC();
        private ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0, 0.2);

        private Builder(Identity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
        }

        /** The roots that nodes' TLS certificates must chain to (the consortium root). Required. */
        public Builder trustRoots(Collection<X509Certificate> roots) {
            trustRoots.addAll(roots);
            return this;
        }

        /** CRLs to check nodes' TLS certificates against, read at every handshake. */
        public Builder crls(Supplier<? extends Collection<X509CRL>> supplier) {
            this.crls = Objects.requireNonNull(supplier, "supplier");
            return this;
        }

        /** Discover peers and orderers through this membership service (used unless explicit endpoints are given). */
        public Builder membership(MembershipClient client) {
            this.membership = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Explicit peers, for every channel (discovery is then not used for peers). */
        public Builder peers(Collection<NodeEndpoint> endpoints) {
            peers.addAll(endpoints);
            return this;
        }

        /** Explicit orderers, for every channel (discovery is then not used for orderers). */
        public Builder orderers(Collection<NodeEndpoint> endpoints) {
            orderers.addAll(endpoints);
            return this;
        }

        public Builder timeouts(Timeouts value) {
            this.timeouts = Objects.requireNonNull(value, "timeouts");
            return this;
        }

        /** The clock that stamps proposals (peers refuse proposals far from their own clock). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** How connections to nodes are retried after they drop. */
        public Builder reconnectBackoff(ReconnectBackoff value) {
            this.backoff = Objects.requireNonNull(value, "backoff");
            return this;
        }

        /**
         * Builds the gateway. Connections open lazily, on the first call to each node.
         *
         * @throws IllegalStateException when no trust root is given, or neither a membership service nor
         *     explicit peers and orderers
         */
        public Gateway connect() {
            if (trustRoots.isEmpty()) {
                throw new IllegalStateException("a gateway needs the trust roots of the nodes' TLS certificates (trustRoots)");
            }
            if (membership == null && (peers.isEmpty() || orderers.isEmpty())) {
                throw new IllegalStateException("a gateway needs a membership service for discovery, or explicit peers and orderers");
            }
            return new Gateway(this);
        }
    }
}
