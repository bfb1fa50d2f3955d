package io.charter.client.e2e;

import static io.charter.client.cli.CliRun.charter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.client.cli.CliRun;
import io.charter.client.cli.ExitCodes;
import io.charter.client.cli.network.NetworkLayout;
import io.charter.client.cli.network.NetworkPorts;
import io.charter.client.sdk.Contract;
import io.charter.client.sdk.EndorsedTransaction;
import io.charter.client.sdk.Gateway;
import io.charter.client.sdk.Identity;
import io.charter.client.sdk.Invocation;
import io.charter.client.sdk.SdkErrorCode;
import io.charter.client.sdk.SdkException;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.membership.MembershipClient;
import io.charter.common.testing.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 6's end-to-end proof: the README's main-job command ({@code ./charter up}) run as a process from
 * the repository root, as a newcomer runs it; then, with the CLI: a new user enrolled in each
 * organization, the sample contract invoked through both organizations, the result queried from a peer of
 * each, a user revoked and its next invoke refused, and {@code charter down}.
 *
 * <p>It runs after {@code package} (failsafe), so that the launcher finds the client built. The network
 * gets a home folder of its own and a free port range ({@code CHARTER_HOME}, {@code CHARTER_PORT_BASE}).
 */
class LocalNetworkIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Path home;

    /**
     * Every listener of the local network is on the loopback interface (issue #16, item 7), read from the kernel's
     * socket tables. A JVM listens on IPv6 sockets, where 127.0.0.1 is the v4-mapped ::ffff:127.0.0.1.
     */
    private static void assertListensOnLoopbackOnly(int port) throws IOException {
        List<String> loopback = List.of("0100007F", "0000000000000000FFFF00000100007F", "00000000000000000000000001000000");
        String portHex = String.format(":%04X", port);
        List<String> listeners = new ArrayList<>();
        for (String name : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path table = Path.of(name);
            if (!Files.exists(table)) {
                continue; // not Linux: nothing to read the listeners from
            }
            Files.readAllLines(table).stream().skip(1).map(String::strip).map(line -> line.split("\\s+"))
                    .filter(fields -> fields[1].endsWith(portHex) && fields[3].equals("0A"))
                    .forEach(fields -> listeners.add(fields[1].substring(0, fields[1].length() - portHex.length())));
        }
        if (Files.exists(Path.of("/proc/net/tcp"))) {
            assertThat(listeners).as("the addresses port " + port + " listens on").isNotEmpty().allMatch(loopback::contains);
        }
    }

    @Test
    void aNewcomerStartsTheNetworkEnrollsTransactsIsRevokedAndStopsIt() throws Exception {
        Path repository = Path.of("").toAbsolutePath().getParent().getParent();
        String command = mainJobCommand(repository.resolve("README.md"));
        assertThat(command).isEqualTo("./charter up");
        home = Files.createTempDirectory("charter-e2e");
        int base = FreePorts.base(27050, 31); // NetworkPorts: base to base+30
        Path log = home.resolve("up.log");
        ProcessBuilder up = new ProcessBuilder("bash", "-c", command).directory(repository.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        up.environment().put("CHARTER_HOME", home.toString());
        up.environment().put("CHARTER_PORT_BASE", Integer.toString(base));
        Process process = up.start();
        assertThat(process.waitFor(8, TimeUnit.MINUTES)).as("charter up finished").isTrue();
        String upOutput = Files.readString(log);
        assertThat(process.exitValue()).as(upOutput).isZero();
        assertThat(upOutput).contains("Local network ready").contains("contract asset-transfer installed on 4 peers")
                .contains("Try (as org1-admin");
        // the network map: its page is served where up says, its data only to a certificate (docs/membership-service.md)
        String mapUrl = "https://localhost:" + new NetworkPorts(base).membership() + "/map/";
        assertThat(upOutput).contains("network map  " + mapUrl);
        X509Certificate consortiumRoot = new Wallet(home.resolve("wallet")).connection().orElseThrow().consortiumRoot();
        HttpClient https = io.charter.common.testing.TestTls.httpClient(java.util.Optional.empty(), consortiumRoot);
        HttpResponse<String> page = https.send(HttpRequest.newBuilder(URI.create(mapUrl)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Charter network map");
        assertThat(https.send(HttpRequest.newBuilder(URI.create(mapUrl.replace("/map/", "/api/v1/network-map"))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        for (int port : new NetworkPorts(base).all().keySet()) {
            assertListensOnLoopbackOnly(port);
        }

        // every orderer and peer serves its health and metrics as its shell does in a deployment; status says where
        CliRun status = charter(home, "status", "-o", "json");
        assertOk(status);
        assertThat(JSON.readTree(status.out()).path("networkMap").asString()).isEqualTo(mapUrl);
        int withOperations = 0;
        for (JsonNode node : JSON.readTree(status.out()).path("nodes")) {
            String role = node.path("role").asString();
            if (!role.equals("peer") && !role.equals("orderer")) {
                continue;
            }
            withOperations++;
            String operations = node.path("operations").asString();
            assertThat(operations).startsWith("http://127.0.0.1:").endsWith("/actuator");
            HttpResponse<String> health = awaitReady(operations + "/health/readiness");
            assertThat(JSON.readTree(health.body()).path("components").path(role.equals("peer") ? "peer" : "ordering")
                    .path("details").path("channels").path(NetworkLayout.CHANNEL).path("ready").asBoolean())
                    .as(node.path("name").asString()).isTrue();
            HttpResponse<String> metrics = get(operations + "/prometheus");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains(role.equals("peer") ? "charter_peer_ledger_height{" : "charter_orderer_")
                    .contains("node=\"" + node.path("name").asString() + "\"");
            HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create(operations + "/health"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).isEqualTo(405);
        }
        assertThat(withOperations).isEqualTo(7);

        // each organization's leader is the peer holding the index's leader lease, taken by the peer itself
        CliRun leaders = awaitLeaders(() -> charter(home, "nodes", "-o", "json"));
        assertOk(leaders);
        Map<String, Integer> leadersByOrganization = new java.util.TreeMap<>();
        for (JsonNode node : JSON.readTree(leaders.out())) {
            if (node.path("leader").asBoolean()) {
                leadersByOrganization.merge(node.path("mspId").asString(), 1, Integer::sum);
            }
        }
        assertThat(leadersByOrganization).as(leaders.out()).isEqualTo(Map.of("Org1MSP", 1, "Org2MSP", 1));

        // the index's view of the channel as a Graphviz graph: blocks flow from the orderers to each organization's leader
        CliRun graph = charter(home, "nodes", "-o", "dot");
        assertOk(graph);
        assertThat(graph.out()).startsWith("digraph \"charter mychannel\" {").contains("label=\"Org1MSP\";")
                .containsPattern("\"OrdererMSP/orderer1\" -> \"Org1MSP/peer[^\"]*\" \\[label=\"blocks\"");

        // a new user in each organization, registered by its organization's admin
        String aliceSecret = secret(charter(home, "register", "alice", "--org", "Org1MSP", "--as", "org1-admin", "-o", "json"));
        assertOk(charter(home, "enroll", "alice", "--secret", aliceSecret));
        String carolSecret = secret(charter(home, "register", "carol", "--org", "Org2MSP", "--as", "org2-admin", "-o", "json"));
        assertOk(charter(home, "enroll", "carol", "--secret", carolSecret));

        // invoked through both organizations (each transaction endorsed by AND(Org1, Org2)): alice of Org1 creates
        // an asset she owns and gives it to carol of Org2, who revalues it
        CliRun created = charter(home, "invoke", "asset-transfer", "CreateAsset", "e2e-asset", "green", "7", "", "300",
                "--as", "alice");
        assertOk(created);
        assertThat(created.out()).contains("\"owner\":\"alice@Org1MSP\"").contains("committed: transaction");
        assertOk(charter(home, "invoke", "asset-transfer", "TransferAsset", "e2e-asset", "carol@Org2MSP", "--as", "alice"));
        assertOk(charter(home, "invoke", "asset-transfer", "UpdateAsset", "e2e-asset", "green", "7", "350", "--as", "carol"));

        // their events, in two runs resumed from a checkpoint: each event once; blocks from 0 as JSON lines
        Path checkpoint = home.resolve("asset-events.json");
        CliRun firstEvent = charter(home, "events", "--contract", "asset-transfer", "--count", "1", "--checkpoint",
                checkpoint.toString(), "-o", "json");
        assertOk(firstEvent);
        assertThat(firstEvent.out().lines().toList()).hasSize(1);
        var createdEvent = JSON.readTree(firstEvent.out());
        assertThat(createdEvent.path("event").asString()).isEqualTo("AssetCreated");
        assertThat(createdEvent.path("payload").asString()).contains("\"e2e-asset\"");
        CliRun laterEvents = charter(home, "events", "--contract", "asset-transfer", "--checkpoint", checkpoint.toString(),
                "--wait", "2", "-o", "json");
        assertOk(laterEvents);
        List<String> laterNames = new ArrayList<>();
        for (String line : laterEvents.out().lines().toList()) {
            laterNames.add(JSON.readTree(line).path("event").asString());
        }
        assertThat(laterNames).as("resumed after the event already shown").startsWith("AssetTransferred")
                .doesNotContain("AssetCreated");
        CliRun nothingNew = charter(home, "events", "--contract", "asset-transfer", "--checkpoint", checkpoint.toString(),
                "--wait", "1");
        assertOk(nothingNew);
        assertThat(nothingNew.out()).isEmpty();
        CliRun firstBlocks = charter(home, "events", "--from", "0", "--count", "2", "-o", "json");
        assertOk(firstBlocks);
        assertThat(firstBlocks.out().lines().map(line -> JSON.readTree(line).path("number").asLong()).toList())
                .containsExactly(0L, 1L);
        CliRun blockText = charter(home, "events", "--from", "0", "--count", "1");
        assertOk(blockText);
        assertThat(blockText.out()).startsWith("block 0  1 transaction(s)").contains("  data hash ");
        CliRun wrongStream = charter(home, "events", "--checkpoint", checkpoint.toString());
        assertThat(wrongStream.exitCode()).as(wrongStream.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(wrongStream.err()).contains("is the position of the events of contract 'asset-transfer'");

        // an application outside this build, built against the SDK artifact alone, submits as alice (after
        // the events above were read: its asset is an event of its own)
        SdkApplication application = new SdkApplication(repository, Files.createDirectories(home.resolve("application")));
        SdkApplication.Run built = application.build();
        assertThat(built.exitCode()).as(built.output()).isZero();
        assertThat(application.classPath()).as("what the application's build resolved for the SDK").isNotEmpty()
                .noneMatch(e -> e.matches(".*/(org/springframework|org/apache/ratis|org/postgresql|io/zonky|org/flywaydb)/.*"))
                .noneMatch(e -> e.matches(".*/charter-(peer|orderer|membership-service|cli|localnet)-.*"));
        SdkApplication.Run ran = application.run("example.CreateAsset", home.resolve("wallet").toString(), "alice",
                "application-asset");
        assertThat(ran.exitCode()).as(ran.output()).isZero();
        assertThat(ran.output()).contains("committed ").contains("\"owner\":\"alice@Org1MSP\"");

        // queried from a peer of each organization
        for (String peer : List.of("peer0.org1", "peer1.org2")) {
            CliRun query = charter(home, "query", "asset-transfer", "ReadAsset", "e2e-asset", "--peer", peer, "--as", "alice");
            assertOk(query);
            assertThat(query.out()).as(peer).contains("\"owner\":\"carol@Org2MSP\"").contains("\"appraisedValue\":350");
        }

        // the index out of reach (a copy of the wallet that points at a closed port): a peer and an orderer given as
        // HOST:PORT still answer a query, a block, a transaction's status and the configuration; a peer given by name
        // cannot be found, and the CLI says why
        Path noIndex = Files.createTempDirectory("charter-no-index");
        try (var files = Files.walk(home.resolve("wallet"))) {
            for (Path source : files.toList()) {
                Files.copy(source, noIndex.resolve("wallet").resolve(home.resolve("wallet").relativize(source).toString()));
            }
        }
        Wallet cut = new Wallet(noIndex.resolve("wallet"));
        cut.saveConnection(new Wallet.Connection(URI.create("https://127.0.0.1:" + closedPort()),
                cut.connection().orElseThrow().consortiumRoot()));
        NetworkPorts ports = new NetworkPorts(base);
        String peerAddress = "127.0.0.1:" + ports.peer(2);
        CliRun direct = charter(noIndex, "query", "asset-transfer", "ReadAsset", "e2e-asset", "--peer", peerAddress,
                "--as", "carol");
        assertOk(direct);
        assertThat(direct.out()).contains("\"appraisedValue\":350");
        assertOk(charter(noIndex, "block", "1", "--peer", peerAddress));
        Matcher createdTx = Pattern.compile("committed: transaction ([0-9a-f]{64})").matcher(created.out());
        assertThat(createdTx.find()).as(created.out()).isTrue();
        CliRun txStatus = charter(noIndex, "tx", createdTx.group(1), "--peer", peerAddress, "-o", "json");
        assertOk(txStatus);
        assertThat(JSON.readTree(txStatus.out()).path("validationCode").asString()).isEqualTo("VALID");
        CliRun config = charter(noIndex, "channel", "info", "--orderer", "127.0.0.1:" + ports.orderer(1), "-o", "json");
        assertOk(config);
        assertThat(JSON.readTree(config.out()).path("policies").path("Endorsement").asString()).isNotEmpty();
        CliRun byName = charter(noIndex, "query", "asset-transfer", "ReadAsset", "e2e-asset", "--peer", "peer0.org2",
                "--as", "carol");
        assertThat(byName.exitCode()).as(byName.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(byName.err()).contains("is unreachable: ").doesNotContain("null");

        // an MVCC conflict: two updates of the asset endorsed against the same version; the second is invalidated,
        // and `charter tx` and `charter block` say which key changed beside the code
        String conflicted = secondOfTwoConcurrentUpdates("carol", "e2e-asset");
        CliRun conflictTx = charter(home, "tx", conflicted, "-o", "json");
        assertOk(conflictTx);
        JsonNode txView = JSON.readTree(conflictTx.out());
        assertThat(txView.path("validationCode").asString()).isEqualTo("MVCC_READ_CONFLICT");
        assertThat(txView.path("conflict").path("namespace").asString()).isEqualTo("asset-transfer");
        assertThat(txView.path("conflict").path("key").asString()).contains("e2e-asset");
        assertThat(txView.path("conflict").path("committedVersion").asString()).matches("\\d+:\\d+");
        // the key is composite (\u0001-separated): shown escaped, never as raw control characters
        assertThat(charter(home, "tx", conflicted).out()).contains("MVCC_READ_CONFLICT")
                .contains("asset\\u0001e2e-asset\\u0001 was read at version ").doesNotContain("\u0001");
        CliRun conflictBlock = charter(home, "block", Long.toString(txView.path("block").asLong()), "-o", "json");
        assertOk(conflictBlock);
        JsonNode inBlock = JSON.readTree(conflictBlock.out()).path("transactions").get(txView.path("txNumber").asInt());
        assertThat(inBlock.path("txId").asString()).isEqualTo(conflicted);
        assertThat(inBlock.path("conflict").path("explanation").asString()).contains("e2e-asset\\u0001 was read at version");
        CliRun channels = charter(home, "channel", "list");
        assertOk(channels);
        assertThat(channels.out()).contains("mychannel");
        CliRun info = charter(home, "channel", "info", "-o", "json");
        assertOk(info);
        assertThat(JSON.readTree(info.out()).path("policies").path("Endorsement").asString())
                .isEqualTo("AND('Org1MSP.peer', 'Org2MSP.peer')");
        Path genesis = home.resolve("mychannel.block");
        assertOk(charter(home, "block", "0", "--out", genesis.toString()));
        io.charter.protocol.Block fetched = io.charter.protocol.Block.parseFrom(java.nio.file.Files.readAllBytes(genesis));
        assertThat(fetched.getHeader().getNumber()).isZero();
        assertThat(io.charter.client.sdk.ChannelConfigs.configOf(fetched).getChannelId()).isEqualTo("mychannel");
        CliRun nodes = charter(home, "nodes", "-o", "json");
        assertOk(nodes);
        assertThat(JSON.readTree(nodes.out())).hasSize(7);

        // snapshots: a peer of each organization writes one of the channel (as its own admin); at the same height
        // the two hashes are equal; another organization's admin is refused
        CliRun foreignSnapshot = charter(home, "snapshot", "create", "--peer", "peer0.org2", "--as", "org1-admin");
        assertThat(foreignSnapshot.exitCode()).as(foreignSnapshot.toString()).isEqualTo(ExitCodes.REFUSED);
        Map<String, JsonNode> snapshots = new java.util.TreeMap<>();
        long snapshotDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (snapshots.size() < 2 || snapshots.get("peer0.org1").path("height").asLong()
                != snapshots.get("peer0.org2").path("height").asLong()) {
            assertThat(System.nanoTime()).as("both peers snapshot the same height within 60 s: " + snapshots)
                    .isLessThan(snapshotDeadline);
            for (String[] peerAndAdmin : List.of(new String[] {"peer0.org1", "org1-admin"},
                    new String[] {"peer0.org2", "org2-admin"})) {
                CliRun taken = charter(home, "snapshot", "create", "--peer", peerAndAdmin[0], "--as", peerAndAdmin[1],
                        "-o", "json");
                if (taken.exitCode() == ExitCodes.OK) {
                    snapshots.put(peerAndAdmin[0], JSON.readTree(taken.out()));
                } else {
                    // the same height as its last snapshot: the peer has not committed anything since
                    assertThat(taken.err()).as(taken.toString()).contains("SNAPSHOT_EXISTS");
                }
            }
            Thread.sleep(500);
        }
        assertThat(snapshots.get("peer0.org1").path("snapshotHash").asString()).matches("[0-9a-f]{64}")
                .isEqualTo(snapshots.get("peer0.org2").path("snapshotHash").asString());
        CliRun listedSnapshots = charter(home, "snapshot", "list", "--peer", "peer0.org1", "--as", "org1-admin", "-o", "json");
        assertOk(listedSnapshots);
        assertThat(listedSnapshots.out()).contains(snapshots.get("peer0.org1").path("snapshotHash").asString());

        // a second channel: created from the index by an admin of a member organization, the plain orderer cores
        // joined over their transport by the orderers' own admin (issue #6: the local network has no participation
        // REST API); an admin of a member organization may not make an orderer take on a channel (issue #12, item 7)
        Path second = home.resolve("second.block");

        assertOk(charter(home, "channel", "create", "second", "--orderer", "orderer1:" + ports.ordererCluster(0)
                + ",orderer2:" + ports.ordererCluster(1) + ",orderer3:" + ports.ordererCluster(2),
                "--org", "Org1MSP,Org2MSP", "--out", second.toString(), "--as", "org1-admin"));
        CliRun intruder = charter(home, "channel", "join", "--orderer", "orderer1", "--as", "org2-admin", "--genesis",
                second.toString());
        assertThat(intruder.exitCode()).as(intruder.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(intruder.err()).contains("orderer.JoinChannel is for admin of OrdererMSP",
                "the caller is admin org2-admin of Org2MSP");
        for (String orderer : List.of("orderer1", "orderer2", "orderer3")) {
            CliRun joined = charter(home, "channel", "join", "--orderer", orderer, "--as", "orderer-admin", "--genesis",
                    second.toString());
            assertOk(joined);
            assertThat(joined.out()).contains(orderer + " joined channel second");
        }
        CliRun rejoined = charter(home, "channel", "join", "--orderer", "orderer1", "--as", "orderer-admin", "--genesis",
                second.toString());
        assertOk(rejoined);
        assertThat(rejoined.out()).contains("had already joined channel second");
        // the new channel joined by a peer of each organization is found through the index like the first: listed,
        // its configuration and blocks readable from the CLI
        assertOk(charter(home, "channel", "join", "--peer", "peer0.org1", "--genesis", second.toString(), "--as",
                "org1-admin"));
        assertOk(charter(home, "channel", "join", "--peer", "peer0.org2", "--genesis", second.toString(), "--as",
                "org2-admin"));
        long listDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!charter(home, "channel", "list").out().contains("second")) {
            assertThat(System.nanoTime()).as("channel list shows 'second' within 60 s").isLessThan(listDeadline);
            Thread.sleep(1000);
        }
        CliRun secondInfo = charter(home, "channel", "info", "-C", "second", "-o", "json");
        assertOk(secondInfo);
        assertThat(JSON.readTree(secondInfo.out()).path("sequence").asLong()).isZero();
        CliRun secondGenesis = charter(home, "block", "0", "-C", "second", "--peer", "peer0.org2", "-o", "json");
        assertOk(secondGenesis);
        assertThat(JSON.readTree(secondGenesis.out()).path("number").asLong()).isZero();

        // a node leaves a channel over its transport without stopping (issue #16, item 4): only an admin of its own
        // organization; the peer stops answering for the channel and goes on serving the other; again is NOT_JOINED
        CliRun notItsAdmin = charter(home, "channel", "leave", "second", "--peer", "peer0.org2", "--as", "org1-admin");
        assertThat(notItsAdmin.exitCode()).as(notItsAdmin.toString()).isEqualTo(ExitCodes.REFUSED);
        CliRun left = charter(home, "channel", "leave", "second", "--peer", "peer0.org2", "--as", "org2-admin", "-o", "json");
        assertOk(left);
        assertThat(JSON.readTree(left.out()).path("channel").asString()).isEqualTo("second");
        assertThat(JSON.readTree(left.out()).path("dataRemoved").asBoolean()).isFalse();
        CliRun gone = charter(home, "block", "0", "-C", "second", "--peer", "peer0.org2", "--wait", "1", "-o", "json");
        assertThat(gone.exitCode()).as("peer0.org2 no longer answers for 'second': " + gone).isNotEqualTo(ExitCodes.OK);
        assertOk(charter(home, "block", "0", "--peer", "peer0.org2", "-o", "json"));
        CliRun leftAgain = charter(home, "channel", "leave", "second", "--peer", "peer0.org2", "--as", "org2-admin");
        assertThat(leftAgain.exitCode()).as(leftAgain.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(leftAgain.err()).contains("has not joined channel 'second'");
        CliRun ordererLeft = charter(home, "channel", "leave", "second", "--orderer", "orderer3", "--as", "orderer-admin",
                "--remove-data");
        assertOk(ordererLeft);
        assertThat(ordererLeft.out()).contains("orderer3 left channel second").contains("is deleted");

        // the sample contract's definition, read from the committed blocks; redefined by an admin, refused to a user
        CliRun contracts = charter(home, "contract", "list", "-o", "json");
        assertOk(contracts);
        var sample = JSON.readTree(contracts.out()).get(0);
        assertThat(sample.path("name").asString()).isEqualTo("asset-transfer");
        assertThat(sample.path("sequence").asLong()).isEqualTo(1);
        String packageId = sample.path("packageId").asString();
        assertThat(packageId).startsWith("asset-transfer:");
        assertThat(sample.path("approvedBy")).extracting(node -> node.asString()).containsExactly("Org1MSP", "Org2MSP");
        String[] next = {"--name", "asset-transfer", "--version", "1.1", "--sequence", "2", "--package-id", packageId,
                "--policy", "AND('Org1MSP.peer','Org2MSP.peer')"};
        CliRun notAdmin = charter(home, concat(new String[] {"contract", "approve"}, next, "--as", "carol"));
        assertThat(notAdmin.exitCode()).as(notAdmin.toString()).isEqualTo(ExitCodes.REFUSED);
        // Org1's admin alone cannot redefine it: the commit names Org2MSP as missing
        assertOk(charter(home, concat(new String[] {"contract", "approve"}, next, "--as", "org1-admin")));
        CliRun alone = charter(home, concat(new String[] {"contract", "commit"}, next, "--as", "org1-admin"));
        assertThat(alone.exitCode()).as(alone.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(alone.err()).contains("APPROVALS_INSUFFICIENT").contains("Org2MSP");
        assertOk(charter(home, concat(new String[] {"contract", "approve"}, next, "--as", "org2-admin")));
        // readiness asks one peer, which may not have committed Org2's approval yet: asked again until it has
        CliRun ready = awaitReady(() -> charter(home, concat(new String[] {"contract", "readiness"}, next, "-o", "json",
                "--as", "org1-admin")));
        assertOk(ready);
        assertThat(JSON.readTree(ready.out()).path("ready").asBoolean()).as(ready.out()).isTrue();
        assertOk(charter(home, concat(new String[] {"contract", "commit"}, next, "--as", "org1-admin")));
        CliRun redefined = charter(home, "contract", "list", "-o", "json");
        assertOk(redefined);
        assertThat(JSON.readTree(redefined.out()).get(0).path("sequence").asLong()).isEqualTo(2);
        assertThat(JSON.readTree(redefined.out()).get(0).path("version").asString()).isEqualTo("1.1");

        // revoked: the next invoke is refused (nodes learn the new CRL within a few seconds)
        assertOk(charter(home, "revoke", "alice", "--as", "org1-admin"));
        CliRun refused = awaitRefused(() -> charter(home, "invoke", "asset-transfer", "CreateAsset", "e2e-asset-2", "red",
                "1", "", "10", "--as", "alice"));
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.err()).contains("revoked").doesNotContain("\tat ");
        CliRun stillCarol = charter(home, "query", "asset-transfer", "AssetExists", "e2e-asset-2", "--as", "carol");
        assertOk(stillCarol);
        assertThat(stillCarol.out().strip()).isEqualTo("false");

        // the log levels, read and changed at run time by the peer organization's admin only (issue #16, item 5)
        CliRun levels = charter(home, "logspec", "--peer", "peer0.org1", "--as", "org1-admin", "-o", "json");
        assertOk(levels);
        String levelsBefore = JSON.readTree(levels.out()).path("spec").asString();
        CliRun otherAdmin = charter(home, "logspec", "--peer", "peer0.org1", "--as", "org2-admin", "debug");
        assertThat(otherAdmin.exitCode()).as(otherAdmin.toString()).isEqualTo(ExitCodes.REFUSED);
        CliRun badSpec = charter(home, "logspec", "--peer", "peer0.org1", "--as", "org1-admin", "info:io..charter=debug");
        assertThat(badSpec.exitCode()).as(badSpec.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(badSpec.err()).contains("'io..charter' is not a logger name");
        CliRun changed = charter(home, "logspec", "--orderer", "orderer1", "--as", "orderer-admin",
                "warn:io.charter.peer.validation=debug");
        assertOk(changed);
        assertThat(changed.out()).contains("orderer1 now logs at warn:io.charter.peer.validation=debug");
        CliRun shared = charter(home, "logspec", "--peer", "peer0.org1", "--as", "org1-admin", "-o", "json");
        assertThat(JSON.readTree(shared.out()).path("spec").asString()).as("one host JVM: the peers see it too")
                .isEqualTo("warn:io.charter.peer.validation=debug");
        assertOk(charter(home, "logspec", "--peer", "peer0.org1", "--as", "org1-admin", levelsBefore));

        // a second `charter up` says it runs and changes nothing
        CliRun again = charter(home, "up");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(again.err()).contains("already running");

        // a node that left the network's own channel stays off it when the network is restarted (issue #16, item 4)
        assertOk(charter(home, "channel", "leave", NetworkLayout.CHANNEL, "--peer", "peer1.org2", "--as", "org2-admin"));

        CliRun down = charter(home, "down");
        assertOk(down);
        assertThat(charter(home, "status").exitCode()).isEqualTo(ExitCodes.UNREACHABLE);

        Path restartLog = home.resolve("up-again.log");
        ProcessBuilder restart = new ProcessBuilder("bash", "-c", command).directory(repository.toFile())
                .redirectErrorStream(true).redirectOutput(restartLog.toFile());
        restart.environment().put("CHARTER_HOME", home.toString());
        restart.environment().put("CHARTER_PORT_BASE", Integer.toString(base));
        Process restarted = restart.start();
        assertThat(restarted.waitFor(8, TimeUnit.MINUTES)).as("charter up again finished").isTrue();
        assertThat(restarted.exitValue()).as(Files.readString(restartLog)).isZero();
        CliRun stillLeft = charter(home, "block", "0", "--peer", "peer1.org2", "--wait", "1", "-o", "json");
        assertThat(stillLeft.exitCode()).as("peer1.org2 did not rejoin " + NetworkLayout.CHANNEL + ": " + stillLeft)
                .isNotEqualTo(ExitCodes.OK);
        CliRun secondStillLeft = charter(home, "block", "0", "-C", "second", "--peer", "peer0.org2", "--wait", "1");
        assertThat(secondStillLeft.exitCode()).as(secondStillLeft.toString()).isNotEqualTo(ExitCodes.OK);
        assertOk(charter(home, "block", "0", "--peer", "peer0.org2", "-o", "json"));
        assertOk(charter(home, "down"));
    }

    @AfterEach
    void stopWhateverRuns() throws IOException {
        if (home == null) {
            return;
        }
        Optional<ProcessHandle> host = NetworkLayout.under(home).runningHost();
        if (host.isPresent()) {
            host.get().destroy();
            host.get().onExit().orTimeout(60, TimeUnit.SECONDS).exceptionally(e -> {
                host.get().destroyForcibly();
                return null;
            }).join();
        }
    }

    /**
     * Through the SDK as {@code who}: two UpdateAsset transactions of {@code asset} endorsed before either is
     * ordered, then submitted one after the other; returns the id of the second, which MVCC invalidates.
     */
    private String secondOfTwoConcurrentUpdates(String who, String asset) {
        Wallet wallet = new Wallet(home.resolve("wallet"));
        WalletIdentity caller = wallet.get(who);
        Wallet.Connection connection = wallet.connection().orElseThrow();
        Identity identity = Identity.of(caller.signingChain(), caller.privateKey(), caller.tls().orElseThrow().fullChain(),
                caller.tls().orElseThrow().privateKey());
        try (MembershipClient membership = new MembershipClient(connection.membershipUrl(), connection.consortiumRoot());
                Gateway gateway = Gateway.builder(identity).trustRoots(List.of(connection.consortiumRoot()))
                        .membership(membership).connect()) {
            Contract contract = gateway.network(NetworkLayout.CHANNEL).contract("asset-transfer");
            EndorsedTransaction first = contract.endorse(Invocation.of("UpdateAsset", asset, "green", "7", "400"));
            EndorsedTransaction second = contract.endorse(Invocation.of("UpdateAsset", asset, "green", "7", "450"));
            contract.network().submit(first);
            assertThatThrownBy(() -> contract.network().submit(second)).isInstanceOfSatisfying(SdkException.class,
                    e -> assertThat(e.code()).isEqualTo(SdkErrorCode.MVCC_READ_CONFLICT));
            return second.txId();
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A readiness probe asked until it answers 200, as Kubernetes would (a peer may still be catching up). */
    private static HttpResponse<String> awaitReady(String url) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> response = get(url);
            if (response.statusCode() == 200 || System.nanoTime() > deadline) {
                assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
                return response;
            }
            Thread.sleep(500);
        }
    }

    /** A loopback port nothing listens on (bound, then released). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static CliRun awaitRefused(java.util.function.Supplier<CliRun> attempt) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        CliRun run = attempt.get();
        while (run.exitCode() == ExitCodes.OK && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            run = attempt.get();
        }
        return run;
    }

    /** {@code charter nodes -o json} asked until one peer of each organization is its leader (at most 60 s). */
    private static CliRun awaitLeaders(java.util.function.Supplier<CliRun> attempt) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        CliRun run = attempt.get();
        while (run.exitCode() == ExitCodes.OK && System.nanoTime() < deadline) {
            Set<String> leading = new java.util.HashSet<>();
            for (JsonNode node : JSON.readTree(run.out())) {
                if (node.path("leader").asBoolean()) {
                    leading.add(node.path("mspId").asString());
                }
            }
            if (leading.size() == 2) {
                return run;
            }
            Thread.sleep(1000);
            run = attempt.get();
        }
        return run;
    }

    private static CliRun awaitReady(java.util.function.Supplier<CliRun> attempt) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        CliRun run = attempt.get();
        while (run.exitCode() == ExitCodes.OK && !JSON.readTree(run.out()).path("ready").asBoolean()
                && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            run = attempt.get();
        }
        return run;
    }

    /** The command in the README's fenced block after the {@code <!-- main-job-command -->} marker. */
    static String mainJobCommand(Path readme) throws IOException {
        List<String> lines = Files.readAllLines(readme);
        int marker = lines.indexOf("<!-- main-job-command -->");
        assertThat(marker).as("the README marks its main-job command").isNotNegative();
        assertThat(lines.get(marker + 1)).startsWith("```");
        return lines.get(marker + 2).strip();
    }

    private static String secret(CliRun register) {
        assertOk(register);
        return JSON.readTree(register.out()).path("secret").asString();
    }

    private static void assertOk(CliRun run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    private static String[] concat(String[] first, String[] second, String... rest) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(first));
        all.addAll(java.util.List.of(second));
        all.addAll(java.util.List.of(rest));
        return all.toArray(String[]::new);
    }
}
