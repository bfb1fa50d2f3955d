package io.charter.peer.node;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.identity.Role;
import io.charter.common.testing.Await;
import io.charter.common.testing.FreePorts;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.ReconnectBackoff;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportLimits;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.common.transport.tls.TlsTrust;
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
import io.charter.common.protocol.Blocks;
import io.charter.peer.delivery.Endpoint;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.endorsement.EndorsementResult;
import io.charter.peer.endorsement.SigningIdentity;
import io.charter.peer.testing.PeerDatabases;
import io.charter.peer.testing.TestClient;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.BatchSize;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.Envelope;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.OrganizationConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * One real orderer (OrdererServer: Raft over mutual TLS, Deliver over the transport) and four peers,
 * two of Org1 and two of Org2, each with its own database in one PostgreSQL container, on loopback.
 * Peer ids are "peer0" and "peer1" in each organization, so peer0 leads while it is alive.
 */
final class PeerNetwork implements AutoCloseable {

    static final Duration ELECTION_TIMEOUT = Duration.ofMillis(1500);

    final ChannelFixture fixture = new ChannelFixture();
    final TestPki pki = fixture.pki;
    final Block genesis;
    final List<OrdererServer> orderers = new ArrayList<>();
    final List<Endpoint> ordererEndpoints = new ArrayList<>();
    final Map<String, PeerSpec> specs = new LinkedHashMap<>();
    final Map<String, PeerNode> nodes = new HashMap<>();
    final List<TransportClient> clients = new ArrayList<>();

    record PeerSpec(String name, String mspId, String peerId, int port, TestPki.Credential tls,
                    TestPki.Credential signing, Path dataDir, DataSource dataSource) {}

    final TestPki.Credential admin1;
    final TestPki.Credential admin2;

    PeerNetwork(Path dir, PeerDatabases databases) throws IOException {
        this(dir, databases, 1, 2);
    }

    /** {@code ordererCount} orderers (Raft), {@code peersPerOrganization} peers in Org1 and in Org2. */
    PeerNetwork(Path dir, PeerDatabases databases, int ordererCount, int peersPerOrganization) throws IOException {
        admin1 = pki.organization("Org1").enroll("admin1", Role.ADMIN);
        admin2 = pki.organization("Org2").enroll("admin2", Role.ADMIN);
        List<Consenter> consenters = new ArrayList<>();
        List<TestPki.Credential> ordererTlsList = new ArrayList<>();
        List<io.charter.protocol.Endpoint> clusterEndpoints = new ArrayList<>();
        List<OrdererIdentity> identities = new ArrayList<>();
        for (int i = 0; i < ordererCount; i++) {
            TestPki.Credential signing = i == 0 ? fixture.orderer
                    : pki.organization("OrdererOrg").enroll("orderer" + (i + 1), Role.ORDERER);
            TestPki.Credential ordererTls = pki.organization("OrdererOrg").enrollTls("orderer" + (i + 1), Role.ORDERER);
            io.charter.protocol.Endpoint cluster = io.charter.protocol.Endpoint.newBuilder().setHost("127.0.0.1")
                    .setPort(FreePorts.loopback()).build();
            OrdererIdentity identity = new OrdererIdentity("OrdererOrg", signing.certificate(), EcdsaSigner.of(signing.keys()));
            consenters.add(Consenter.newBuilder().setEndpoint(cluster).setIdentity(identity.serialized())
                    .setClientTlsCert(ChannelFixture.der(ordererTls.certificate()))
                    .setServerTlsCert(ChannelFixture.der(ordererTls.certificate())).build());
            ordererTlsList.add(ordererTls);
            clusterEndpoints.add(cluster);
            identities.add(identity);
        }
        // Readers: the two peer organizations (the ordering organization may not read through peers)
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
        config.setOrderer(OrdererConfig.newBuilder().addAllConsenters(consenters)
                .setBatchSize(BatchSize.newBuilder().setMaxMessageCount(100).setPreferredMaxBytes(2 * 1024 * 1024)
                        .setAbsoluteMaxBytes(4 * 1024 * 1024))
                .setBatchTimeout(com.google.protobuf.Duration.newBuilder().setNanos(200_000_000)));
        genesis = Blocks.genesisBlock(config.build(), Instant.now());

        for (int i = 0; i < ordererCount; i++) {
            TestPki.Credential ordererTls = ordererTlsList.get(i);
            OrderingNodeConfig node = new OrderingNodeConfig(clusterEndpoints.get(i), dir.resolve("orderer" + i),
                    identities.get(i),
                    new RaftSettings(Duration.ofMillis(300), Duration.ofMillis(600), Duration.ofSeconds(3), 1_000_000,
                            64L * 1024 * 1024, 4),
                    Optional.of(new RaftTls(ordererTls.keys().getPrivate(), ordererTls.chain(),
                            List.of(pki.root().certificate()))),
                    new BlockStoreOptions(64L * 1024 * 1024, false), new ChannelSettings(Duration.ofSeconds(30), 200_000),
                    EnvelopeValidator.ACCEPT_ALL);
            OrdererServer server = OrdererServer.start(node, new OrdererServer.TransportSettings("127.0.0.1", 0,
                            new TlsCredentials(ordererTls.keys().getPrivate(), ordererTls.chain()), TransportLimits.defaults()),
                    new ChannelTrusts(java.time.Clock.systemUTC(), List.of(pki.root().certificate())),
                    OrdererMetrics.inMemory());
            orderers.add(server);
            ordererEndpoints.add(new Endpoint("orderer" + (i + 1), "127.0.0.1", server.port()));
        }
        for (OrdererServer server : orderers) {
            server.join(genesis);
        }
        Await.until("an orderer leader", () -> runningOrderers().anyMatch(ChannelOrderer::isLeader), Duration.ofSeconds(60));

        for (String mspId : List.of("Org1", "Org2")) {
            for (int i = 0; i < peersPerOrganization; i++) {
                String peerId = "peer" + i;
                TestPki.Credential tls = pki.organization(mspId).enrollTls(peerId, Role.PEER);
                TestPki.Credential signing = pki.organization(mspId).enroll(peerId, Role.PEER);
                String name = peerId + "." + mspId;
                specs.put(name, new PeerSpec(name, mspId, peerId, FreePorts.loopback(), tls, signing, dir.resolve(name),
                        databases.dataSource(databases.createDatabase())));
            }
        }
    }

    private java.util.stream.Stream<ChannelOrderer> runningOrderers() {
        return orderers.stream().filter(java.util.Objects::nonNull)
                .map(o -> o.node().channel(ChannelFixture.CHANNEL).orElseThrow());
    }

    /** The channel on the leading orderer (or on any running one while there is none). */
    ChannelOrderer channel() {
        return runningOrderers().filter(ChannelOrderer::isLeader).findFirst()
                .orElseGet(() -> runningOrderers().findFirst().orElseThrow());
    }

    void awaitOrdererLeader() {
        Await.until("an orderer leader", () -> runningOrderers().anyMatch(ChannelOrderer::isLeader), Duration.ofSeconds(60));
    }

    /** Closes orderer {@code index}. */
    void stopOrderer(int index) throws IOException {
        OrdererServer server = orderers.set(index, null);
        if (server != null) {
            server.close();
        }
    }

    PeerSettings settings(PeerSpec spec) {
        List<Endpoint> orgPeers = specs.values().stream().filter(s -> s.mspId().equals(spec.mspId()))
                .map(s -> new Endpoint(s.peerId(), "127.0.0.1", s.port())).toList();
        return PeerSettings.of(spec.peerId(), spec.mspId(), "127.0.0.1", spec.port(),
                        new TlsCredentials(spec.tls().keys().getPrivate(), spec.tls().chain()),
                        new SigningIdentity(EcdsaSigner.of(spec.signing().keys()), ChannelFixture.identity(spec.signing())),
                        spec.dataDir(), orgPeers, ordererEndpoints)
                .withTimings(ELECTION_TIMEOUT, Duration.ofMillis(300), Duration.ofMillis(200),
                        new ReconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(300), 2.0, 0.2))
                .withLeaderMaxLag(2);
    }

    /** Starts (or restarts) the peer {@code name} on its port and database. */
    PeerNode start(String name) {
        PeerSpec spec = specs.get(name);
        PeerSettings settings = settings(spec);
        return start(name, new Neighbours(settings.organizationPeers(), settings.orderers(), "configuration"));
    }

    /** Starts (or restarts) the peer {@code name} joining the channel with {@code neighbours}. */
    PeerNode start(String name, Neighbours neighbours) {
        PeerSpec spec = specs.get(name);
        PeerNode node = new PeerNode(settings(spec));
        node.join(spec.dataSource(), genesis, neighbours);
        node.start();
        nodes.put(name, node);
        return node;
    }

    /** Starts every peer and commits the definition of the fixture's contract (so its transactions validate). */
    void startAll() throws Exception {
        specs.keySet().forEach(this::start);
        define(ContractDefinition.newBuilder().setName(ChannelFixture.CONTRACT).setVersion("1").setSequence(1).build());
    }

    /**
     * Defines {@code definition} as Fabric's lifecycle does: Org1's and Org2's admins approve it (each endorsed by its
     * organization's peer0), then Org1's admin commits it, endorsed by peer0 of each organization (the lifecycle's
     * MAJORITY); waits until every running peer has committed it.
     */
    void define(ContractDefinition definition) throws Exception {
        for (Map.Entry<String, TestPki.Credential> admin : Map.of("Org1", admin1, "Org2", admin2).entrySet()) {
            TestClient.Proposed approval = TestClient.approve(admin.getValue(), definition, admin.getKey());
            submitEndorsed(approval, List.of("peer0." + admin.getKey()));
        }
        awaitConverged(60_000);
        submitEndorsed(TestClient.commit(admin1, definition), List.of("peer0.Org1", "peer0.Org2"));
        awaitConverged(60_000);
    }

    private void submitEndorsed(TestClient.Proposed proposed, List<String> endorsers) throws Exception {
        List<ProposalResponse> responses = new ArrayList<>();
        for (String name : endorsers) {
            EndorsementResult result = nodes.get(name).endorser().endorse(proposed.signed());
            if (!(result instanceof EndorsementResult.Endorsed endorsed)) {
                throw new AssertionError(name + " did not endorse " + proposed.proposal() + ": " + result);
            }
            responses.add(endorsed.response());
        }
        channel().submit(Envelope.parseFrom(TestClient.transaction(proposed, responses))).get(60, TimeUnit.SECONDS);
    }

    /** The transport endpoint of peer {@code name}, as its organization's peers address it. */
    Endpoint endpoint(String name) {
        PeerSpec spec = specs.get(name);
        return new Endpoint(spec.peerId(), "127.0.0.1", spec.port());
    }

    void stop(String name) {
        PeerNode node = nodes.remove(name);
        if (node != null) {
            node.close();
        }
    }

    /** Hands every running peer new CRLs of {@code mspId} (as their hosts do from the membership service). */
    void updateCrls(String mspId, List<X509CRL> crls) {
        nodes.values().forEach(node -> node.updateCrls(mspId, crls));
    }

    ChannelPeer peer(String name) {
        return nodes.get(name).channel(ChannelFixture.CHANNEL).orElseThrow();
    }

    /** Orders {@code count} transactions (one blind JSON write each, key prefix {@code prefix}) and waits for all. */
    List<String> submit(String prefix, int count) throws Exception {
        List<CompletableFuture<?>> results = new ArrayList<>();
        List<String> txIds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ChannelFixture.Tx tx = fixture.tx(ChannelFixture.rwset(ChannelFixture.ns(ChannelFixture.CONTRACT)
                    .addWrites(ChannelFixture.write(prefix + i, "{\"n\":" + i + "}"))));
            txIds.add(tx.txId());
            results.add(channel().submit(Envelope.parseFrom(tx.envelope())));
        }
        for (CompletableFuture<?> result : results) {
            result.get(60, TimeUnit.SECONDS);
        }
        return txIds;
    }

    /** Waits until every running peer has the orderer's height. */
    long awaitConverged(long timeoutMillis) {
        Await.until("the running orderers at the same height", () -> runningOrderers().map(ChannelOrderer::height).distinct().count() == 1, Duration.ofMillis(timeoutMillis));
        long height = channel().height();
        Await.until("all running peers at height " + height,
                () -> nodes.keySet().stream().allMatch(n -> peer(n).height() >= height), Duration.ofMillis(timeoutMillis));
        return height;
    }

    String stateHash(String name) {
        return StateHash.of(specs.get(name).dataSource(), ChannelFixture.CHANNEL);
    }

    /** A transport client to {@code name} presenting {@code tls}. */
    TransportClient connect(String name, TestPki.Credential tls) {
        TransportClient client = TransportClient.builder("127.0.0.1", specs.get(name).port(),
                new TlsCredentials(tls.keys().getPrivate(), tls.chain()),
                TlsTrust.withoutCrls(List.of(pki.root().certificate()))).connect();
        clients.add(client);
        return client;
    }

    static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    @Override
    public void close() {
        clients.forEach(TransportClient::close);
        new ArrayList<>(nodes.keySet()).forEach(this::stop);
        for (int i = 0; i < orderers.size(); i++) {
            try {
                stopOrderer(i);
            } catch (IOException | RuntimeException e) {
                // best effort
            }
        }
    }
}
