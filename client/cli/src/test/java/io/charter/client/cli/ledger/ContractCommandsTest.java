package io.charter.client.cli.ledger;

import static io.charter.client.cli.CliRun.charter;
import static org.assertj.core.api.Assertions.assertThat;

import io.charter.client.cli.CliRun;
import io.charter.client.cli.ExitCodes;
import io.charter.peer.testing.TestContracts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code charter contract package | define | install | list} and {@code channel join}: what they check before
 * touching any node, with their exit codes, and that a failed command writes nothing.
 */
class ContractCommandsTest {

    @TempDir
    Path home;

    @TempDir
    Path work;

    @Test
    void packagesTheSampleJarUnchangedAndPrintsThePeersPackageId() throws Exception {
        byte[] jar = TestContracts.assetTransferJar();
        Path source = Files.write(work.resolve("in.jar"), jar);
        Path out = work.resolve("out/asset-transfer.jar");
        CliRun run = charter(home, "contract", "package", source.toString(), "--name", "asset-transfer",
                "--version", "1.0", "--out", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(jar);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jar));
        assertThat(run.out()).contains("package id: asset-transfer:" + sha);
    }

    @Test
    void packagesAFolderOfClassesIntoAJarThePeerAccepts() throws Exception {
        Path classes = Files.createDirectories(work.resolve("classes"));
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(TestContracts.assetTransferJar()))) {
            for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                if (!entry.isDirectory()) {
                    Path file = classes.resolve(entry.getName());
                    Files.createDirectories(file.getParent());
                    Files.write(file, in.readAllBytes());
                }
            }
        }
        Path out = work.resolve("packed.jar");
        CliRun run = charter(home, "--output", "json", "contract", "package", classes.toString(), "--version", "2.0",
                "--out", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\"name\"").contains("asset-transfer:");
        try (JarInputStream packed = new JarInputStream(Files.newInputStream(out))) {
            assertThat(packed.getManifest().getMainAttributes().getValue("Implementation-Version")).isEqualTo("2.0");
        }
        // the peer's own rules accept it again
        assertThat(ContractPackageCommand.check(Files.readAllBytes(out)).name()).isEqualTo("asset-transfer");
    }

    @Test
    void aJarWithoutAContractIsRefusedAndNothingIsWritten() throws IOException {
        byte[] notAContract = TestContracts.compile(Map.of("demo.Plain", "package demo; public class Plain {}"));
        Path source = Files.write(work.resolve("plain.jar"), notAContract);
        Path out = work.resolve("plain-out.jar");
        CliRun run = charter(home, "contract", "package", source.toString(), "--out", out.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("charter: not a contract a peer accepts:");
        assertThat(out).doesNotExist();
    }

    @Test
    void bytesThatAreNotAJarAreRefused() throws IOException {
        Path source = Files.writeString(work.resolve("text.jar"), "not a jar");
        Path out = work.resolve("text-out.jar");
        CliRun run = charter(home, "contract", "package", source.toString(), "--out", out.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("not a contract a peer accepts");
        assertThat(out).doesNotExist();
    }

    @Test
    void aNameThatIsNotTheContractsIsRefusedAndNothingIsWritten() throws IOException {
        Path source = Files.write(work.resolve("in.jar"), TestContracts.assetTransferJar());
        Path out = work.resolve("out.jar");
        CliRun run = charter(home, "contract", "package", source.toString(), "--name", "other", "--out", out.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("is named 'asset-transfer', not 'other'");
        assertThat(out).doesNotExist();
    }

    @Test
    void packageNeedsAnOutputFileAndAnExistingSource() {
        CliRun noOut = charter(home, "contract", "package", work.toString());
        assertThat(noOut.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noOut.err()).contains("--out");
        CliRun missing = charter(home, "contract", "package", work.resolve("nope").toString(), "--out",
                work.resolve("x.jar").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("no such file or folder");
    }

    @Test
    void approveReadinessAndCommitCheckTheDefinitionBeforeConnecting() {
        for (String command : java.util.List.of("approve", "readiness", "commit")) {
            CliRun missing = charter(home, "contract", command, "--name", "asset-transfer", "--version", "1.0");
            assertThat(missing.exitCode()).as(command).isEqualTo(ExitCodes.USAGE);
            assertThat(missing.err()).contains("--sequence");
        }

        CliRun badPolicy = charter(home, "contract", "approve", "--name", "asset-transfer", "--version", "1.0",
                "--sequence", "1", "--policy", "AND('Org1MSP.peer'");
        assertThat(badPolicy.exitCode()).as(badPolicy.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(badPolicy.err()).contains("the endorsement policy does not parse");

        CliRun zero = charter(home, "contract", "commit", "--name", "asset-transfer", "--version", "1.0",
                "--sequence", "0");
        assertThat(zero.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(zero.err()).contains("the sequence starts at 1");

        CliRun badId = charter(home, "contract", "readiness", "--name", "asset-transfer", "--version", "1.0",
                "--sequence", "1", "--package-id", "other:abc");
        assertThat(badId.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badId.err()).contains("is not 'asset-transfer:<sha-256 hex>'");

        CliRun both = charter(home, "contract", "approve", "--name", "asset-transfer", "--version", "1.0",
                "--sequence", "1", "--package-id", "x", "--jar", "y.jar");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("not both");
    }

    @Test
    void theRetiredSingleStepDefineIsNoLongerACommand() {
        CliRun define = charter(home, "contract", "define", "--name", "asset-transfer", "--version", "1.0", "--sequence", "1");
        assertThat(define.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aValidDefinitionWithAnEmptyWalletSaysToEnrollFirst() {
        CliRun run = charter(home, "contract", "approve", "--name", "asset-transfer", "--version", "1.0",
                "--sequence", "1", "--policy", "AND('Org1MSP.peer','Org2MSP.peer')");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("charter: no identity to act as").contains("charter enroll")
                .doesNotContain("Exception");
    }

    @Test
    void installAndJoinCheckTheirArgumentsBeforeConnecting() throws IOException {
        Path sample = Files.write(work.resolve("sample.jar"), TestContracts.assetTransferJar());
        CliRun noPeer = charter(home, "contract", "install", sample.toString());
        assertThat(noPeer.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noPeer.err()).startsWith("charter: give --peer HOST:PORT");

        CliRun notHttps = charter(home, "contract", "install", "--peer", "http://127.0.0.1:9445", sample.toString());
        assertThat(notHttps.exitCode()).as(notHttps.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(notHttps.err()).contains("not a URL").contains("--peer localhost:7070");

        CliRun noJar = charter(home, "contract", "install", "--peer", "127.0.0.1:7070",
                work.resolve("nope.jar").toString());
        assertThat(noJar.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noJar.err()).contains("no such jar");

        Path plain = Files.write(work.resolve("plain.jar"),
                TestContracts.compile(Map.of("demo.Plain", "package demo; public class Plain {}")));
        CliRun invalid = charter(home, "contract", "install", "--peer", "127.0.0.1:7070", plain.toString());
        assertThat(invalid.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(invalid.err()).contains("not a contract a peer accepts");

        CliRun noGenesis = charter(home, "channel", "join");
        assertThat(noGenesis.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noGenesis.err()).contains("--genesis");

        Path notABlock = Files.writeString(work.resolve("text.block"), "hello");
        CliRun bad = charter(home, "channel", "join", "--peer", "127.0.0.1:7070", "--genesis",
                notABlock.toString());
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("not a");
    }

    @Test
    void contractAloneNamesItsCommands() {
        CliRun run = charter(home, "contract");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("package, install, approve, readiness, commit or list");
    }

    @Test
    void aCollectionsConfigIsCheckedBeforeConnectingAndABadOneIsRefusedWithItsCode() throws IOException {
        String[] definition = {"--name", "asset-transfer", "--version", "1.0", "--sequence", "1"};
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("[{\"name\": \"p\", \"policy\": \"OR('Org1MSP.member')\"}, {\"name\": \"p\", \"policy\": \"OR('Org2MSP.member')\"}]",
                "COLLECTION_DUPLICATE_NAME");
        bad.put("[{\"name\": \"p\", \"policy\": \"OR('Org1MSP.member'\"}]", "COLLECTION_POLICY_UNPARSABLE");
        bad.put("[{\"name\": \"p\", \"policy\": \"OR('Org1MSP.member')\", \"requiredPeerCount\": 2, \"maxPeerCount\": 1}]",
                "COLLECTION_REQUIRED_ABOVE_MAX");
        bad.put("[{\"name\": \"_implicit_org_Org1MSP\", \"policy\": \"OR('Org1MSP.member')\"}]", "COLLECTION_NAME_RESERVED");
        bad.put("[{\"name\": \"p\", \"policy\": \"OR('Org1MSP.member')\", \"blockToLive\": -1}]", "COLLECTION_NEGATIVE_BLOCK_TO_LIVE");
        for (String command : java.util.List.of("approve", "readiness", "commit")) {
            for (Map.Entry<String, String> entry : bad.entrySet()) {
                Path file = Files.writeString(work.resolve("collections.json"), entry.getKey());
                CliRun run = charter(home, "--output", "json", "contract", command, definition[0], definition[1], definition[2],
                        definition[3], definition[4], definition[5], "--collections-config", file.toString());
                assertThat(run.exitCode()).as(command + " " + run).isEqualTo(ExitCodes.USAGE);
                assertThat(run.out() + run.err()).as(command).contains(entry.getValue()).doesNotContain("no identity");
            }
        }
        CliRun text = charter(home, "contract", "approve", definition[0], definition[1], definition[2], definition[3],
                definition[4], definition[5], "--collections-config", Files.writeString(work.resolve("c.json"),
                        "[{\"name\": \"p\", \"policy\": \"AND('Org1MSP.member', 'Org2MSP.member')\"}]").toString());
        assertThat(text.err()).startsWith("charter: not a valid definition (COLLECTION_POLICY_NOT_MEMBERSHIP): the member"
                + " policy of collection 'p'");

        CliRun notJson = charter(home, "contract", "approve", definition[0], definition[1], definition[2], definition[3],
                definition[4], definition[5], "--collections-config", Files.writeString(work.resolve("n.json"), "{\"name\": 1").toString());
        assertThat(notJson.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(notJson.err()).startsWith("charter: not a collections config: " + work.resolve("n.json") + ": not JSON");

        CliRun typo = charter(home, "contract", "commit", definition[0], definition[1], definition[2], definition[3],
                definition[4], definition[5], "--collections-config", Files.writeString(work.resolve("t.json"),
                        "[{\"name\": \"p\", \"policy\": \"OR('Org1MSP.member')\", \"memberOnlyread\": true}]").toString());
        assertThat(typo.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err()).contains("collection 1 ('p'): unknown field \"memberOnlyread\"");

        CliRun missing = charter(home, "contract", "approve", definition[0], definition[1], definition[2], definition[3],
                definition[4], definition[5], "--collections-config", work.resolve("absent.json").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("no such collections config");

        // a good file passes the checks: the command goes on to the wallet
        CliRun good = charter(home, "contract", "approve", definition[0], definition[1], definition[2], definition[3],
                definition[4], definition[5], "--collections-config", Files.writeString(work.resolve("g.json"),
                        "[{\"name\": \"p\", \"policy\": \"OR('Org1MSP.member', 'Org9MSP.member')\", \"maxPeerCount\": 1}]").toString());
        assertThat(good.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(good.err()).startsWith("charter: no identity to act as");
    }

    @Test
    void aDefinitionsCollectionsAreShownAsTextAndJson() {
        io.charter.protocol.ContractDefinition definition = io.charter.protocol.ContractDefinition.newBuilder().setName("a")
                .addCollections(io.charter.protocol.CollectionConfig.newBuilder().setName("prices")
                        .setMemberPolicy("OR('Org1MSP.member', 'Org2MSP.member')").setRequiredPeerCount(1).setMaxPeerCount(2)
                        .setMemberOnlyRead(true).setMemberOnlyWrite(true).setEndorsementPolicy("OR('Org1MSP.peer')"))
                .addCollections(io.charter.protocol.CollectionConfig.newBuilder().setName("notes")
                        .setMemberPolicy("'Org1MSP.member'").setBlockToLive(10))
                .build();
        assertThat(DefinitionOptions.collectionsText(definition, "  ")).isEqualTo("""
                  collection prices: members OR('Org1MSP.member', 'Org2MSP.member'), peers 1..2, blockToLive 0 (forever), \
                member-only read, member-only write, endorsement OR('Org1MSP.peer')
                  collection notes: members 'Org1MSP.member', peers 0..0, blockToLive 10
                """);
        assertThat(DefinitionOptions.collectionsJson(definition)).hasSize(2);
        assertThat(DefinitionOptions.collectionsJson(definition).getFirst()).containsExactly(
                Map.entry("name", "prices"), Map.entry("policy", "OR('Org1MSP.member', 'Org2MSP.member')"),
                Map.entry("requiredPeerCount", 1), Map.entry("maxPeerCount", 2), Map.entry("blockToLive", 0L),
                Map.entry("memberOnlyRead", true), Map.entry("memberOnlyWrite", true),
                Map.entry("endorsementPolicy", "OR('Org1MSP.peer')"));
        assertThat(DefinitionOptions.json("trade", definition)).containsKey("collections");
        assertThat(DefinitionOptions.collectionNames(definition)).isEqualTo(", collections [prices, notes]");
        assertThat(DefinitionOptions.collectionNames(definition.toBuilder().clearCollections().build())).isEmpty();
        assertThat(DefinitionOptions.collectionsText(definition.toBuilder().clearCollections().build(), "  ")).isEmpty();
    }
}
