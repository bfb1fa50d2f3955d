package io.charter.client.cli.ledger;

import static io.charter.client.cli.CliRun.charter;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.charter.client.cli.CliRun;
import io.charter.client.cli.ExitCodes;
import io.charter.client.wallet.TlsCredential;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.pki.Pem;
import io.charter.common.pki.Role;
import io.charter.common.testing.FreePorts;
import io.charter.common.testing.TestPki;
import io.charter.common.testing.TestTls;
import io.charter.peer.testing.TestContracts;
import io.charter.protocol.Block;
import io.charter.protocol.BlockHeader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code channel join --orderer-admin} over HTTPS with the wallet identity's TLS certificate as client
 * certificate, against an HTTPS listener on loopback that requires one and answers as the orderer's channel
 * participation API does (docs/orderer.md): what reaches it, and how its answers and refusals become output and
 * exit codes; and how the peer commands (over the peer's transport, covered against real peers by
 * LoopbackNetworkSdkTest) fail when the peer cannot be reached.
 */
class PeerAdminCommandsTest {

    @TempDir
    Path home;

    private final TestPki pki = TestPki.create("Org1MSP");
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpsServer server;
    private String url;
    private Path root;

    @BeforeEach
    void start() throws Exception {
        TestPki.Credential serverTls = pki.organization("Org1MSP").enrollTls("peer0", Role.PEER);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        SSLContext context = TestTls.context(Optional.of(serverTls), List.of(pki.root().certificate()));
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = context.getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/participation/v1/", exchange -> {
            String subject = ((HttpsExchange) exchange).getSSLSession().getPeerPrincipal().getName();
            byte[] body = exchange.getRequestBody().readAllBytes();
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + body.length + " "
                    + subject);
            // the first join creates (201), the second is the same block again (200), the third another block (409)
            long joins = seen.stream().filter(s -> s.startsWith("POST /participation/v1/channels")).count();
            byte[] bytes = (joins > 2 ? "{\"error\":\"ALREADY_JOINED\",\"message\":\"channel trade is already joined\"}"
                    : "{\"name\":\"trade\",\"status\":\"onboarding\",\"height\":1}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(joins > 2 ? 409 : joins == 2 ? 200 : 201, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        url = "https://127.0.0.1:" + server.getAddress().getPort();
        root = Files.writeString(home.resolve("root.pem"), Pem.encodeCertificate(pki.root().certificate()));

        TestPki.Credential signing = pki.organization("Org1MSP").enroll("org1-admin", Role.ADMIN);
        TestPki.Credential tls = pki.organization("Org1MSP").enrollTls("org1-admin", Role.ADMIN);
        new Wallet(home.resolve("wallet")).put(new WalletIdentity("org1-admin", signing.certificate(),
                signing.chain().subList(1, signing.chain().size()), signing.keys().getPrivate(),
                Optional.of(new TlsCredential(tls.certificate(), tls.chain().subList(1, tls.chain().size()),
                        tls.keys().getPrivate()))), false);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void anOrdererJoinsThroughItsParticipationApiThenSaysItHadJoinedThenRefusesAnotherBlock() throws IOException {
        Path genesis = Files.write(home.resolve("genesis.block"), Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setNumber(0)).build().toByteArray());
        CliRun run = charter(home, "channel", "join", "--orderer-admin", url, "--tls-root", root.toString(), "--as",
                "org1-admin", "--genesis", genesis.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("joined channel trade (height 1, onboarding)");
        assertThat(seen).singleElement().asString().startsWith("POST /participation/v1/channels ").contains("CN=org1-admin");

        CliRun again = charter(home, "channel", "join", "--orderer-admin", url, "--tls-root", root.toString(), "--as",
                "org1-admin", "--genesis", genesis.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("had already joined channel trade");

        CliRun conflict = charter(home, "channel", "join", "--orderer-admin", url, "--tls-root", root.toString(), "--as",
                "org1-admin", "--genesis", genesis.toString(), "-o", "json");
        assertThat(conflict.exitCode()).as(conflict.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(conflict.err()).contains("ALREADY_JOINED").contains("the orderer refused");
    }

    @Test
    void aJoinOfAPeerAndAnOrdererAtOnceIsAUsageErrorAndSendsNothing() throws IOException {
        Path genesis = Files.write(home.resolve("genesis.block"), Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setNumber(0)).build().toByteArray());
        CliRun run = charter(home, "channel", "join", "--orderer-admin", url, "--peer", url, "--tls-root",
                root.toString(), "--as", "org1-admin", "--genesis", genesis.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(seen).isEmpty();
    }

    @Test
    void aPeerThatDoesNotAnswerIsUnreachable() throws IOException {
        // A port nothing listens on: the stopped server's own may still accept for a moment after stop(0).
        Path file = Files.write(home.resolve("asset-transfer.jar"), TestContracts.assetTransferJar());
        String address = "127.0.0.1:" + FreePorts.loopback();
        CliRun run = charter(home, "contract", "install", "--peer", address, "--tls-root", root.toString(), "--as",
                "org1-admin", file.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err()).contains(address).contains("charter status").doesNotContain("\tat ");

        Path genesis = Files.write(home.resolve("genesis.block"), Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setNumber(0)).build().toByteArray());
        CliRun join = charter(home, "channel", "join", "--peer", address, "--tls-root", root.toString(), "--as",
                "org1-admin", "--genesis", genesis.toString());
        assertThat(join.exitCode()).as(join.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    }

    @Test
    void aLeaveNamesOneNodeAndALeaveOfAPeerThatDoesNotAnswerIsUnreachable() throws IOException {
        CliRun both = charter(home, "channel", "leave", "mychannel", "--peer", "127.0.0.1:1", "--orderer", "127.0.0.1:2",
                "--tls-root", root.toString(), "--as", "org1-admin");
        assertThat(both.exitCode()).as(both.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("one node leaves at a time");
        CliRun none = charter(home, "channel", "leave", "mychannel", "--as", "org1-admin");
        assertThat(none.exitCode()).as(none.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("give --peer");
        CliRun noChannel = charter(home, "channel", "leave", "--peer", "127.0.0.1:1", "--as", "org1-admin");
        assertThat(noChannel.exitCode()).as(noChannel.toString()).isEqualTo(ExitCodes.USAGE);

        String address = "127.0.0.1:" + FreePorts.loopback();
        CliRun leave = charter(home, "channel", "leave", "mychannel", "--peer", address, "--tls-root", root.toString(),
                "--as", "org1-admin", "--remove-data");
        assertThat(leave.exitCode()).as(leave.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(leave.err()).contains(address).doesNotContain("\tat ");
        assertThat(seen).isEmpty();
    }

    @Test
    void aPeerNamedByANodeIdThatTheWalletCannotLookUpIsAUsageError() throws IOException {
        Path file = Files.write(home.resolve("asset-transfer.jar"), TestContracts.assetTransferJar());
        CliRun run = charter(home, "contract", "install", "--peer", "peer0.org1", "--tls-root", root.toString(), "--as",
                "org1-admin", file.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("knows no membership service").contains("--peer HOST:PORT");
    }
}
