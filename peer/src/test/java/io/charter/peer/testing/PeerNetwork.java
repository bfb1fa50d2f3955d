package io.charter.peer.testing;

import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.pki.Role;
import io.charter.common.testing.Await;
import io.charter.common.testing.FreePorts;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.ReconnectBackoff;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.common.transport.tls.TlsTrust;
import io.charter.orderer.blockstore.BlockStoreOptions;
import io.charter.orderer.channel.ChannelOrderer;
import io.charter.orderer.testing.OrdererCluster;
import io.charter.peer.delivery.Endpoint;
import io.charter.peer.endorsement.EndorsementResult;
import io.charter.peer.endorsement.SigningIdentity;
import io.charter.peer.node.ChannelPeer;
import io.charter.peer.node.Neighbours;
import io.charter.peer.node.PeerNode;
import io.charter.peer.node.PeerSettings;
import io.charter.peer.node.StateHash;
import io.charter.protocol.Block;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.Envelope;
import io.charter.protocol.ProposalResponse;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
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
 * Real orderers (an {@link OrdererCluster} of whole servers: Raft over mutual TLS, Deliver over the transport) and
 * peers of Org1 and Org2 on the {@link ChannelFixture}'s channel, each peer with its own database in one PostgreSQL
 * container, on loopback. Peer ids are "peer0", "peer1", ... in each organization, so peer0 leads while it is alive;
 * the peers call the orderers "orderer1", "orderer2", ...
 */
public final class PeerNetwork implements AutoCloseable {

    public static final Duration ELECTION_TIMEOUT = Duration.ofMillis(1500);
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    public final ChannelFixture fixture = new ChannelFixture();
    public final TestPki pki = fixture.pki;
    public final Block genesis;
    public final OrdererCluster orderers;
    public final List<Endpoint> ordererEndpoints = new ArrayList<>();
    public final Map<String, PeerSpec> specs = new LinkedHashMap<>();
    public final Map<String, PeerNode> nodes = new HashMap<>();
    public final TestPki.Credential admin1;
    public final TestPki.Credential admin2;
    private final List<TransportClient> clients = new ArrayList<>();
    private final List<PeerNode> unjoined = new ArrayList<>();
    private final Path dir;
    /** A new migrated ledger database for each peer. */
    private final java.util.function.Supplier<DataSource> newDatabase;
    private java.util.function.UnaryOperator<PeerSettings> adjust = java.util.function.UnaryOperator.identity();
    private Optional<byte[]> installedAtStart = Optional.empty();

    public record PeerSpec(String name, String mspId, String peerId, int port, TestPki.Credential tls,
                           TestPki.Credential signing, Path dataDir, DataSource dataSource) {}

    /** One orderer, two peers in each organization. */
    public PeerNetwork(Path dir, PeerDatabases databases) {
        this(dir, databases, 1, 2);
    }

    /** {@code ordererCount} orderers (Raft), {@code peersPerOrganization} peers in Org1 and in Org2; blocks cut every 200 ms. */
    public PeerNetwork(Path dir, PeerDatabases databases, int ordererCount, int peersPerOrganization) {
        this(dir, databases, ordererCount, peersPerOrganization, Duration.ofMillis(200));
    }

    /**
     * As above, blocks cut at the latest {@code batchTimeout} after their first transaction. The orderers are started
     * and have a leader when this returns; the peers are not started.
     */
    public PeerNetwork(Path dir, PeerDatabases databases, int ordererCount, int peersPerOrganization,
                       Duration batchTimeout) {
        this(dir, () -> databases.dataSource(databases.createDatabase()), ordererCount, peersPerOrganization, batchTimeout);
    }

    /**
     * As above, each peer's ledger in a database from {@code newDatabase} (new, migrated to the ledger schema), e.g. of
     * an embedded PostgreSQL where no container runs (the scale benchmark).
     */
    public PeerNetwork(Path dir, java.util.function.Supplier<DataSource> newDatabase, int ordererCount,
                       int peersPerOrganization, Duration batchTimeout) {
        this.dir = dir;
        this.newDatabase = newDatabase;
        admin1 = pki.organization("Org1").enroll("admin1", Role.ADMIN);
        admin2 = pki.organization("Org2").enroll("admin2", Role.ADMIN);
        for (String mspId : List.of("Org1", "Org2")) {
            for (int i = 0; i < peersPerOrganization; i++) {
                String peerId = "peer" + i;
                TestPki.Credential tls = pki.organization(mspId).enrollTls(peerId, Role.PEER);
                TestPki.Credential signing = pki.organization(mspId).enroll(peerId, Role.PEER);
                String name = peerId + "." + mspId;
                specs.put(name, new PeerSpec(name, mspId, peerId, FreePorts.loopback(), tls, signing, dir.resolve(name),
                        newDatabase.get()));
            }
        }
        // the ledger's durability is the peers' concern here: the orderers need not fsync
        orderers = new OrdererCluster(pki, dir, ordererCount, ChannelFixture.CHANNEL, List.of(),
                OrdererCluster.Settings.defaults().withBlockStore(new BlockStoreOptions(64L * 1024 * 1024, false)));
        // Readers: the two peer organizations (the ordering organization may not read through peers)
        io.charter.protocol.ChannelConfig.Builder config = fixture.configWithTls().toBuilder();
        // peer0 of each organization is its anchor peer: where other organizations' peers send private data
        for (io.charter.protocol.OrganizationConfig.Builder organization : config.getOrganizationsBuilderList()) {
            PeerSpec anchor = specs.get("peer0." + organization.getMspId());
            if (anchor != null) {
                organization.addAnchorPeers(io.charter.protocol.Endpoint.newBuilder().setHost("127.0.0.1").setPort(anchor.port()));
            }
        }
        genesis = orderers.genesis(config
                .putPolicies("Readers", "OR('Org1.member', 'Org2.member')")
                .setOrderer(orderers.ordererConfig(100, 2 * 1024 * 1024, 4 * 1024 * 1024, batchTimeout))
                .build());
        orderers.startAll();
        for (int i = 0; i < ordererCount; i++) {
            ordererEndpoints.add(new Endpoint("orderer" + (i + 1), "127.0.0.1", orderers.server(i).port()));
        }
        awaitOrdererLeader();

    }

    /** Every peer started from now on runs with its settings passed through {@code adjustment} (e.g. other timings). */
    public PeerNetwork adjustingSettings(java.util.function.UnaryOperator<PeerSettings> adjustment) {
        adjust = adjustment;
        return this;
    }

    /** Every peer started from now on installs {@code contractPackage} before it starts. */
    public PeerNetwork installingAtStart(byte[] contractPackage) {
        installedAtStart = Optional.of(contractPackage);
        return this;
    }

    /** The channel on the leading orderer (or on any running one while there is none). */
    public ChannelOrderer channel() {
        return orderers.channel();
    }

    public void awaitOrdererLeader() {
        orderers.awaitLeader();
    }

    /** Closes orderer {@code index}. */
    public void stopOrderer(int index) {
        orderers.stop(index);
    }

    public PeerSettings settings(PeerSpec spec) {
        List<Endpoint> orgPeers = specs.values().stream().filter(s -> s.mspId().equals(spec.mspId()))
                .map(s -> new Endpoint(s.peerId(), "127.0.0.1", s.port())).toList();
        return settings(spec.peerId(), spec.mspId(), spec.port(), spec.tls(), spec.signing(), spec.dataDir(), orgPeers);
    }

    private PeerSettings settings(String peerId, String mspId, int port, TestPki.Credential tls,
                                  TestPki.Credential signing, Path dataDir, List<Endpoint> orgPeers) {
        return adjust.apply(PeerSettings.of(peerId, mspId, "127.0.0.1", port, new TlsCredentials(tls.keys().getPrivate(), tls.chain()),
                        new SigningIdentity(EcdsaSigner.of(signing.keys()), ChannelFixture.identity(signing)),
                        dataDir, orgPeers, ordererEndpoints)
                .withTimings(ELECTION_TIMEOUT, Duration.ofMillis(300), Duration.ofMillis(200),
                        new ReconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(300), 2.0, 0.2))
                .withLeaderMaxLag(2));
    }

    /** Starts (or restarts) the peer {@code name} on its port and database. */
    public PeerNode start(String name) {
        PeerSettings settings = settings(specs.get(name));
        return start(name, new Neighbours(settings.organizationPeers(), settings.orderers(), "configuration"));
    }

    /** Starts (or restarts) the peer {@code name} joining the channel with {@code neighbours}. */
    public PeerNode start(String name, Neighbours neighbours) {
        PeerSpec spec = specs.get(name);
        PeerNode node = new PeerNode(settings(spec));
        node.join(spec.dataSource(), genesis, neighbours);
        installedAtStart.ifPresent(node::installContract);
        node.start();
        nodes.put(name, node);
        return node;
    }

    /** Starts every peer. */
    public void startPeers() {
        specs.keySet().forEach(this::start);
    }

    /** Starts every peer and commits the definition of the fixture's contract (so its transactions validate). */
    public void startAll() throws Exception {
        startPeers();
        define(ContractDefinition.newBuilder().setName(ChannelFixture.CONTRACT).setVersion("1").setSequence(1).build());
    }

    /**
     * Starts a peer of {@code mspId} that has joined no channel and installed nothing, as a host that has admins join
     * channels over the transport (peer.JoinChannel) runs one: its own new database, the consortium root trusted so
     * that admins reach it before any channel is joined. Not among {@link #specs}; closed with the network.
     */
    public PeerNode startUnjoined(String mspId, String peerId) {
        TestPki.Credential tls = pki.organization(mspId).enrollTls(peerId, Role.PEER);
        TestPki.Credential signing = pki.organization(mspId).enroll(peerId, Role.PEER);
        DataSource dataSource = newDatabase.get();
        PeerNode node = new PeerNode(settings(peerId, mspId, FreePorts.loopback(), tls, signing,
                dir.resolve(peerId + "." + mspId), List.of()).withTrustedRoots(List.of(pki.root().certificate())));
        node.administration().joinChannelsThrough(genesis -> node.join(dataSource, genesis));
        unjoined.add(node);
        return node.start();
    }

    /**
     * Defines {@code definition} as Fabric's lifecycle does: Org1's and Org2's admins approve it (each endorsed by its
     * organization's peer0), then Org1's admin commits it, endorsed by peer0 of each organization (the lifecycle's
     * MAJORITY); waits until every running peer has committed it.
     */
    public void define(ContractDefinition definition) throws Exception {
        for (Map.Entry<String, TestPki.Credential> admin : Map.of("Org1", admin1, "Org2", admin2).entrySet()) {
            TestClient.Proposed approval = TestClient.approve(admin.getValue(), definition, admin.getKey());
            submitEndorsed(approval, List.of("peer0." + admin.getKey()));
        }
        awaitConverged(PATIENCE);
        submitEndorsed(TestClient.commit(admin1, definition), List.of("peer0.Org1", "peer0.Org2"));
        awaitConverged(PATIENCE);
        // a peer reads its definitions again just after the block's commit shows in its height
        Await.until("every running peer has " + definition.getName() + " sequence " + definition.getSequence(),
                () -> nodes.values().stream().allMatch(node -> node.definitions(ChannelFixture.CHANNEL)
                        .flatMap(d -> d.definition(definition.getName()))
                        .map(d -> d.sequence() == definition.getSequence()).orElse(false)), PATIENCE);
    }

    /**
     * Has {@code proposed} endorsed by the peers {@code endorsers}, orders the transaction and waits until the orderer
     * has it in a block (not until the peers commit it).
     */
    public void submitEndorsed(TestClient.Proposed proposed, List<String> endorsers) throws Exception {
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
    public Endpoint endpoint(String name) {
        PeerSpec spec = specs.get(name);
        return new Endpoint(spec.peerId(), "127.0.0.1", spec.port());
    }

    public void stop(String name) {
        PeerNode node = nodes.remove(name);
        if (node != null) {
            node.close();
        }
    }

    /** Hands every running peer new CRLs of {@code mspId} (as their hosts do from the membership service). */
    public void updateCrls(String mspId, List<X509CRL> crls) {
        nodes.values().forEach(node -> node.updateCrls(mspId, crls));
    }

    public ChannelPeer peer(String name) {
        return nodes.get(name).channel(ChannelFixture.CHANNEL).orElseThrow();
    }

    /** Orders {@code count} transactions (one blind JSON write each, key prefix {@code prefix}) and waits for all. */
    public List<String> submit(String prefix, int count) throws Exception {
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

    /** The height of the channel on the orderers (the leader's, or any running one's). */
    public long ordererHeight() {
        return channel().height();
    }

    /** Waits until every running peer has committed {@code height} blocks or more. */
    public void awaitPeersAt(long height) {
        Await.until("the peers at height " + height, () -> nodes.values().stream()
                .allMatch(n -> n.channel(ChannelFixture.CHANNEL).map(c -> c.height() >= height).orElse(false)), PATIENCE);
    }

    /** Waits until the running orderers agree on a height and every running peer has it. */
    public long awaitConverged(Duration patience) {
        Await.until("the running orderers at the same height", () -> orderers.running().stream()
                .map(i -> orderers.channel(i).height()).distinct().count() == 1, patience);
        long height = channel().height();
        Await.until("all running peers at height " + height,
                () -> nodes.keySet().stream().allMatch(n -> peer(n).height() >= height), patience);
        return height;
    }

    public String stateHash(String name) {
        return StateHash.of(specs.get(name).dataSource(), ChannelFixture.CHANNEL);
    }

    /** A transport client to {@code name} presenting {@code tls}; closed with the network. */
    public TransportClient connect(String name, TestPki.Credential tls) {
        TransportClient client = TransportClient.builder("127.0.0.1", specs.get(name).port(),
                new TlsCredentials(tls.keys().getPrivate(), tls.chain()),
                TlsTrust.withoutCrls(List.of(pki.root().certificate()))).connect();
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        clients.forEach(TransportClient::close);
        new ArrayList<>(nodes.keySet()).forEach(this::stop);
        unjoined.forEach(PeerNode::close);
        orderers.close();
        // the peers' pools: a test class runs several networks on one PostgreSQL container
        specs.values().forEach(spec -> {
            if (spec.dataSource() instanceof AutoCloseable pool) {
                try {
                    pool.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot close the pool of " + spec.name(), e);
                }
            }
        });
    }
}
