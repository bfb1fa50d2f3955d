package io.charter.client.e2e;

import static io.charter.client.cli.CliRun.charter;
import static org.assertj.core.api.Assertions.assertThat;

import io.charter.client.cli.CliRun;
import io.charter.client.cli.network.NetworkLayout;
import io.charter.client.cli.network.NetworkPorts;
import io.charter.client.sdk.ChannelConfigs.ConfigBlock;
import io.charter.client.sdk.CommitStatus;
import io.charter.client.sdk.Contract;
import io.charter.client.sdk.Gateway;
import io.charter.client.sdk.Identity;
import io.charter.client.sdk.Network;
import io.charter.client.sdk.NodeEndpoint;
import io.charter.client.sdk.SdkException;
import io.charter.client.sdk.SubmitResult;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.membership.MembershipClient;
import io.charter.common.testing.Await;
import io.charter.common.testing.FreePorts;
import io.charter.protocol.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local network survives a crash of its host (issue #20): writers submit through the SDK and record every
 * transaction the network acknowledged as committed; the host is killed with SIGKILL in the middle of that load;
 * {@code charter up} starts it again with no manual step; every acknowledged transaction is then valid at the
 * same position on every peer, the peers and the orderers hold the same block, every node reports the same height, and
 * the network takes new transactions. Three times:
 * once with the host's PostgreSQL watchdog killed as well (so {@code charter up} must stop the PostgreSQL the
 * dead host left), once with the watchdog alive (which stops it by itself), the second time in durable mode; a
 * third time while a configuration update signed by both organizations is being submitted, after which the update
 * is in force on every orderer and peer or on none (and, if the CLI saw it committed, on all).
 */
class LocalNetworkCrashIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HexFormat HEX = HexFormat.of();
    private static final List<String> PEER_ORGANIZATIONS = List.of("Org1MSP", "Org1MSP", "Org2MSP", "Org2MSP");

    private Path home;
    private final AtomicInteger checks = new AtomicInteger();

    @Test
    void aHostKilledMidLoadComesBackWithEveryAcknowledgedTransactionOnEveryPeer() throws Exception {
        home = Files.createTempDirectory("charter-crash");
        int base = FreePorts.base(27150, 31); // NetworkPorts: base to base+30
        NetworkLayout layout = NetworkLayout.under(home);
        assertOk(up("--port-base", Integer.toString(base)));
        Map<String, SubmitResult> acknowledged = new ConcurrentHashMap<>();

        // 1. host and watchdog killed: nothing stops PostgreSQL but the next `charter up`
        loadThenKill(layout, acknowledged, "a", true, Optional.empty());
        assertThat(layout.runningPostgres()).as("PostgreSQL outlived its host").isPresent();
        long leftover = layout.runningPostgres().get().pid();
        CliRun again = up();
        assertOk(again);
        assertThat(again.err()).contains("Stopping PostgreSQL (pid " + leftover + ") left running");
        checkEveryPeer(base, acknowledged);

        // 2. the host alone killed: its watchdog stops PostgreSQL; the network comes back in durable mode
        loadThenKill(layout, acknowledged, "b", false, Optional.empty());
        Await.until("the watchdog stops PostgreSQL once its host is gone", () -> layout.runningPostgres().isEmpty(), Duration.ofSeconds(120));
        CliRun durable = up("--durable");
        assertOk(durable);
        assertThat(durable.err()).doesNotContain("left running").contains("durable: fsync and synchronous commits");
        CliRun status = charter(home, "status", "-o", "json");
        assertOk(status);
        assertThat(JSON.readTree(status.out()).path("durable").asBoolean()).isTrue();
        checkEveryPeer(base, acknowledged);

        // 3. killed while a configuration update is in flight: after the restart it is in force everywhere or
        // nowhere, never lost once acknowledged, and a configuration update goes through again
        Path update = signedBatchTimeoutUpdate("250ms", "300ms");
        AtomicReference<CliRun> submit = new AtomicReference<>();
        Thread submitter = Thread.ofPlatform().unstarted(() -> submit.set(charter(home, "channel", "config", "submit",
                "-C", NetworkLayout.CHANNEL, "--file", update.toString())));
        loadThenKill(layout, acknowledged, "c", false, Optional.of(submitter));
        submitter.join(Duration.ofSeconds(120));
        boolean acknowledgedUpdate = submit.get() != null && submit.get().exitCode() == 0;
        Await.until("the watchdog stops PostgreSQL once its host is gone", () -> layout.runningPostgres().isEmpty(), Duration.ofSeconds(120));
        assertOk(up("--durable"));
        checkEveryPeer(base, acknowledged);
        Map<String, ConfigBlock> inForce = configOnEveryOrderer(base);
        ConfigBlock first = inForce.values().iterator().next();
        assertThat(inForce.values()).as("the configuration each orderer has in force").allMatch(first::equals);
        boolean applied = first.config().getOrderer().getBatchTimeout().getNanos() == 300_000_000;
        if (acknowledgedUpdate) {
            assertThat(applied).as("a configuration update the CLI saw committed is in force after the crash").isTrue();
        }
        if (!applied) {
            CliRun resubmitted = charter(home, "channel", "config", "submit", "-C", NetworkLayout.CHANNEL, "--file",
                    update.toString());
            assertOk(resubmitted);
            inForce = configOnEveryOrderer(base);
            first = inForce.values().iterator().next();
            assertThat(inForce.values()).allMatch(first::equals);
            assertThat(first.config().getOrderer().getBatchTimeout().getNanos()).isEqualTo(300_000_000);
        }
        long configBlock = first.blockNumber();
        for (String peer : NetworkPorts.PEERS) {
            CliRun block = charter(home, "block", Long.toString(configBlock), "--peer", peer, "-o", "json", "--wait", "60");
            assertOk(block);
            assertThat(JSON.readTree(block.out()).path("transactions").get(0).path("type").asString())
                    .as("block %d on %s", configBlock, peer).isEqualTo("CONFIG");
        }
        checkEveryPeer(base, acknowledged);

        assertOk(charter(home, "down"));
        assertThat(layout.runningPostgres()).isEmpty();
        System.out.printf("crash test: %d acknowledged transactions found valid on all 4 peers after 3 kills; the"
                + " configuration update in flight at the third was %s before the crash%n", acknowledged.size(),
                acknowledgedUpdate ? "acknowledged" : applied ? "committed but not acknowledged" : "not committed");
    }

    /** The channel's configuration with the orderers' batch timeout changed, signed by both organizations' admins. */
    private Path signedBatchTimeoutUpdate(String from, String to) throws IOException {
        Path fetched = home.resolve("config.yaml");
        assertOk(charter(home, "channel", "config", "fetch", "-C", NetworkLayout.CHANNEL, "--out", fetched.toString()));
        String config = Files.readString(fetched);
        assertThat(config).contains("batchTimeout: " + from);
        Path edited = home.resolve("edited.yaml");
        Files.writeString(edited, config.replace("batchTimeout: " + from, "batchTimeout: " + to));
        Path update = home.resolve("update.pb");
        assertOk(charter(home, "channel", "config", "update", "-C", NetworkLayout.CHANNEL, "--file", edited.toString(),
                "--out", update.toString()));
        assertOk(charter(home, "channel", "config", "sign", "--file", update.toString(), "--identity", "org1-admin"));
        assertOk(charter(home, "channel", "config", "sign", "--file", update.toString(), "--identity", "org2-admin"));
        return update;
    }

    /** The configuration block each of the three orderers delivers as the one in force, by orderer. */
    private Map<String, ConfigBlock> configOnEveryOrderer(int base) {
        NetworkPorts ports = new NetworkPorts(base);
        Map<String, ConfigBlock> configs = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            NodeEndpoint orderer = new NodeEndpoint("orderer" + (i + 1), "OrdererMSP", "127.0.0.1", ports.orderer(i));
            try (Connection connection = connect(Optional.empty(), Optional.of(orderer))) {
                configs.put(orderer.name(), connection.gateway().network(NetworkLayout.CHANNEL).configs().current(0));
            }
        }
        return configs;
    }

    /**
     * Writers submit until at least 20 more transactions were acknowledged, then {@code alsoStart} starts and the
     * host is killed under them all.
     */
    private void loadThenKill(NetworkLayout layout, Map<String, SubmitResult> acknowledged, String run,
            boolean killWatchdog, Optional<Thread> alsoStart) throws Exception {
        int before = acknowledged.size();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        try (Connection connection = connect(Optional.empty(), Optional.empty())) {
            Contract contract = connection.gateway().network(NetworkLayout.CHANNEL).contract("asset-transfer");
            for (int w = 0; w < 3; w++) {
                String prefix = "crash-" + run + "-" + w + "-";
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        try {
                            SubmitResult result = contract.submit("CreateAsset", prefix + n, "blue", "5", "crash", "100");
                            acknowledged.put(result.txId(), result);
                        } catch (RuntimeException e) {
                            return; // the host is gone: what was acknowledged so far is what counts
                        }
                    }
                }));
            }
            Await.until("20 transactions acknowledged", () -> acknowledged.size() >= before + 20, Duration.ofSeconds(120));
            if (alsoStart.isPresent()) {
                alsoStart.get().start();
                Thread.sleep(ThreadLocalRandom.current().nextInt(50, 400)); // anywhere from broadcast to commit
            }
            if (killWatchdog) {
                ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(List::of).orElse(List.of())
                        .contains("charter-postgres-watchdog")).forEach(ProcessHandle::destroyForcibly);
            }
            ProcessHandle host = layout.runningHost().orElseThrow();
            host.destroyForcibly(); // SIGKILL: no shutdown hook runs
            host.onExit().get(30, TimeUnit.SECONDS);
            stop.set(true);
            for (Thread writer : writers) {
                writer.join(Duration.ofSeconds(120));
            }
        }
    }

    /**
     * A new transaction commits; then every peer answers every acknowledged transaction valid at the block and
     * position the writer was told, and serves the new transaction's block with the same hashes.
     */
    private void checkEveryPeer(int base, Map<String, SubmitResult> acknowledged) throws Exception {
        SubmitResult fresh;
        try (Connection connection = connect(Optional.empty(), Optional.empty())) {
            fresh = connection.gateway().network(NetworkLayout.CHANNEL).contract("asset-transfer")
                    .submit("CreateAsset", "after-crash-" + checks.incrementAndGet(), "green", "1", "crash", "1");
        }
        NetworkPorts ports = new NetworkPorts(base);
        List<String> blockViews = new ArrayList<>();
        for (int i = 0; i < NetworkPorts.PEERS.size(); i++) {
            NodeEndpoint peer = new NodeEndpoint(NetworkPorts.PEERS.get(i), PEER_ORGANIZATIONS.get(i), "127.0.0.1",
                    ports.peer(i));
            try (Connection connection = connect(Optional.of(peer), Optional.empty())) {
                Network network = connection.gateway().network(NetworkLayout.CHANNEL);
                for (SubmitResult expected : acknowledged.values()) {
                    CommitStatus status = awaitStatus(network, expected.txId());
                    assertThat(status.isValid()).as("%s on %s", expected.txId(), peer.name()).isTrue();
                    assertThat(status.blockNumber()).isEqualTo(expected.blockNumber());
                    assertThat(status.txNumber()).isEqualTo(expected.txNumber());
                }
                assertThat(awaitStatus(network, fresh.txId()).isValid()).isTrue();
            }
            CliRun block = charter(home, "block", Long.toString(fresh.blockNumber()), "--peer", peer.name(), "-o", "json");
            assertOk(block);
            JsonNode view = JSON.readTree(block.out());
            blockViews.add(view.path("previousHash").asString() + "/" + view.path("dataHash").asString());
        }
        for (int i = 0; i < 3; i++) {
            NodeEndpoint orderer = new NodeEndpoint("orderer" + (i + 1), "OrdererMSP", "127.0.0.1", ports.orderer(i));
            try (Connection connection = connect(Optional.empty(), Optional.of(orderer))) {
                Block block = connection.gateway().network(NetworkLayout.CHANNEL).configs().ordererBlock(fresh.blockNumber());
                blockViews.add(HEX.formatHex(block.getHeader().getPreviousHash().toByteArray()) + "/"
                        + HEX.formatHex(block.getHeader().getDataHash().toByteArray()));
            }
        }
        assertThat(blockViews).as("block " + fresh.blockNumber() + " on the 4 peers and the 3 orderers").hasSize(7)
                .allMatch(blockViews.getFirst()::equals);
        Await.until("every orderer and peer at one height past block " + fresh.blockNumber() + " in the index", () -> {
            CliRun nodes = charter(home, "nodes", "-o", "json");
            List<Long> heights = new ArrayList<>();
            JSON.readTree(nodes.out()).forEach(node -> heights.add(node.path("height").asLong(-1)));
            return nodes.exitCode() == 0 && heights.size() == 7 && heights.stream().distinct().count() == 1
                    && heights.getFirst() > fresh.blockNumber();
        }, Duration.ofSeconds(120));
    }

    /** A peer may still be catching up right after the restart: asks again for a minute. */
    private static CommitStatus awaitStatus(Network network, String txId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return network.commitStatus(txId);
            } catch (SdkException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    /** {@code ./charter up ARGS} as a user runs it (the launcher puts the membership service on the host's path). */
    private CliRun up(String... args) throws IOException, InterruptedException {
        Path repository = Path.of("").toAbsolutePath().getParent().getParent();
        List<String> command = new ArrayList<>(List.of("./charter", "up"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(home, "up", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(repository.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("CHARTER_HOME", home.toString());
        Process process = builder.start();
        assertThat(process.waitFor(8, TimeUnit.MINUTES)).as("charter up finished").isTrue();
        String output = Files.readString(log);
        return new CliRun(process.exitValue(), output, output);
    }

    private record Connection(Gateway gateway, MembershipClient membership) implements AutoCloseable {
        @Override
        public void close() {
            gateway.close();
            membership.close();
        }
    }

    /**
     * A gateway as org1-admin of the wallet that `charter up` filled; discovery through the index, or one peer, or
     * one orderer.
     */
    private Connection connect(Optional<NodeEndpoint> peer, Optional<NodeEndpoint> orderer) {
        Wallet wallet = new Wallet(home.resolve("wallet"));
        WalletIdentity caller = wallet.get("org1-admin");
        Wallet.Connection connection = wallet.connection().orElseThrow();
        Identity identity = Identity.of(caller.signingChain(), caller.privateKey(), caller.tls().orElseThrow().fullChain(),
                caller.tls().orElseThrow().privateKey());
        MembershipClient membership = new MembershipClient(connection.membershipUrl(), connection.consortiumRoot());
        Gateway.Builder builder = Gateway.builder(identity).trustRoots(List.of(connection.consortiumRoot()))
                .membership(membership);
        peer.ifPresent(p -> builder.peers(List.of(p)));
        orderer.ifPresent(o -> builder.orderers(List.of(o)));
        return new Connection(builder.connect(), membership);
    }

    @AfterEach
    void stopWhateverRuns() throws IOException {
        if (home == null) {
            return;
        }
        charter(home, "down");
    }

    private static void assertOk(CliRun run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }
}
