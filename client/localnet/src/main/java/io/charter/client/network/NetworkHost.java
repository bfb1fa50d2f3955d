package io.charter.client.network;

import io.charter.client.cli.network.NetworkLayout;
import io.charter.client.cli.network.NetworkPorts;
import io.charter.client.cli.network.NetworkStatus;
import io.charter.client.config.ChannelGenesis;
import io.charter.client.sdk.Gateway;
import io.charter.client.sdk.Identity;
import io.charter.client.sdk.NodeEndpoint;
import io.charter.client.wallet.Enroller;
import io.charter.client.wallet.MembershipAdmin;
import io.charter.client.wallet.TlsCredential;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.membership.MembershipClient;
import io.charter.common.membership.MembershipException;
import io.charter.common.membership.NodeRequests;
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
import io.charter.orderer.service.OrdererReadiness;
import io.charter.orderer.service.OrdererServer;
import io.charter.peer.app.PeerMetrics;
import io.charter.peer.delivery.Endpoint;
import io.charter.peer.endorsement.SigningIdentity;
import io.charter.peer.ledger.LedgerSchema;
import io.charter.peer.ledger.PostgresLedger;
import io.charter.peer.node.ChannelPeer;
import io.charter.peer.node.JoinedChannels;
import io.charter.peer.node.PeerNode;
import io.charter.peer.node.PeerReadiness;
import io.charter.peer.node.PeerSettings;
import io.charter.protocol.Block;
import io.charter.protocol.ContractDefinition;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network host: one JVM, started detached by {@code charter up}, that runs the whole local network
 * (docs/cli.md): PostgreSQL embedded, the membership service (its Spring Boot application), three
 * orderers ({@link OrdererServer}: Raft over mTLS, broadcast and deliver) and four peers ({@link PeerNode})
 * of two organizations. On first start it enrolls every node from the membership service, builds the
 * channel's genesis block and has every node join; afterwards it reopens what is on disk. It registers
 * every node in the membership service's index and heartbeats for it, and hands new CRLs to the nodes.
 * Its peers serve the administration methods of their transport ({@code charter contract install} and
 * {@code charter channel join --peer}, {@code charter channel leave --peer}), trusting the consortium root for admins'
 * connections; channels joined that way are recorded under each peer's folder and rejoined at the next start, and a
 * channel an admin made a node leave (the network's own included) is not rejoined ({@link StartupChannels}).
 * Its state goes to {@code status.json}; it stops on SIGTERM ({@code charter down}).
 *
 * <p>Arguments: {@code <home> <port base> <wallet>}; system property {@code charter.membership.classpath}: the
 * class path of the membership service (see {@link MembershipServiceInstance}).
 */
public final class NetworkHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkHost.class);
    static final String SAMPLE_CONTRACT = "asset-transfer";
    private static final List<String> ORG_OF_PEER = List.of("Org1MSP", "Org1MSP", "Org2MSP", "Org2MSP");
    /** As {@code charter.orderer.readiness.max-lag} defaults in a deployment. */
    private static final long ORDERER_READINESS_MAX_LAG = 16;

    private final NetworkLayout layout;
    private final NetworkPorts ports;
    private final Wallet userWallet;
    private final Wallet nodeWallet;
    private final Instant startedAt = Instant.now();
    /** fsync and synchronous commits ({@code charter up --durable}); off, a machine crash may lose the last commits. */
    private final boolean durable = Boolean.getBoolean("charter.local.durable");
    private final List<String> progress = new ArrayList<>();
    private final List<OrdererServer> orderers = new ArrayList<>();
    private final Map<String, PeerNode> peers = new LinkedHashMap<>();
    private final List<NodeOperations> operations = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "network-host-index");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Boolean> registered = new HashMap<>();
    private EmbeddedDatabase database;
    private MembershipServiceInstance membership;
    /** The peers' leader lease calls to the index (each with its own node credential). */
    private MembershipClient leaseClient;
    private X509Certificate root;
    private long crlVersion = -1;
    private int ticks;
    private volatile String state = "starting";
    private volatile String error;
    private volatile long readyMillis;

    NetworkHost(NetworkLayout layout, NetworkPorts ports, Wallet userWallet) {
        this.layout = layout;
        this.ports = ports;
        this.userWallet = userWallet;
        this.nodeWallet = new Wallet(layout.nodes());
    }

    public static void main(String[] args) throws Exception {
        NetworkLayout layout = NetworkLayout.under(Path.of(args[0]));
        NetworkHost host = new NetworkHost(layout, new NetworkPorts(Integer.parseInt(args[1])), new Wallet(Path.of(args[2])));
        if (!host.lock()) {
            System.err.println("another network host is running on " + layout.folder());
            System.exit(5);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            host.close();
            stopped.countDown();
        }, "network-host-stop"));
        try {
            host.start();
        } catch (Throwable e) {
            LOG.error("the local network failed to start", e);
            host.fail(e);
            System.exit(1);
        }
        stopped.await();
    }

    private boolean lock() throws IOException {
        Files.createDirectories(layout.folder());
        Optional<ProcessHandle> running = layout.runningHost();
        if (running.isPresent() && running.get().pid() != ProcessHandle.current().pid()) {
            return false;
        }
        Files.writeString(layout.pidFile(), Long.toString(ProcessHandle.current().pid()), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        return true;
    }

    // ---- start

    void start() throws Exception {
        boolean first = !Files.exists(layout.genesis());
        writeStatus();
        Properties secrets = secrets();

        database = EmbeddedDatabase.start(layout.postgres(), ports.postgres(), layout.postgresBinaries(), durable);
        database.stopWhenHostDies(ProcessHandle.current().pid(), layout.postgres());
        database.createDatabase("membership");
        for (String peer : NetworkPorts.PEERS) {
            database.createDatabase(databaseName(peer));
        }
        progress("PostgreSQL on 127.0.0.1:" + ports.postgres() + " (data in " + layout.postgres() + ", "
                + (durable ? "durable: fsync and synchronous commits" : "fast: no fsync, asynchronous commits") + ")");

        CompletableFuture<Void> membershipStarted = CompletableFuture.runAsync(() -> startMembership(secrets));
        if (first) {
            membershipStarted.join();
            bootstrap(secrets);
        }
        Block genesis = Block.parseFrom(Files.readAllBytes(layout.genesis()));
        root = first ? root : nodeWallet.get("orderer1").chain().getLast();
        startOrderers(genesis);
        startPeers(genesis);
        membershipStarted.join();
        installSampleContract();
        // registered in the index before "ready": clients discover the nodes through it, also after a restart
        // that found the index's entries of the previous run expired
        tick();
        scheduler.scheduleWithFixedDelay(this::tick, 2, 2, TimeUnit.SECONDS);
        readyMillis = Duration.between(startedAt, Instant.now()).toMillis();
        state = "ready";
        progress("ready");
    }

    private Properties secrets() throws IOException {
        if (Files.exists(layout.secrets())) {
            return NetworkLayout.read(layout.secrets());
        }
        Properties secrets = new Properties();
        secrets.setProperty("ca-key-passphrase", randomSecret());
        secrets.setProperty("admin-secret", randomSecret());
        NetworkLayout.write(layout.secrets(), secrets, true);
        return secrets;
    }

    private void startMembership(Properties secrets) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("charter.membership.database.url", database.jdbcUrl("membership"));
        properties.put("charter.membership.database.username", "postgres");
        properties.put("charter.membership.database.password", "postgres");
        properties.put("charter.membership.database.maximum-pool-size", "4");
        properties.put("charter.membership.ca.key-passphrase", secrets.getProperty("ca-key-passphrase"));
        // a laptop network: CA keys are opened at every start, so a lighter derivation than production's
        properties.put("charter.membership.ca.key-derivation-iterations", "100000");
        properties.put("charter.membership.bootstrap-admin.secret", secrets.getProperty("admin-secret"));
        properties.put("charter.membership.bootstrap-admin.max-enrollments", "10");
        properties.put("charter.membership.http.port", Integer.toString(ports.membership()));
        // loopback only, like every other listener of the local network
        properties.put("server.address", "127.0.0.1");
        properties.put("spring.jmx.enabled", "false");
        properties.put("spring.main.banner-mode", "off");
        membership = MembershipServiceInstance.start(List.of(System.getProperty("charter.membership.classpath")
                .split(java.io.File.pathSeparator)), properties);
        root = membership.rootCertificate();
        progress("membership service at " + membershipUrl());
    }

    URI membershipUrl() {
        return URI.create("https://localhost:" + ports.membership());
    }

    /** First start: organizations, every node's and admin's identity, the genesis block. */
    private void bootstrap(Properties secrets) throws IOException {
        // the nodes listen on the loopback only; their registrar (this bootstrap) approves exactly those names
        List<String> hosts = List.of("localhost", "127.0.0.1");
        // clients and admins: a TLS certificate for connecting, which names no host
        Optional<List<String>> clientTls = Optional.of(List.of());
        try (MembershipClient client = new MembershipClient(membershipUrl(), root);
                MembershipAdmin admin = new MembershipAdmin(membershipUrl(), root)) {
            Enroller enroller = new Enroller(client);
            WalletIdentity consortiumAdmin = enroller.enroll("admin", "admin", secrets.getProperty("admin-secret"),
                    clientTls);
            userWallet.put(consortiumAdmin, true);
            userWallet.saveConnection(new Wallet.Connection(membershipUrl(), root));
            var caller = consortiumAdmin.credential();
            for (String mspId : List.of(ChannelGenesis.ORDERER_MSP, "Org1MSP", "Org2MSP")) {
                if (!admin.organizationExists(caller, mspId)) {
                    admin.createOrganization(caller, mspId);
                }
            }
            for (int i = 0; i < 3; i++) {
                enrollNode(admin, enroller, caller, "orderer" + (i + 1), "orderer", ChannelGenesis.ORDERER_MSP, hosts);
            }
            for (int i = 0; i < NetworkPorts.PEERS.size(); i++) {
                enrollNode(admin, enroller, caller, NetworkPorts.PEERS.get(i), "peer", ORG_OF_PEER.get(i), hosts);
            }
            // the orderers' own admin: only it makes the orderers join channels
            for (String mspId : List.of(ChannelGenesis.ORDERER_MSP, "Org1MSP", "Org2MSP")) {
                String id = mspId.replace("MSP", "").toLowerCase() + "-admin";
                var registration = admin.register(caller, id, "admin", mspId, Map.of(), Optional.of(10));
                userWallet.put(enroller.enroll(id, id, registration.secret(), clientTls), true);
            }
            userWallet.setDefaultIdentity("org1-admin");
            progress("identities enrolled: 3 orderers, 4 peers, admin, orderer-admin, org1-admin, org2-admin (wallet "
                    + userWallet.folder() + ")");

            Map<String, List<io.charter.protocol.Endpoint>> anchors = new HashMap<>();
            anchors.put("Org1MSP", List.of(endpoint(ports.peer(0))));
            anchors.put("Org2MSP", List.of(endpoint(ports.peer(2))));
            List<ChannelGenesis.Organization> organizations = new ArrayList<>();
            for (String mspId : List.of(ChannelGenesis.ORDERER_MSP, "Org1MSP", "Org2MSP")) {
                organizations.add(new ChannelGenesis.Organization(mspId, admin.caCertificates(mspId),
                        anchors.getOrDefault(mspId, List.of()), ChannelGenesis.crls(client, mspId)));
            }
            List<ChannelGenesis.Orderer> consenters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                WalletIdentity node = nodeWallet.get("orderer" + (i + 1));
                consenters.add(new ChannelGenesis.Orderer(ChannelGenesis.ORDERER_MSP, "127.0.0.1", ports.ordererCluster(i),
                        node.certificate(), node.tls().orElseThrow().certificate()));
            }
            Block genesis = ChannelGenesis.build(NetworkLayout.CHANNEL, organizations, consenters, Instant.now());
            Path temporary = layout.genesis().resolveSibling("genesis.block.tmp");
            Files.write(temporary, genesis.toByteArray());
            Files.move(temporary, layout.genesis(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            progress("channel " + NetworkLayout.CHANNEL + ": genesis block with OrdererMSP, Org1MSP, Org2MSP, endorsement "
                    + ChannelGenesis.ENDORSEMENT);
        }
    }

    private void enrollNode(MembershipAdmin admin, Enroller enroller, MembershipClient.Credential caller, String id,
            String type, String mspId, List<String> hosts) {
        if (nodeWallet.contains(id)) {
            return;
        }
        var registration = admin.register(caller, id, type, mspId, Map.of(), Optional.empty(), hosts);
        nodeWallet.put(enroller.enroll(id, id, registration.secret(), Optional.of(hosts)), false);
    }

    private static io.charter.protocol.Endpoint endpoint(int port) {
        return io.charter.protocol.Endpoint.newBuilder().setHost("127.0.0.1").setPort(port).build();
    }

    private void startOrderers(Block genesis) throws IOException {
        for (int i = 0; i < 3; i++) {
            WalletIdentity node = nodeWallet.get("orderer" + (i + 1));
            TlsCredential tls = node.tls().orElseThrow();
            OrderingNodeConfig config = new OrderingNodeConfig(
                    endpoint(ports.ordererCluster(i)), layout.orderer(i),
                    new OrdererIdentity(ChannelGenesis.ORDERER_MSP, node.certificate(), node.signer()),
                    new RaftSettings(Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofSeconds(5), 100_000,
                            64L * 1024 * 1024, 1000),
                    Optional.of(new RaftTls(tls.privateKey(), tls.fullChain(), List.of(root))),
                    new BlockStoreOptions(64L * 1024 * 1024, durable), new ChannelSettings(Duration.ofSeconds(30), 200_000),
                    EnvelopeValidator.ACCEPT_ALL); // the server installs its BroadcastValidator
            PrometheusMeterRegistry meters = meters("charter-orderer", "orderer" + (i + 1));
            OrdererServer server = OrdererServer.start(config, new OrdererServer.TransportSettings("127.0.0.1",
                            ports.orderer(i), new TlsCredentials(tls.privateKey(), tls.fullChain()), TransportLimits.defaults()),
                    new ChannelTrusts(Clock.systemUTC(), List.of(root)), new OrdererMetrics(meters));
            orderers.add(server);
            // not the network's channel if an admin took this orderer off it ('charter channel leave --orderer')
            if (StartupChannels.ordererJoins(server.node().channel(NetworkLayout.CHANNEL).isPresent(), server.node()::hasLeft,
                    NetworkLayout.CHANNEL)) {
                server.join(genesis);
            }
            operations.add(NodeOperations.start("orderer" + (i + 1), ports.ordererOperations(i), "ordering",
                    () -> OrdererReadiness.of(server, ORDERER_READINESS_MAX_LAG), meters));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean served = orderers.stream().anyMatch(o -> o.node().channel(NetworkLayout.CHANNEL).isPresent());
        while (served && orderers.stream().noneMatch(o -> o.node().channel(NetworkLayout.CHANNEL)
                .map(ChannelOrderer::isLeader).orElse(false))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the orderers elected no Raft leader within 60 s: see " + layout.log());
            }
            sleep(50);
        }
        progress("orderers orderer1..3 on 127.0.0.1:" + ports.orderer(0) + "-" + ports.orderer(2) + " (Raft leader elected)");
    }

    private void startPeers(Block genesis) throws IOException {
        List<Endpoint> ordererEndpoints = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ordererEndpoints.add(new Endpoint("orderer" + (i + 1), "127.0.0.1", ports.orderer(i)));
        }
        for (int i = 0; i < NetworkPorts.PEERS.size(); i++) {
            String name = NetworkPorts.PEERS.get(i);
            String mspId = ORG_OF_PEER.get(i);
            List<Endpoint> organization = new ArrayList<>();
            for (int j = 0; j < NetworkPorts.PEERS.size(); j++) {
                if (ORG_OF_PEER.get(j).equals(mspId)) {
                    organization.add(new Endpoint(NetworkPorts.PEERS.get(j), "127.0.0.1", ports.peer(j)));
                }
            }
            WalletIdentity node = nodeWallet.get(name);
            TlsCredential tls = node.tls().orElseThrow();
            SigningIdentity signing = new SigningIdentity(node.signer(), io.charter.protocol.SerializedIdentity.newBuilder()
                    .setMspId(mspId).setCertificate(ChannelGenesis.der(node.certificate())).build().toByteString());
            PeerSettings settings = PeerSettings.of(name, mspId, "127.0.0.1", ports.peer(i),
                            new TlsCredentials(tls.privateKey(), tls.fullChain()), signing, layout.peer(name), organization,
                            ordererEndpoints)
                    .withTimings(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(500),
                            ReconnectBackoff.defaults())
                    .withTrustedRoots(List.of(root));
            PeerNode peer = new PeerNode(settings).leadThroughIndex(leases(node), Duration.ofSeconds(2))
                    .ordererHeightsFrom(this::ordererHeight);
            PrometheusMeterRegistry meters = meters("charter-peer", name);
            PeerMetrics metrics = new PeerMetrics(meters, peer);
            javax.sql.DataSource ledger = database.pool(databaseName(name), 8);
            LedgerSchema.migrate(ledger);
            // the network's channel unless an admin left it ('charter channel leave --peer'), then the channels an admin
            // joined over the transport ('charter channel join --peer'): recorded, rejoined at start
            JoinedChannels joined = new JoinedChannels(layout.peer(name));
            for (Block block : StartupChannels.forPeer(joined, genesis, NetworkLayout.CHANNEL,
                    channelId -> new PostgresLedger(ledger, channelId).block(0))) {
                if (peer.channel(io.charter.peer.validation.ChannelContext.configOf(block).getChannelId()).isEmpty()) {
                    peer.join(ledger, block);
                }
            }
            peer.channels().forEach(metrics::bind);
            peer.administration().joinChannelsThrough(block -> {
                ChannelPeer channel = peer.join(ledger, block);
                joined.add(channel.channelId());
                metrics.bind(channel);
                return channel;
            });
            peer.administration().snapshotsIn(new io.charter.peer.snapshot.SnapshotStore(
                    layout.peer(name).resolve("snapshots"), new io.charter.peer.snapshot.SnapshotWriter(ledger)));
            peer.administration().leaveChannelsThrough((channelId, removeData) -> {
                Optional<ChannelPeer> channel = peer.channel(channelId);
                if (channel.isEmpty() || !peer.leave(channelId, removeData)) {
                    return false;
                }
                joined.remove(channelId);
                metrics.unbind(channel.get());
                return true;
            });
            peer.start();
            peers.put(name, peer);
            operations.add(NodeOperations.start(name, ports.peerOperations(i), "peer",
                    () -> PeerReadiness.of(peer, this::ordererHeight), meters));
        }
        progress("peers peer0.org1, peer1.org1 (Org1MSP), peer0.org2, peer1.org2 (Org2MSP) on 127.0.0.1:"
                + ports.peer(0) + "-" + ports.peer(3) + ", joined " + NetworkLayout.CHANNEL);
    }

    /**
     * Installs the sample asset-transfer contract on every peer (idempotent) and, unless the channel already
     * has it, defines it with the endorsement policy AND(Org1, Org2) through the SDK: org1-admin and org2-admin
     * approve it for their organizations, then org1-admin commits it.
     */
    private void installSampleContract() throws IOException {
        String jarPath = System.getProperty("charter.sample.contract", "");
        if (jarPath.isBlank() || !Files.isRegularFile(Path.of(jarPath))) {
            progress("no sample contract jar (" + (jarPath.isBlank() ? "charter.sample.contract not set" : jarPath)
                    + "): install one with 'charter contract install'");
            return;
        }
        byte[] jar = Files.readAllBytes(Path.of(jarPath));
        String packageId = null;
        for (PeerNode peer : peers.values()) {
            packageId = peer.installContract(jar).packageId();
        }
        // any peer that serves the channel (an admin may have made one leave it)
        if (peers.values().stream().anyMatch(peer -> peer.definitions(NetworkLayout.CHANNEL)
                .flatMap(d -> d.definition(SAMPLE_CONTRACT)).isPresent())) {
            progress("contract " + SAMPLE_CONTRACT + " installed on 4 peers, defined on " + NetworkLayout.CHANNEL);
            return;
        }
        ContractDefinition definition = ContractDefinition.newBuilder().setName(SAMPLE_CONTRACT).setVersion("1.0")
                .setSequence(1).setEndorsementPolicy(ChannelGenesis.ENDORSEMENT).setPackageId(packageId).build();
        // as Fabric's lifecycle: each organization's admin approves for its organization, then one commits
        long approvedIn = 0;
        for (String adminId : List.of("org1-admin", "org2-admin")) {
            try (Gateway gateway = adminGateway(adminId)) {
                approvedIn = Math.max(approvedIn, gateway.network(NetworkLayout.CHANNEL).approveContract(definition).blockNumber());
            }
        }
        awaitPeersAt(approvedIn + 1);
        try (Gateway gateway = adminGateway("org1-admin")) {
            gateway.network(NetworkLayout.CHANNEL).commitContract(definition);
        }
        progress("contract " + SAMPLE_CONTRACT + " installed on 4 peers, approved by Org1MSP and Org2MSP and committed on "
                + NetworkLayout.CHANNEL + " with endorsement " + ChannelGenesis.ENDORSEMENT);
    }

    /** A gateway to the local network as the user wallet's {@code adminId}. */
    private Gateway adminGateway(String adminId) {
        WalletIdentity admin = userWallet.get(adminId);
        TlsCredential tls = admin.tls().orElseThrow();
        Identity identity = Identity.of(admin.signingChain(), admin.privateKey(), tls.fullChain(), tls.privateKey());
        List<NodeEndpoint> peerEndpoints = new ArrayList<>();
        for (int i = 0; i < NetworkPorts.PEERS.size(); i++) {
            peerEndpoints.add(new NodeEndpoint(NetworkPorts.PEERS.get(i), ORG_OF_PEER.get(i), "127.0.0.1", ports.peer(i)));
        }
        List<NodeEndpoint> ordererEndpoints = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ordererEndpoints.add(new NodeEndpoint("orderer" + (i + 1), ChannelGenesis.ORDERER_MSP, "127.0.0.1",
                    ports.orderer(i)));
        }
        return Gateway.builder(identity).trustRoots(List.of(root)).peers(peerEndpoints).orderers(ordererEndpoints).connect();
    }

    /**
     * Waits until every peer's ledger of the channel has {@code height} blocks, so that a commit endorsed by any peer
     * sees the approvals; gives up after a minute (the commit then says which approval its endorsers lack).
     */
    private void awaitPeersAt(long height) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
        while (peers.values().stream().anyMatch(peer -> peer.channel(NetworkLayout.CHANNEL).map(ChannelPeer::height)
                .orElse(0L) < height) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A node's meters, tagged as its shell tags them in a deployment (and with the node, all being in one host). */
    private static PrometheusMeterRegistry meters(String application, String node) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters.config().commonTags("application", application, "node", node);
        return meters;
    }

    /** The highest height of {@code channelId} among the local orderers that serve it; what peers' readiness lags from. */
    private Optional<Long> ordererHeight(String channelId) {
        return orderers.stream().map(o -> o.node().channel(channelId).map(ChannelOrderer::height))
                .flatMap(Optional::stream).max(Long::compare);
    }

    static String databaseName(String peer) {
        return peer.replace('.', '_').replace('-', '_');
    }

    // ---- index: registration, heartbeats, leader leases, CRLs

    private void tick() {
        try (MembershipClient client = new MembershipClient(membershipUrl(), root)) {
            boolean heartbeat = ticks++ % 5 == 0;
            // every channel a node serves, with its height: a channel created and joined after 'charter up' is then
            // found through the index like the first one
            for (int i = 0; i < 3; i++) {
                String name = "orderer" + (i + 1);
                Map<String, Long> heights = new TreeMap<>();
                orderers.get(i).node().channels().forEach(channel -> heights.put(channel.channelId(), channel.height()));
                index(client, name, ChannelGenesis.ORDERER_MSP, "orderer", ports.orderer(i), heights, false, heartbeat);
            }
            for (int i = 0; i < NetworkPorts.PEERS.size(); i++) {
                String name = NetworkPorts.PEERS.get(i);
                Map<String, Long> heights = new TreeMap<>();
                List<ChannelPeer> channels = peers.get(name).channels();
                channels.forEach(channel -> heights.put(channel.channelId(), channel.height()));
                index(client, name, ORG_OF_PEER.get(i), "peer", ports.peer(i), heights, i % 2 == 0, heartbeat);
            }
            refreshCrls(client);
        } catch (RuntimeException e) {
            LOG.warn("index upkeep failed (retrying): {}", e.getMessage());
        }
    }

    /**
     * A peer's leader lease calls, as a deployed peer makes them: its organization's leader on each channel is the
     * holder of the index's lease (the heartbeat election decides while the index is out).
     */
    private io.charter.peer.dissemination.LeaseElection.Leases leases(WalletIdentity node) {
        synchronized (this) {
            if (leaseClient == null) {
                leaseClient = new MembershipClient(membershipUrl(), root);
            }
        }
        MembershipClient client = leaseClient;
        MembershipClient.Credential credential = new MembershipClient.Credential(node.certificate(), node.signer());
        return new io.charter.peer.dissemination.LeaseElection.Leases() {
            @Override
            public io.charter.peer.dissemination.LeaseElection.Lease acquire(String channelId) {
                MembershipClient.Lease lease = client.acquireLeadership(channelId, credential);
                return new io.charter.peer.dissemination.LeaseElection.Lease(lease.granted(), lease.holder(),
                        lease.expiresAt());
            }

            @Override
            public void release(String channelId) {
                client.releaseLeadership(channelId, credential);
            }
        };
    }

    private void index(MembershipClient client, String name, String mspId, String role, int port, Map<String, Long> heights,
            boolean anchor, boolean heartbeat) {
        WalletIdentity node = nodeWallet.get(name);
        if (!registered.getOrDefault(name, false)) {
            client.registerNode(NodeRequests.registration(name, mspId, role, List.of(new NodeRequests.Endpoint("127.0.0.1",
                    port)), heights, anchor, node.certificate(), node.tls().orElseThrow().certificate(), Instant.now()),
                    node.signer());
            registered.put(name, true);
        } else if (heartbeat) {
            client.heartbeat(name, NodeRequests.heartbeat(name, mspId, heights, Instant.now()), node.signer());
        }
    }

    /** Hands the organizations' current CRLs to every node when the service's CRL version rose. */
    private void refreshCrls(MembershipClient client) {
        MembershipClient.Crl probe = client.crl("Org1MSP", "signing");
        if (probe.version() == crlVersion) {
            return;
        }
        for (String mspId : List.of(ChannelGenesis.ORDERER_MSP, "Org1MSP", "Org2MSP")) {
            List<X509CRL> crls = List.of(client.crl(mspId, "signing").crl(), client.crl(mspId, "tls").crl());
            for (OrdererServer orderer : orderers) {
                orderer.trusts().updateCrls(mspId, crls);
            }
            for (PeerNode peer : peers.values()) {
                peer.updateCrls(mspId, crls);
            }
        }
        crlVersion = probe.version();
        LOG.info("CRL version {} handed to every node", crlVersion);
    }

    // ---- status

    private synchronized void progress(String line) {
        LOG.info(line);
        double seconds = Duration.between(startedAt, Instant.now()).toMillis() / 1000.0;
        progress.add(String.format("[%5.1f s] %s", seconds, line));
        writeStatus();
    }

    private synchronized void fail(Throwable e) {
        state = "failed";
        error = e instanceof MembershipException || e.getMessage() == null ? String.valueOf(e) : e.getMessage();
        writeStatus();
        close();
    }

    private synchronized void writeStatus() {
        List<NetworkStatus.Node> nodes = new ArrayList<>();
        nodes.add(new NetworkStatus.Node("membership", "membership", "ConsortiumMSP", "localhost", ports.membership(),
                Optional.of(membershipUrl().resolve("/actuator").toString())));
        for (int i = 0; i < 3; i++) {
            nodes.add(new NetworkStatus.Node("orderer" + (i + 1), "orderer", ChannelGenesis.ORDERER_MSP, "127.0.0.1",
                    ports.orderer(i), Optional.of("http://127.0.0.1:" + ports.ordererOperations(i) + "/actuator")));
        }
        for (int i = 0; i < NetworkPorts.PEERS.size(); i++) {
            nodes.add(new NetworkStatus.Node(NetworkPorts.PEERS.get(i), "peer", ORG_OF_PEER.get(i), "127.0.0.1",
                    ports.peer(i), Optional.of("http://127.0.0.1:" + ports.peerOperations(i) + "/actuator")));
        }
        nodes.add(new NetworkStatus.Node("postgres", "database", "", "127.0.0.1", ports.postgres(), Optional.empty()));
        new NetworkStatus(state, ProcessHandle.current().pid(), startedAt.toString(), readyMillis, progress, error,
                NetworkLayout.CHANNEL, membershipUrl().toString(), nodes, durable).write(layout.statusFile());
    }

    // ---- stop

    @Override
    public synchronized void close() {
        if ("stopped".equals(state)) {
            return;
        }
        scheduler.shutdownNow();
        operations.forEach(endpoints -> quietly(endpoints::close));
        peers.values().forEach(peer -> quietly(peer::close));
        if (leaseClient != null) {
            quietly(leaseClient::close);
        }
        for (OrdererServer orderer : orderers) {
            quietly(orderer::close);
        }
        if (membership != null) {
            quietly(membership::close);
        }
        if (database != null) {
            quietly(database::close);
        }
        if (!"failed".equals(state)) {
            state = "stopped";
        }
        writeStatus();
        try {
            Files.deleteIfExists(layout.pidFile());
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", layout.pidFile(), e.getMessage());
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            LOG.warn("while stopping: {}", e.toString());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
