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
}
