package io.charter.deploy.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.google.protobuf.ByteString;
import io.charter.common.protocol.BlockHashing;
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
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import tools.jackson.databind.JsonNode;

/**
 * The membership service and three orderers from the project's images, bootstrapped as on Kubernetes: the
 * orderers enroll themselves with the identities the operator registered, register in the index and
 * heartbeat; an admin of the orderer organization joins channels through the participation API; clients of
 * Org1MSP broadcast over the mutual-TLS transport. One network for the class (starting it is the expensive
 * part); each test uses channels of its own, and the destructive ones run last.
 */
@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class OrderingNetworkTest {

    static final List<String> ORDERERS = List.of("orderer0", "orderer1", "orderer2");
    static final List<String> CHANNEL_ORGS = List.of(CharterNetwork.ORDERER_ORG, "Org1MSP", "Org2MSP");

    CharterNetwork network;
    MembershipAdmin.Member client;

    @BeforeAll
    void startNetwork() throws Exception {
        network = CharterNetwork.start(ORDERERS.size());
        client = network.admin().registerAndEnroll("client1", "client", "Org1MSP");
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
        await("three orderers UP in the index", () -> upOrderers().containsAll(ORDERERS));
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

    @Test
    @Order(3)
    void orderersKeepOrderingWhileTheMembershipServiceIsDownAndHeartbeatToItAgainAfter() throws Exception {
        String channel = "membership-down";
        joinAll(channel);
        await("a Raft leader of " + channel, () -> leaderOf(channel, ORDERERS) != null);

        network.stopMembership();
        try (TransportClient transport = Orderers.connect(network.orderers().get("orderer2"), client, network.root())) {
            for (int i = 0; i < 3; i++) {
                BroadcastResponse answer = Orderers.broadcast(transport, Orderers.envelope(channel, client, "while down " + i));
                assertThat(answer.getStatus()).as(answer.getMessage()).isEqualTo(BroadcastStatus.SUCCESS);
            }
        }

        Instant restarted = Instant.now();
        network.startMembershipService();
        network.admin().rebase(network.membershipUrl());
        await("every orderer heartbeating to the new instance", () -> {
            JsonNode nodes = network.admin().nodes();
            int fresh = 0;
            for (JsonNode node : nodes) {
                if (ORDERERS.contains(node.path("nodeId").asString()) && "UP".equals(node.path("state").asString())
                        && Instant.parse(node.path("lastHeartbeat").asString()).isAfter(restarted)) {
                    fresh++;
                }
            }
            return fresh == ORDERERS.size();
        });
    }

    @Test
    @Order(4)
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
        GenericContainer<?> stopped = network.orderers().get(leader);
        DockerClient docker = DockerClientFactory.instance().client();
        docker.stopContainerCmd(stopped.getContainerId()).withTimeout(30).exec();
        Long exitCode = docker.inspectContainerCmd(stopped.getContainerId()).exec().getState().getExitCodeLong();
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

    // ---- helpers

    private void joinAll(String channel) throws Exception {
        byte[] genesis = Channels.genesis(channel, network.admin(), CHANNEL_ORGS, ORDERERS).toByteArray();
        for (String name : ORDERERS) {
            if (!network.orderers().containsKey(name)) {
                continue;
            }
            HttpResponse<String> answer = Orderers.join(network.orderers().get(name), network.ordererAdmin(), network.root(), genesis);
            assertThat(answer.statusCode()).as(name + ": " + answer.body()).isEqualTo(201);
        }
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

    private Set<String> upOrderers() {
        Set<String> up = new HashSet<>();
        for (JsonNode node : network.admin().nodes()) {
            if ("orderer".equals(node.path("role").asString()) && "UP".equals(node.path("state").asString())
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

    /** Polls until true; the bound only keeps a broken network from hanging the build. */
    static void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.get()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("not reached: " + what + (last == null ? "" : " (last error: " + last + ")"), last);
    }
}
