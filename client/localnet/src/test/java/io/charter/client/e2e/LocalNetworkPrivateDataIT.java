package io.charter.client.e2e;

import static io.charter.client.cli.CliRun.charter;
import static org.assertj.core.api.Assertions.assertThat;

import io.charter.client.cli.CliRun;
import io.charter.client.cli.ExitCodes;
import io.charter.client.cli.network.NetworkLayout;
import io.charter.common.testing.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The walkthrough of docs/private-data.md ("Walkthrough on the local network"), so that it stays true: {@code ./charter
 * up}, the sample's definition upgraded to sequence 2 with {@code peer/samples/asset-transfer/collections_config.json}
 * (approved by org1-admin and org2-admin, readiness, commit), a private write with {@code --transient-file}, the
 * private details read from a peer of each organization, a buyer's offer in its implicit collection that the other
 * organization's peers do not hold, and {@code charter down}.
 */
class LocalNetworkPrivateDataIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Path home;

    @Test
    void theWalkthroughUpgradesTheSampleWithACollectionAndKeepsItsValuesToTheMembers() throws Exception {
        Path repository = Path.of("").toAbsolutePath().getParent().getParent();
        home = Files.createTempDirectory("charter-pdc");
        int base = FreePorts.base(23050, 31);
        Path log = home.resolve("up.log");
        ProcessBuilder up = new ProcessBuilder("bash", "-c", "./charter up").directory(repository.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        up.environment().put("CHARTER_HOME", home.toString());
        up.environment().put("CHARTER_PORT_BASE", Integer.toString(base));
        Process process = up.start();
        assertThat(process.waitFor(8, TimeUnit.MINUTES)).as("charter up finished").isTrue();
        assertThat(process.exitValue()).as(Files.readString(log)).isZero();

        // the upgrade, with the walkthrough's flags
        String[] definition = {"--name", "asset-transfer", "--version", "1.1", "--sequence", "2", "--policy",
                "OR('Org1MSP.peer', 'Org2MSP.peer')", "--jar",
                repository.resolve("client/localnet/target/contracts/asset-transfer.jar").toString(),
                "--collections-config", repository.resolve("peer/samples/asset-transfer/collections_config.json").toString()};
        assertOk(charter(home, concat(List.of("contract", "approve", "--as", "org1-admin"), definition)));
        assertOk(charter(home, concat(List.of("contract", "approve", "--as", "org2-admin"), definition)));
        CliRun ready = until(() -> charter(home, concat(List.of("contract", "readiness", "-o", "json"), definition)),
                run -> run.exitCode() == ExitCodes.OK && JSON.readTree(run.out()).path("ready").asBoolean());
        assertThat(JSON.readTree(ready.out()).path("ready").asBoolean()).as(ready.toString()).isTrue();
        assertOk(charter(home, concat(List.of("contract", "commit", "--as", "org1-admin"), definition)));
        CliRun list = charter(home, "contract", "list", "-o", "json");
        assertOk(list);
        JsonNode sample = JSON.readTree(list.out()).get(0);
        assertThat(sample.path("sequence").asLong()).isEqualTo(2);
        assertThat(list.out()).contains("assetCollection");

        // a private write: the value from --transient-file, never in the public asset
        Path properties = home.resolve("asset1.json");
        Files.writeString(properties, "{\"asset_properties\": {\"appraisedValue\": 500}}");
        CliRun created = charter(home, "invoke", "asset-transfer", "CreateAssetWithPrivateDetails", "asset1", "blue", "5", "",
                "--transient-file", properties.toString());
        assertOk(created);
        assertThat(created.out()).contains("\"owner\":\"org1-admin@Org1MSP\"").contains("\"appraisedValue\":0");

        // read from a peer of each organization (a member peer may still be waiting for the value: asked again)
        for (String[] reader : List.of(new String[] {"peer0.org1", "org1-admin"}, new String[] {"peer0.org2", "org2-admin"},
                new String[] {"peer1.org2", "org2-admin"})) {
            CliRun details = until(() -> charter(home, "query", "asset-transfer", "ReadAssetPrivateDetails",
                    "assetCollection", "asset1", "--peer", reader[0], "--as", reader[1]), run -> run.exitCode() == ExitCodes.OK);
            assertOk(details);
            assertThat(details.out().strip()).as(reader[0]).isEqualTo("{\"id\":\"asset1\",\"appraisedValue\":500}");
        }

        // the buyer's offer is in Org2MSP's implicit collection: Org2MSP's peers hold it, Org1MSP's peers do not, and
        // Org1MSP's clients do not read it even through an Org2MSP peer; the seller learns only whether it matches
        Path offer = home.resolve("offer.json");
        Files.writeString(offer, "{\"asset_value\": {\"appraisedValue\": 500}}");
        assertOk(charter(home, "invoke", "asset-transfer", "AgreeToTransfer", "asset1", "--as", "org2-admin",
                "--transient-file", offer.toString()));
        CliRun ownOffer = charter(home, "query", "asset-transfer", "ReadAssetPrivateDetails", "_implicit_org_Org2MSP",
                "asset1", "--peer", "peer0.org2", "--as", "org2-admin");
        assertOk(ownOffer);
        assertThat(ownOffer.out()).contains("\"appraisedValue\":500");
        CliRun nonMemberPeer = charter(home, "query", "asset-transfer", "ReadAssetPrivateDetails", "_implicit_org_Org2MSP",
                "asset1", "--peer", "peer0.org1", "--as", "org2-admin");
        assertThat(nonMemberPeer.exitCode()).as(nonMemberPeer.toString()).isNotEqualTo(ExitCodes.OK);
        assertThat(nonMemberPeer.err()).contains("PRIVATE_DATA_UNAVAILABLE");
        CliRun otherClient = charter(home, "query", "asset-transfer", "ReadAssetPrivateDetails", "_implicit_org_Org2MSP",
                "asset1", "--peer", "peer0.org2", "--as", "org1-admin");
        assertThat(otherClient.exitCode()).as(otherClient.toString()).isNotEqualTo(ExitCodes.OK);
        assertThat(otherClient.err()).contains("PRIVATE_READ_DENIED");
        CliRun verified = charter(home, "query", "asset-transfer", "VerifyAgreement", "asset1", "Org2MSP");
        assertOk(verified);
        assertThat(verified.out().strip()).isEqualTo("true");
        CliRun transferred = charter(home, "invoke", "asset-transfer", "TransferAssetWithPrivateDetails", "asset1", "Org2MSP");
        assertOk(transferred);
        assertThat(transferred.out()).contains("org1-admin@Org1MSP");
        CliRun owner = charter(home, "query", "asset-transfer", "ReadAsset", "asset1", "--peer", "peer1.org1");
        assertOk(owner);
        assertThat(owner.out()).contains("\"owner\":\"org2-admin@Org2MSP\"");

        assertOk(charter(home, "down"));
    }

    @AfterEach
    void stopWhateverRuns() {
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

    /** {@code attempt} run until {@code done} or 60 s passed; the last run. */
    private static CliRun until(Supplier<CliRun> attempt, java.util.function.Predicate<CliRun> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        CliRun run = attempt.get();
        while (!done.test(run) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            run = attempt.get();
        }
        return run;
    }

    private static void assertOk(CliRun run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    private static String[] concat(List<String> first, String[] rest) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}
