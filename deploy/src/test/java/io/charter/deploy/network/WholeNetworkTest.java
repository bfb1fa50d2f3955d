package io.charter.deploy.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.client.sdk.Contract;
import io.charter.client.sdk.Gateway;
import io.charter.client.sdk.Identity;
import io.charter.client.sdk.NodeEndpoint;
import io.charter.client.sdk.SdkErrorCode;
import io.charter.client.sdk.SdkException;
import io.charter.client.sdk.SubmitResult;
import io.charter.common.protocol.BlockHashing;
import io.charter.common.testing.Await;
import io.charter.common.testing.RequiresDocker;
import io.charter.common.transport.TransportClient;
import io.charter.protocol.Block;
import io.charter.protocol.BroadcastReason;
import io.charter.protocol.BroadcastResponse;
import io.charter.protocol.BroadcastStatus;
import io.charter.protocol.Envelope;
import io.charter.protocol.Payload;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import tools.jackson.databind.JsonNode;

/**
 * The whole network from the project's images, bootstrapped as on Kubernetes: PostgreSQL, the membership
 * service, three orderers and the peers of two organizations (two of Org1MSP, one of Org2MSP), each node
 * enrolling itself with the identity the operator's bootstrap.sh registered, registering in the index and
 * heartbeating. Admins join channels through the orderers' participation API and the peers' admin API;
 * applications submit and query through the SDK from the host. One network for the class (starting it is
 * the expensive part); each scenario uses channels of its own where it can, and the destructive ones
 * (stopping nodes) run last.
 */
@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class WholeNetworkTest {

    static final List<String> ORDERERS = List.of("orderer0", "orderer1", "orderer2");
    static final List<String> CHANNEL_ORGS = List.of(CharterNetwork.ORDERER_ORG, "Org1MSP", "Org2MSP");
    static final Map<String, String> PEERS = orderedMap("org1-peer0", "Org1MSP", "org1-peer1", "Org1MSP", "org2-peer0", "Org2MSP");
    static final String ASSETS = "assets";
    static final String CONTRACT = "asset-transfer";
    static final String POLICY = "AND('Org1MSP.peer', 'Org2MSP.peer')";

    CharterNetwork network;
    MembershipAdmin.Member client;
    MembershipAdmin.Member org2Client;
    boolean assetsReady;

    @BeforeAll
    void startNetwork() throws Exception {
        network = CharterNetwork.start(ORDERERS.size(), PEERS);
        client = network.admin().registerAndEnroll("client1", "client", "Org1MSP");
        org2Client = network.admin().registerAndEnroll("client2", "client", "Org2MSP");
    }

    @AfterAll
    void stopNetwork() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    @Order(1)
    void orderersEnrollThemselvesRegisterInTheIndexAndOrderBlocksOfAJoinedChannel() throws Exception {
        // each orderer enrolled on first start and registered: the index lists it UP with both certificates
        await("three orderers UP in the index", () -> upNodes("orderer").containsAll(ORDERERS));
        for (String name : ORDERERS) {
            GenericContainer<?> orderer = network.orderers().get(name);
            // the image's contract: non-root, read-only root file system, certificates in the data volume
            assertThat(exec(orderer, "id", "-u").getStdout().trim()).isEqualTo("10001");
            assertThat(exec(orderer, "touch", "/opt/charter/probe").getExitCode()).isNotZero();
            assertThat(exec(orderer, "ls", "/var/lib/charter/msp").getStdout())
                    .contains("signing-cert.pem", "signing-key.pem", "tls-cert.pem", "tls-key.pem");
        }

        String channel = "ordering";
        joinAll(channel);
        await("a Raft leader of " + channel, () -> leaderOf(channel, ORDERERS) != null);

        // blocks are ordered through any orderer: broadcast answers once the block is committed and stored
        List<String> txIds = new ArrayList<>();
        for (String name : ORDERERS) {
            try (TransportClient transport = Orderers.connect(network.orderers().get(name), client, network.root())) {
                Envelope envelope = Orderers.envelope(channel, client, "hello through " + name);
                BroadcastResponse answer = Orderers.broadcast(transport, envelope);
                assertThat(answer.getStatus()).as(answer.getMessage()).isEqualTo(BroadcastStatus.SUCCESS);
                assertThat(answer.hasBlockNumber()).isTrue();
                txIds.add(txId(envelope));
            }
        }

        // every orderer serves the same chain holding the three transactions
        assertSameChains(channel, ORDERERS, txIds);

        // operations endpoints on the probe port: readiness lists the channel, Prometheus its height
        GenericContainer<?> first = network.orderers().get("orderer0");
        assertThat(Orderers.operations(first, "/actuator/health/readiness").body()).contains(channel);
        assertThat(Orderers.operations(first, "/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(Orderers.operations(first, "/actuator/prometheus").body()).contains("charter_orderer_channel_height");
    }

    @Test
    @Order(2)
    void transactionsSubmittedThroughEitherOrganizationAreEndorsedOrderedAndCommittedByEveryPeer() throws Exception {
        assetsChannel();
        // every peer enrolled itself and is UP in the index
        await("the peers UP in the index", () -> upNodes("peer").containsAll(PEERS.keySet()));

        try (Gateway org1 = gateway(client); Gateway org2 = gateway(org2Client)) {
            Contract org1Assets = org1.network(ASSETS).contract(CONTRACT, POLICY);
            Contract org2Assets = org2.network(ASSETS).contract(CONTRACT, POLICY);
            SubmitResult created = settle(org1Assets.submit("CreateAsset", "a1", "blue", "5", "", "300"));
            assertThat(new String(org2Assets.evaluate("ReadAsset", "a1"), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("a1").contains("blue").contains("client1");
            SubmitResult transferred = settle(org2Assets.submit("CreateAsset", "a2", "red", "7", "", "100"));
            assertThat(new String(org1Assets.evaluate("ReadAsset", "a2"), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("a2").contains("client2");
            for (String peer : PEERS.keySet()) {
                for (String txId : List.of(created.txId(), transferred.txId())) {
                    assertThat(Peers.validationCode(network.peers().get(peer), admin(peer), network.root(), ASSETS, txId))
                            .as(peer + " " + txId).isEqualTo("VALID");
                }
            }
        }
        // configured as the manifests are (no fixed lists): each peer found the orderers through the index, whose
        // heights its readiness compares against, and each organization's leader holds the index's lease
        for (String peer : PEERS.keySet()) {
            JsonNode readiness = Peers.json(Peers.operations(network.peers().get(peer), "/actuator/health/readiness").body());
            assertThat(readiness.path("components").path("peer").path("details").path("channels").path(ASSETS)
                    .path("lagFrom").asString()).as(peer + ": " + readiness).isEqualTo("orderers");
        }
        awaitIndexLeaders();
    }

    /** Each organization's leader on the assets channel: a peer of it holding the index's lease (a deployment's LEADER). */
    private Map<String, String> awaitIndexLeaders() {
        Map<String, String> leaders = new java.util.TreeMap<>();
        await("a leader lease at the index for each organization on " + ASSETS, () -> {
            for (String mspId : new java.util.TreeSet<>(PEERS.values())) {
                network.admin().leader(ASSETS, mspId).ifPresent(leader -> leaders.put(mspId, leader));
            }
            return leaders.size() == 2;
        });
        leaders.forEach((mspId, leader) -> assertThat(PEERS.get(leader)).as(leader).isEqualTo(mspId));
        return leaders;
    }

    @Test
    @Order(4)
    void aRevokedClientsProposalsAreRefusedByThePeersOnceTheirHeartbeatsBringTheNewCrl() throws Exception {
        assetsChannel();
        MembershipAdmin.Member doomed = network.admin().registerAndEnroll("client-revoked-at-peers", "client", "Org1MSP");
        try (Gateway gateway = gateway(doomed)) {
            Contract assets = gateway.network(ASSETS).contract(CONTRACT, POLICY);
            settle(assets.submit("CreateAsset", "r1", "green", "1", "", "1"));

            network.admin().revoke("client-revoked-at-peers");

            await("the revoked creator refused by the peers", () -> {
                try {
                    settle(assets.submit("CreateAsset", "r-" + System.nanoTime(), "green", "1", "", "1"));
                    return false;
                } catch (SdkException e) {
                    return e.code() == SdkErrorCode.PROPOSAL_REFUSED
                            && e.endorsementFailures().stream().anyMatch(f -> f.reason().equals("CREATOR_REVOKED"));
                }
            });
        }
        try (Gateway colleague = gateway(client)) {
            settle(colleague.network(ASSETS).contract(CONTRACT, POLICY).submit("CreateAsset", "r2", "green", "1", "", "1"));
        }
    }

    @Test
    @Order(5)
    void aStoppedPeerRestartsFromItsVolumeAndCatchesUp() throws Exception {
        assetsChannel();
        long exitCode = network.stopPeer("org1-peer1");
        // 143 = the JVM ended on SIGTERM after its shutdown hooks; 137 would be Docker's SIGKILL after the grace period
        assertThat(exitCode).as("exit code of the stopped peer").isIn(0L, 143L);

        List<String> missed = new ArrayList<>();
        try (Gateway org2 = gateway(org2Client)) {
            Contract assets = org2.network(ASSETS).contract(CONTRACT, POLICY);
            for (int i = 0; i < 3; i++) {
                missed.add(settle(assets.submit("CreateAsset", "missed" + i, "black", "1", "", "1")).txId());
            }
        }

        // the same volume (its certificates: the one-time secret is not used again) and the same database
        network.restartPeer("org1-peer1");
        long target = Peers.height(network.peers().get("org1-peer0"), admin("org1-peer0"), network.root(), ASSETS);
        await("org1-peer1 at height " + target, () ->
                Peers.height(network.peers().get("org1-peer1"), admin("org1-peer1"), network.root(), ASSETS) >= target);
        for (String txId : missed) {
            assertThat(Peers.validationCode(network.peers().get("org1-peer1"), admin("org1-peer1"), network.root(), ASSETS, txId))
                    .isEqualTo("VALID");
        }
        // and it endorses again: a submit needing Org1 works with org1-peer0's view only if both agree
        try (Gateway org1 = gateway(client)) {
            settle(org1.network(ASSETS).contract(CONTRACT, POLICY).submit("CreateAsset", "after-restart", "white", "1", "", "1"));
        }
    }

    @Test
    @Order(3)
    void aRevokedClientIsRefusedByTheOrderersOnceTheirHeartbeatsBringTheNewCrl() throws Exception {
        String channel = "revocation";
        joinAll(channel);
        await("a Raft leader of " + channel, () -> leaderOf(channel, ORDERERS) != null);
        MembershipAdmin.Member doomed = network.admin().registerAndEnroll("client-revoked", "client", "Org1MSP");
        try (TransportClient transport = Orderers.connect(network.orderers().get("orderer1"), client, network.root())) {
            assertThat(Orderers.broadcast(transport, Orderers.envelope(channel, doomed, "before")).getStatus())
                    .isEqualTo(BroadcastStatus.SUCCESS);

            network.admin().revoke("client-revoked");

            // the orderers learn the new CRL version from a heartbeat answer and fetch the CRLs
            await("the revoked creator refused", () -> {
                BroadcastResponse answer = unchecked(() -> Orderers.broadcast(transport, Orderers.envelope(channel, doomed, "after")));
                return answer.getReason() == BroadcastReason.REVOKED_CREATOR;
            });
            BroadcastResponse colleague = Orderers.broadcast(transport, Orderers.envelope(channel, client, "colleague"));
            assertThat(colleague.getStatus()).as(colleague.getMessage()).isEqualTo(BroadcastStatus.SUCCESS);
        }
    }

    /**
     * The index is never on the data path: with the membership service stopped for a measured outage (3 minutes by
     * default, {@code -Dcharter.it.membership-outage=PT5M} for longer) under a steady load of SDK submissions from
     * explicit endpoints, endorsement, ordering, commit and dissemination go on (leadership falls back to the
     * peers' heartbeat election once the index's leases expire); afterwards every node heartbeats to the new
     * instance, the leaders hold the index's leases again, and every acknowledged transaction is VALID on every peer.
     */
    @Test
    @Order(6)
    void nodesKeepWorkingThroughAMembershipServiceOutageUnderLoadAndReturnToTheIndexLosingNothing() throws Exception {
        String channel = "membership-down";
        joinAll(channel);
        await("a Raft leader of " + channel, () -> leaderOf(channel, ORDERERS) != null);
        assetsChannel();
        awaitIndexLeaders();
        Duration outage = Duration.parse(System.getProperty("charter.it.membership-outage", "PT3M"));

        Instant down = Instant.now();
        network.stopMembership();
        try (TransportClient transport = Orderers.connect(network.orderers().get("orderer2"), client, network.root())) {
            for (int i = 0; i < 3; i++) {
                BroadcastResponse answer = Orderers.broadcast(transport, Orderers.envelope(channel, client, "while down " + i));
                assertThat(answer.getStatus()).as(answer.getMessage()).isEqualTo(BroadcastStatus.SUCCESS);
            }
        }
        List<SubmitResult> acknowledged = new ArrayList<>();
        int failed = 0;
        try (Gateway org1 = gateway(client)) {
            Contract assets = org1.network(ASSETS).contract(CONTRACT, POLICY);
            for (int i = 0; Duration.between(down, Instant.now()).compareTo(outage) < 0; i++) {
                try {
                    acknowledged.add(assets.submit("CreateAsset", "outage-" + i, "grey", "1", "", "1"));
                } catch (SdkException e) {
                    failed++;
                    System.out.printf("submit %d during the outage failed: %s %s%n", i, e.code(), e.getMessage());
                }
                Thread.sleep(250);
            }
            // the last one committed on every peer while the index is still down: dissemination went on without it
            settle(acknowledged.getLast());
        }
        Duration measured = Duration.between(down, Instant.now());

        Instant restarted = Instant.now();
        network.startMembershipService();
        network.admin().rebase(network.membershipUrl());
        Set<String> everyNode = new HashSet<>(ORDERERS);
        everyNode.addAll(network.peers().keySet());
        await("every orderer and peer heartbeating to the new instance", () -> {
            Set<String> fresh = new HashSet<>();
            for (JsonNode node : network.admin().nodes()) {
                if ("UP".equals(node.path("state").asString())
                        && Instant.parse(node.path("lastHeartbeat").asString()).isAfter(restarted)) {
                    fresh.add(node.path("nodeId").asString());
                }
            }
            return fresh.containsAll(everyNode);
        });
        awaitIndexLeaders();

        for (String peer : PEERS.keySet()) {
            for (SubmitResult result : acknowledged) {
                assertThat(Peers.validationCode(network.peers().get(peer), admin(peer), network.root(), ASSETS, result.txId()))
                        .as(peer + " " + result.txId()).isEqualTo("VALID");
            }
        }
        assertThat(acknowledged).as("transactions acknowledged during the outage").hasSizeGreaterThan(20);
        System.out.printf("membership service down %d s under load: %d transactions acknowledged and VALID on %d peers,"
                + " %d submissions failed; every node back in the index %d s after the restart%n", measured.toSeconds(),
                acknowledged.size(), PEERS.size(), failed, Duration.between(restarted, Instant.now()).toSeconds());
    }

    @Test
    @Order(7)
    void stoppingTheLeaderUnderLoadLosesNoAcknowledgedTransactionAndForksNothing() throws Exception {
        String channel = "leader-stop";
        joinAll(channel);
        await("a Raft leader of " + channel, () -> leaderOf(channel, ORDERERS) != null);
        String leader = leaderOf(channel, ORDERERS);
        List<String> survivors = ORDERERS.stream().filter(name -> !name.equals(leader)).toList();

        // load: one client per surviving orderer, each resubmitting the same envelope until it is answered
        Set<String> acknowledged = Collections.synchronizedSet(new HashSet<>());
        Map<String, java.util.concurrent.atomic.AtomicInteger> acknowledgedBy = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(survivors.size());
        List<Future<Integer>> clients = new ArrayList<>();
        for (String name : survivors) {
            acknowledgedBy.put(name, new java.util.concurrent.atomic.AtomicInteger());
            clients.add(load.submit(() -> {
                int refused = 0;
                try (TransportClient transport = Orderers.connect(network.orderers().get(name), client, network.root())) {
                    for (int i = 0; running.get(); i++) {
                        Envelope envelope = Orderers.envelope(channel, client, name + " " + i);
                        // once the load stops, an envelope still unanswered is left: only acknowledged ones are checked
                        for (int attempt = 0; attempt < 20 && running.get(); attempt++) {
                            BroadcastResponse answer;
                            try {
                                answer = Orderers.broadcast(transport, envelope);
                            } catch (Exception e) {
                                refused++; // a deadline while leadership moves: the same envelope again
                                continue;
                            }
                            if (answer.getStatus() == BroadcastStatus.SUCCESS
                                    || answer.getReason() == BroadcastReason.DUPLICATE_TXID) {
                                acknowledged.add(txId(envelope));
                                acknowledgedBy.get(name).incrementAndGet();
                                break;
                            }
                            refused++;
                            Thread.sleep(200);
                        }
                    }
                }
                return refused;
            }));
        }
        await("load flowing", () -> acknowledged.size() >= 20);
        int beforeStop = acknowledged.size();

        // SIGTERM to the leader, as Kubernetes does: the JVM shuts down gracefully within the grace period
        long exitCode = CharterNetwork.stopGracefully(network.orderers().get(leader));
        network.stopOrderer(leader);

        await("a new leader among " + survivors, () -> {
            String now = leaderOf(channel, survivors);
            return now != null && !now.equals(leader);
        });
        Map<String, Integer> beforeStopBy = new HashMap<>();
        acknowledgedBy.forEach((name, count) -> beforeStopBy.put(name, count.get()));
        // the network keeps committing through both surviving orderers
        await("load flowing through " + survivors + " after the leader stopped", () -> acknowledged.size() >= beforeStop + 20
                && survivors.stream().allMatch(name -> acknowledgedBy.get(name).get() > beforeStopBy.get(name)));
        running.set(false);
        int refusals = 0;
        for (Future<Integer> c : clients) {
            refusals += c.get(3, TimeUnit.MINUTES);
        }
        load.shutdown();

        // 143 = the JVM ended on SIGTERM after its shutdown hooks; 137 would be Docker's SIGKILL after the grace period
        assertThat(exitCode).as("exit code of the stopped leader").isIn(0L, 143L);
        assertSameChains(channel, survivors, List.copyOf(acknowledged));
        System.out.printf("leader %s stopped: %d transactions acknowledged (%d before the stop), %d refused or timed-out attempts%n",
                leader, acknowledged.size(), beforeStop, refusals);
    }

    /**
     * The membership database holds every organization's CA keys and the index: backed up while the service runs
     * (docs/deploy.md, "Backup and restore"), lost, and restored from the dump into a new database, the service
     * enrolls a new member whose transaction commits on every peer, and every node heartbeats to it again.
     */
    @Test
    @Order(8)
    void theMembershipDatabaseRestoredFromABackupEnrollsANewMemberWhoseTransactionCommits() throws Exception {
        assetsChannel();
        java.nio.file.Path dump = java.nio.file.Files.createTempFile("charter-membership", ".dump");
        try {
            network.backUpMembershipDatabase(dump);
            assertThat(java.nio.file.Files.size(dump)).isPositive();
            network.stopMembership();
            network.destroyMembershipDatabase();
            network.restoreMembershipDatabase(dump);

            Instant restored = Instant.now();
            network.startMembershipService();
            network.admin().rebase(network.membershipUrl());
            MembershipAdmin.Member newcomer = network.admin().registerAndEnroll("client-after-restore", "client", "Org1MSP");
            try (Gateway gateway = gateway(newcomer)) {
                SubmitResult result = settle(gateway.network(ASSETS).contract(CONTRACT, POLICY)
                        .submit("CreateAsset", "after-restore", "gold", "1", "", "1"));
                for (String peer : PEERS.keySet()) {
                    assertThat(Peers.validationCode(network.peers().get(peer), admin(peer), network.root(), ASSETS,
                            result.txId())).as(peer).isEqualTo("VALID");
                }
            }
            await("every running node heartbeating to the restored service", () -> {
                Set<String> fresh = new HashSet<>();
                for (JsonNode node : network.admin().nodes()) {
                    if ("UP".equals(node.path("state").asString())
                            && Instant.parse(node.path("lastHeartbeat").asString()).isAfter(restored)) {
                        fresh.add(node.path("nodeId").asString());
                    }
                }
                return fresh.containsAll(network.peers().keySet()) && fresh.containsAll(network.orderers().keySet());
            });
        } finally {
            java.nio.file.Files.deleteIfExists(dump);
        }
    }

    /**
     * One organization's unit restarted as its operator would restart it (every peer of Org1MSP stopped with
     * SIGTERM, then started again on its volume and database): meanwhile the orderers go on ordering and the other
     * organization's peer goes on committing; afterwards Org1's peers find the orderers and each other through the
     * index again, one of them holds Org1's leader lease, and transactions through both organizations are VALID on
     * every peer.
     */
    @Test
    @Order(9)
    void anOrganizationsWholeUnitRestartedRejoinsTheConsortium() throws Exception {
        assetsChannel();
        List<String> org1Peers = PEERS.entrySet().stream().filter(e -> e.getValue().equals("Org1MSP")).map(Map.Entry::getKey)
                .toList();
        for (String peer : org1Peers) {
            assertThat(network.stopPeer(peer)).as("exit code of " + peer).isIn(0L, 143L);
        }
        long org2Height = Peers.height(network.peers().get("org2-peer0"), admin("org2-peer0"), network.root(), ASSETS);
        GenericContainer<?> orderer = network.orderers().values().iterator().next();
        try (TransportClient transport = Orderers.connect(orderer, client, network.root())) {
            BroadcastResponse answer = Orderers.broadcast(transport, Orderers.envelope(ASSETS, client, "while Org1 is down"));
            assertThat(answer.getStatus()).as(answer.getMessage()).isEqualTo(BroadcastStatus.SUCCESS);
        }
        await("Org2's peer committing while Org1's unit is down", () -> Peers.height(network.peers().get("org2-peer0"),
                admin("org2-peer0"), network.root(), ASSETS) > org2Height);

        for (String peer : org1Peers) {
            network.restartPeer(peer);
        }
        assertThat(awaitIndexLeaders().get("Org1MSP")).isIn(org1Peers);
        try (Gateway org1 = gateway(client); Gateway org2 = gateway(org2Client)) {
            List<SubmitResult> results = List.of(
                    settle(org1.network(ASSETS).contract(CONTRACT, POLICY).submit("CreateAsset", "after-org1-restart-1",
                            "teal", "1", "", "1")),
                    settle(org2.network(ASSETS).contract(CONTRACT, POLICY).submit("CreateAsset", "after-org1-restart-2",
                            "teal", "1", "", "1")));
            for (String peer : PEERS.keySet()) {
                for (SubmitResult result : results) {
                    assertThat(Peers.validationCode(network.peers().get(peer), admin(peer), network.root(), ASSETS,
                            result.txId())).as(peer + " " + result.txId()).isEqualTo("VALID");
                }
            }
        }
    }

    // ---- helpers

    private byte[] joinAll(String channel) throws Exception {
        byte[] genesis = Channels.genesis(channel, network.admin(), CHANNEL_ORGS, ORDERERS).toByteArray();
        for (String name : ORDERERS) {
            if (!network.orderers().containsKey(name)) {
                continue;
            }
            HttpResponse<String> answer = Orderers.join(network.orderers().get(name), network.ordererAdmin(), network.root(), genesis);
            assertThat(answer.statusCode()).as(name + ": " + answer.body()).isEqualTo(201);
        }
        return genesis;
    }

    /**
     * The channel {@value #ASSETS}, set up once by the channel setup Job's container (the CLI image's script with the
     * Job's variables, {@link #channelSetupEnvironment()}): it enrolls or loads the admins, makes the genesis block
     * from the membership service, joins the orderers and the peers, installs the sample contract on every peer and
     * defines it with {@link #POLICY}. Then the same container again on the same data volume, as a retried Job runs
     * it: everything is found done and it succeeds without changing anything.
     */
    private synchronized void assetsChannel() throws Exception {
        if (assetsReady) {
            return;
        }
        Map<String, String> env = channelSetupEnvironment();
        String first = network.runChannelSetup(env);
        assertThat(first).contains("orderer-admin: enrolled", "org1-admin: enrolled",
                "org2-admin: loaded from /etc/charter/admins/org2-admin", "channel " + ASSETS + " is set up");
        String again = network.runChannelSetup(env);
        assertThat(again).contains("orderer-admin: in the wallet already", "(made by an earlier attempt)",
                "had already joined channel " + ASSETS, CONTRACT + " is defined on " + ASSETS, "channel " + ASSETS + " is set up")
                .doesNotContain(": enrolled", "defined contract");
        await("a Raft leader of " + ASSETS, () -> leaderOf(ASSETS, ORDERERS) != null);
        for (String peer : PEERS.keySet()) {
            assertThat(Peers.height(network.peers().get(peer), admin(peer), network.root(), ASSETS)).as(peer).isPositive();
        }
        assetsReady = true;
    }

    /** The variables of the Job channel-setup (deploy/kubernetes/units/orderer-organization/channel-setup.yaml) for this network's names. */
    private Map<String, String> channelSetupEnvironment() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("CHARTER_MEMBERSHIP_URL", "https://membership:7054");
        env.put("CHARTER_CONSORTIUM_ROOT", CharterNetwork.ROOT_FILE);
        env.put("CHANNEL", ASSETS);
        env.put("CHANNEL_ORGS", String.join(",", CharterNetwork.PEER_ORGS));
        env.put("CHANNEL_CONSENTERS", String.join(",", ORDERERS.stream().map(name -> name + ":7051").toList()));
        env.put("CHANNEL_ANCHOR_PEERS", "Org1MSP=org1-peer0:7060,Org2MSP=org2-peer0:7060");
        env.put("ORDERER_ADMIN", "orderer-admin");
        env.put("ORDERER_ADMIN_URLS", String.join(" ", ORDERERS.stream().map(name -> "https://" + name + ":9443").toList()));
        env.put("PEER_ADMINS", String.join(" ", PEERS.entrySet().stream().map(e -> (e.getValue().equals("Org1MSP")
                ? "org1-admin" : "org2-admin") + "=" + e.getKey() + ":7060").toList()));
        env.put("CONTRACT_NAME", CONTRACT);
        env.put("CONTRACT_VERSION", "1.0");
        env.put("CONTRACT_POLICY", POLICY);
        env.put("CONTRACT_DEFINER", "org1-admin");
        env.put("JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=75 -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        return env;
    }

    /** Waits until every running peer has committed the result's block, so the next proposal reads the same state on all. */
    private SubmitResult settle(SubmitResult result) {
        await("every peer past block " + result.blockNumber(), () -> network.peers().keySet().stream().allMatch(peer ->
                Peers.height(network.peers().get(peer), admin(peer), network.root(), ASSETS) > result.blockNumber()));
        return result;
    }

    /** The SDK connected as {@code member}, with the network's peers and orderers at their host ports. */
    private Gateway gateway(MembershipAdmin.Member member) {
        List<NodeEndpoint> peers = network.peers().entrySet().stream().map(e -> new NodeEndpoint(e.getKey(),
                PEERS.get(e.getKey()), "localhost", e.getValue().getMappedPort(7060))).toList();
        List<NodeEndpoint> orderers = network.orderers().entrySet().stream().map(e -> new NodeEndpoint(e.getKey(),
                CharterNetwork.ORDERER_ORG, "localhost", e.getValue().getMappedPort(7050))).toList();
        return Gateway.builder(Identity.of(member.signingChain(), member.signingKeys().getPrivate(), member.tlsChain(),
                member.tlsKeys().getPrivate())).trustRoots(List.of(network.root())).peers(peers).orderers(orderers).connect();
    }

    private MembershipAdmin.TlsIdentity admin(String peer) {
        return network.organizationAdmin(PEERS.get(peer)).tls();
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    /** The Raft leader's id as the given orderers agree on it, or null. */
    private String leaderOf(String channel, List<String> asking) {
        String agreed = null;
        for (String name : asking) {
            JsonNode raft = Orderers.raft(network.orderers().get(name), network.ordererAdmin(), network.root(), channel);
            String leader = raft.path("leader").asString("");
            if (leader.isEmpty() || (agreed != null && !agreed.equals(leader))) {
                return null;
            }
            agreed = leader;
        }
        // Raft ids are host_port; the container is named by the host
        return agreed == null ? null : agreed.substring(0, agreed.lastIndexOf('_'));
    }

    private Set<String> upNodes(String role) {
        Set<String> up = new HashSet<>();
        for (JsonNode node : network.admin().nodes()) {
            if (role.equals(node.path("role").asString()) && "UP".equals(node.path("state").asString())
                    && !node.path("signingCertificate").asString().isEmpty() && !node.path("tlsCertificate").asString().isEmpty()) {
                up.add(node.path("nodeId").asString());
            }
        }
        return up;
    }

    /**
     * Every named orderer serves the same chain (same header hashes, block by block, up to the common height),
     * and each transaction id in {@code expected} appears in it exactly once.
     */
    private void assertSameChains(String channel, List<String> names, List<String> expected) throws Exception {
        Map<String, List<Block>> chains = new HashMap<>();
        await("the orderers at one height", () -> {
            Set<Long> heights = new HashSet<>();
            for (String name : names) {
                heights.add(Orderers.channel(network.orderers().get(name), network.ordererAdmin(), network.root(), channel)
                        .path("height").asLong(-1));
            }
            return heights.size() == 1 && !heights.contains(-1L);
        });
        long height = Orderers.channel(network.orderers().get(names.getFirst()), network.ordererAdmin(), network.root(), channel)
                .path("height").asLong();
        for (String name : names) {
            try (TransportClient transport = Orderers.connect(network.orderers().get(name), client, network.root())) {
                chains.put(name, Orderers.deliver(transport, channel, 0, height - 1));
            }
        }
        List<ByteString> reference = chains.get(names.getFirst()).stream().map(b -> BlockHashing.headerHash(b.getHeader())).toList();
        assertThat(reference).hasSize((int) height);
        for (String name : names) {
            assertThat(chains.get(name).stream().map(b -> BlockHashing.headerHash(b.getHeader())).toList()).as(name).isEqualTo(reference);
        }
        Map<String, Integer> occurrences = new HashMap<>();
        for (Block block : chains.get(names.getFirst())) {
            for (ByteString bytes : block.getData().getEnvelopesList()) {
                String txId = txId(Envelope.parseFrom(bytes));
                occurrences.merge(txId, 1, Integer::sum);
            }
        }
        for (String txId : expected) {
            assertThat(occurrences.getOrDefault(txId, 0)).as("occurrences of acknowledged " + txId).isEqualTo(1);
        }
    }

    private static String txId(Envelope envelope) throws Exception {
        return Payload.parseFrom(envelope.getPayload()).getHeader().getTxId();
    }

    private static Container.ExecResult exec(GenericContainer<?> container, String... command) throws Exception {
        return container.execInContainer(command);
    }

    private static <T> T unchecked(java.util.concurrent.Callable<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls until true; an error counts as "not yet" (a node still starting). */
    static void await(String what, Supplier<Boolean> condition) {
        Await.untilAnswered(what, condition::get, Duration.ofMinutes(3), Duration.ofMillis(500));
    }
}
