package io.charter.client.sdk;

import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.identity.Role;
import io.charter.common.protocol.Blocks;
import io.charter.common.testing.Await;
import io.charter.common.testing.FreePorts;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.ReconnectBackoff;
import io.charter.common.transport.TransportLimits;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.orderer.access.ChannelTrusts;
import io.charter.orderer.blockstore.BlockStoreOptions;
import io.charter.orderer.channel.ChannelOrderer;
import io.charter.orderer.channel.ChannelSettings;
import io.charter.orderer.channel.EnvelopeValidator;
import io.charter.orderer.channel.OrdererIdentity;
import io.charter.orderer.channel.OrderingNodeConfig;
import io.charter.orderer.consensus.RaftSettings;
import io.charter.orderer.consensus.RaftTls;
import io.charter.orderer.service.OrdererMetrics;
import io.charter.orderer.service.OrdererServer;
import io.charter.peer.delivery.Endpoint;
import io.charter.peer.endorsement.SigningIdentity;
import io.charter.peer.node.PeerNode;
import io.charter.peer.node.PeerSettings;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerDatabases;
import io.charter.protocol.BatchSize;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.OrganizationConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A real network on loopback for the SDK's tests: one orderer (OrdererServer: Raft, broadcast checks,
 * deliver over mutual TLS) and one PeerNode per organization (Org1, Org2), each peer with its own
 * database in one PostgreSQL container, the sample asset-transfer contract installed on both. The
 * channel's Endorsement policy is AND('Org1.peer', 'Org2.peer').
 */
final class LoopbackNetwork implements AutoCloseable {

    static final String CHANNEL = ChannelFixture.CHANNEL;
    static final List<String> ORGANIZATIONS = List.of("Org1", "Org2");

    final ChannelFixture fixture = new ChannelFixture();
    final TestPki pki = fixture.pki;
    final Block genesis;
    final OrdererServer orderer;
    final NodeEndpoint ordererEndpoint;
    private final Map<String, PeerSpec> specs = new LinkedHashMap<>();
    private final Map<String, PeerNode> nodes = new LinkedHashMap<>();
    private final List<PeerNode> unjoined = new ArrayList<>();
    private final Path dir;
    private final PeerDatabases databases;

    private record PeerSpec(String name, String mspId, int port, TestPki.Credential tls, TestPki.Credential signing,
                            Path dataDir, DataSource dataSource) {}

    LoopbackNetwork(Path dir, PeerDatabases databases) throws IOException {
        this.dir = dir;
        this.databases = databases;
        TestPki.Credential ordererTls = pki.organization("OrdererOrg").enrollTls("orderer1", Role.ORDERER);
        io.charter.protocol.Endpoint cluster = io.charter.protocol.Endpoint.newBuilder().setHost("127.0.0.1")
                .setPort(FreePorts.loopback()).build();
        OrdererIdentity identity = new OrdererIdentity("OrdererOrg", fixture.orderer.certificate(),
                EcdsaSigner.of(fixture.orderer.keys()));
        Consenter consenter = Consenter.newBuilder().setEndpoint(cluster).setIdentity(identity.serialized())
                .setClientTlsCert(ChannelFixture.der(ordererTls.certificate()))
                .setServerTlsCert(ChannelFixture.der(ordererTls.certificate())).build();
        ChannelConfig.Builder config = fixture.config().toBuilder().clearOrganizations()
                .putPolicies("Readers", "OR('Org1.member', 'Org2.member')");
        for (String mspId : List.of("Org1", "Org2", "OrdererOrg")) {
            config.addOrganizations(OrganizationConfig.newBuilder()
                    .setMspId(mspId)
                    .addRootCerts(ChannelFixture.der(pki.root().certificate()))
                    .addIntermediateCerts(ChannelFixture.der(pki.organization(mspId).signingCa().certificate()))
                    .addTlsRootCerts(ChannelFixture.der(pki.root().certificate()))
                    .addTlsIntermediateCerts(ChannelFixture.der(pki.organization(mspId).tlsCa().certificate())));
        }
        config.setOrderer(OrdererConfig.newBuilder().addConsenters(consenter)
                .setBatchSize(BatchSize.newBuilder().setMaxMessageCount(100).setPreferredMaxBytes(2 * 1024 * 1024)
                        .setAbsoluteMaxBytes(4 * 1024 * 1024))
                .setBatchTimeout(com.google.protobuf.Duration.newBuilder().setNanos(100_000_000)));
        genesis = Blocks.genesisBlock(config.build(), Instant.now());

        OrderingNodeConfig node = new OrderingNodeConfig(cluster, dir.resolve("orderer1"), identity,
                new RaftSettings(Duration.ofMillis(300), Duration.ofMillis(600), Duration.ofSeconds(3), 1_000_000,
                        64L * 1024 * 1024, 4),
                Optional.of(new RaftTls(ordererTls.keys().getPrivate(), ordererTls.chain(), List.of(pki.root().certificate()))),
                new BlockStoreOptions(64L * 1024 * 1024, false), new ChannelSettings(Duration.ofSeconds(30), 200_000),
                EnvelopeValidator.ACCEPT_ALL);
        orderer = OrdererServer.start(node, new OrdererServer.TransportSettings("127.0.0.1", 0,
                        new TlsCredentials(ordererTls.keys().getPrivate(), ordererTls.chain()), TransportLimits.defaults()),
                new ChannelTrusts(Clock.systemUTC(), List.of(pki.root().certificate())), OrdererMetrics.inMemory());
        orderer.join(genesis);
        ordererEndpoint = new NodeEndpoint("orderer1", "OrdererOrg", "127.0.0.1", orderer.port());
        Await.until("an orderer leader", () -> orderer.node().channel(CHANNEL).map(ChannelOrderer::isLeader).orElse(false));

        for (String mspId : ORGANIZATIONS) {
            String name = "peer0." + mspId;
            specs.put(name, new PeerSpec(name, mspId, FreePorts.loopback(), pki.organization(mspId).enrollTls("peer0", Role.PEER),
                    pki.organization(mspId).enroll("peer0", Role.PEER), dir.resolve(name),
                    databases.dataSource(databases.createDatabase())));
        }
    }

    /** Starts (or restarts, on the same port and database) the peer {@code name} and installs the sample contract. */
    PeerNode start(String name) {
        PeerSpec spec = specs.get(name);
        PeerSettings settings = PeerSettings.of("peer0", spec.mspId(), "127.0.0.1", spec.port(),
                        new TlsCredentials(spec.tls().keys().getPrivate(), spec.tls().chain()),
                        new SigningIdentity(EcdsaSigner.of(spec.signing().keys()), ChannelFixture.identity(spec.signing())),
                        spec.dataDir(), List.of(), List.of(new Endpoint("orderer1", "127.0.0.1", orderer.port())))
                .withTimings(Duration.ofMillis(1500), Duration.ofMillis(300), Duration.ofMillis(200),
                        new ReconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(300), 2.0, 0.2));
        PeerNode node = new PeerNode(settings);
        node.join(spec.dataSource(), genesis);
        node.installContract(io.charter.peer.testing.TestContracts.assetTransferJar());
        node.start();
        nodes.put(name, node);
        return node;
    }

    /**
     * Starts a peer of {@code mspId} that has joined no channel and installed nothing, as a host that has admins
     * join channels over the transport (peer.JoinChannel) runs one: its own new database, the consortium root
     * trusted so that admins reach it before any channel is joined. Not among {@link #peers()}; closed with the
     * network.
     */
    PeerNode startUnjoined(String mspId, String peerId) throws IOException {
        TestPki.Credential tls = pki.organization(mspId).enrollTls(peerId, Role.PEER);
        TestPki.Credential signing = pki.organization(mspId).enroll(peerId, Role.PEER);
        DataSource dataSource = databases.dataSource(databases.createDatabase());
        PeerSettings settings = PeerSettings.of(peerId, mspId, "127.0.0.1", FreePorts.loopback(),
                        new TlsCredentials(tls.keys().getPrivate(), tls.chain()),
                        new SigningIdentity(EcdsaSigner.of(signing.keys()), ChannelFixture.identity(signing)),
                        dir.resolve(peerId + "." + mspId), List.of(),
                        List.of(new Endpoint("orderer1", "127.0.0.1", orderer.port())))
                .withTimings(Duration.ofMillis(1500), Duration.ofMillis(300), Duration.ofMillis(200),
                        new ReconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(300), 2.0, 0.2))
                .withTrustedRoots(List.of(pki.root().certificate()));
        PeerNode node = new PeerNode(settings);
        node.administration().joinChannelsThrough(genesis -> node.join(dataSource, genesis));
        unjoined.add(node);
        return node.start();
    }

    void startAll() {
        specs.keySet().forEach(this::start);
    }

    void stop(String name) {
        PeerNode node = nodes.remove(name);
        if (node != null) {
            node.close();
        }
    }

    PeerNode node(String name) {
        return nodes.get(name);
    }

    /** The peers as the SDK sees them. */
    List<NodeEndpoint> peers() {
        return specs.values().stream().map(s -> new NodeEndpoint(s.name(), s.mspId(), "127.0.0.1", s.port())).toList();
    }

    /** A client (or admin) identity of {@code mspId}, signing and TLS certificates from the test PKI. */
    Identity identity(String mspId, String name, Role role) {
        return TestNetworkPki.identity(pki, mspId, name, role);
    }

    Gateway gateway(Identity identity, Timeouts timeouts) {
        return Gateway.builder(identity).trustRoots(List.of(pki.root().certificate())).peers(peers())
                .orderers(List.of(ordererEndpoint)).timeouts(timeouts).connect();
    }

    /** Waits until every running peer has committed the orderer's height. */
    void awaitPeersAt(long height) {
        Await.until("the peers at height " + height, () -> nodes.values().stream()
                .allMatch(n -> n.channel(CHANNEL).map(c -> c.height() >= height).orElse(false)));
    }

    long ordererHeight() {
        return orderer.node().channel(CHANNEL).orElseThrow().height();
    }

    @Override
    public void close() {
        new ArrayList<>(nodes.keySet()).forEach(this::stop);
        unjoined.forEach(PeerNode::close);
        try {
            orderer.close();
        } catch (IOException | RuntimeException e) {
            // best effort: the test is over
        }
    }
}
