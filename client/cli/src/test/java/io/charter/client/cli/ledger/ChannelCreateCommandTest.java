package io.charter.client.cli.ledger;

import static io.charter.client.cli.CliRun.charter;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.charter.client.cli.CliRun;
import io.charter.client.cli.ExitCodes;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.identity.Role;
import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.Pem;
import io.charter.common.testing.TestPki;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigEnvelope;
import io.charter.protocol.Consenter;
import io.charter.protocol.Envelope;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.Payload;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CRLException;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code channel create} against an HTTPS listener on loopback that answers {@code GET /api/v1/nodes} and {@code GET
 * /api/v1/cas/{mspId}} as the membership service does (docs/membership-service.md): the block written, parsed back,
 * and every bad argument refused with its exit code and nothing written.
 */
class ChannelCreateCommandTest {

    @TempDir
    Path home;

    private final TestPki pki = TestPki.create("OrdererMSP", "Org1MSP", "Org2MSP");
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final TestPki.Credential ordererSigning = pki.organization("OrdererMSP").enroll("orderer0", Role.ORDERER);
    private final TestPki.Credential ordererTls = pki.organization("OrdererMSP").enrollTls("orderer0", Role.ORDERER);
    private HttpsServer server;
    private Path block;

    @BeforeEach
    void start() throws Exception {
        TestPki.Credential serverTls = pki.organization("OrdererMSP").enrollTls("membership", Role.PEER);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", serverTls.keys().getPrivate(), new char[0], serverTls.chain().toArray(Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        context.init(kmf.getKeyManagers(), null, null);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/api/v1/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            seen.add(exchange.getRequestMethod() + " " + path);
            String answer;
            int status = 200;
            if (path.endsWith("/crl")) { // /api/v1/cas/{mspId}/{signing|tls}/crl: the CA's current CRL, DER
                String[] parts = path.substring("/api/v1/cas/".length()).split("/");
                TestPki.Organization org = pki.organization(parts[0]);
                CertificateAuthority ca = parts[1].equals("tls") ? org.tlsCa() : org.signingCa();
                byte[] crl;
                try {
                    crl = ca.issueCrl(List.of(), BigInteger.ONE, Instant.now(), Instant.now().plus(Duration.ofDays(1)))
                            .getEncoded();
                } catch (CRLException e) {
                    throw new IllegalStateException(e);
                }
                exchange.getResponseHeaders().add("Content-Type", "application/pkix-crl");
                exchange.getResponseHeaders().add("X-Charter-Crl-Version", "1");
                exchange.getResponseHeaders().add("X-Charter-Crl-Number", "1");
                exchange.sendResponseHeaders(200, crl.length);
                exchange.getResponseBody().write(crl);
                exchange.close();
                return;
            }
            if (path.equals("/api/v1/nodes")) {
                answer = "[{\"nodeId\":\"orderer0\",\"mspId\":\"OrdererMSP\",\"role\":\"orderer\",\"endpoints\":[{\"host\":"
                        + "\"orderer-0.orderer\",\"port\":7050}],\"signingCertificate\":" + json(ordererSigning) + ","
                        + "\"tlsCertificate\":" + json(ordererTls) + "},{\"nodeId\":\"peer0\",\"mspId\":\"Org1MSP\","
                        + "\"role\":\"peer\",\"endpoints\":[],\"signingCertificate\":" + json(ordererSigning) + ","
                        + "\"tlsCertificate\":" + json(ordererTls) + "}]";
            } else if (path.startsWith("/api/v1/cas/") && !path.endsWith("/NoSuchMSP")) {
                TestPki.Organization org = pki.organization(path.substring("/api/v1/cas/".length()));
                answer = "{\"root\":" + json(pki.root().certificate()) + ",\"signingCa\":" + json(org.signingCa().certificate())
                        + ",\"tlsCa\":" + json(org.tlsCa().certificate()) + "}";
            } else {
                status = 404;
                answer = "{\"code\":\"UNKNOWN_ORGANIZATION\",\"message\":\"no organization NoSuchMSP\"}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        Wallet wallet = new Wallet(home.resolve("wallet"));
        wallet.saveConnection(new Wallet.Connection(URI.create("https://127.0.0.1:" + server.getAddress().getPort()),
                pki.root().certificate()));
        TestPki.Credential admin = pki.organization("Org1MSP").enroll("org1-admin", Role.ADMIN);
        wallet.put(new WalletIdentity("org1-admin", admin.certificate(), admin.chain().subList(1, admin.chain().size()),
                admin.keys().getPrivate(), Optional.empty()), false);
        wallet.setDefaultIdentity("org1-admin");
        block = home.resolve("trade.block");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void writesAGenesisBlockWithTheOrganizationsAndTheIndexedOrderersCertificates() throws Exception {
        CliRun run = charter(home, "channel", "create", "trade", "--orderer", "orderer-0.orderer:7051",
                "--org", "Org1MSP,Org2MSP", "--out", block.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("channel trade").contains("OrdererMSP, Org1MSP, Org2MSP");

        Block written = Block.parseFrom(Files.readAllBytes(block));
        assertThat(written.getHeader().getNumber()).isZero();
        ChannelConfig config = ConfigEnvelope.parseFrom(Payload.parseFrom(Envelope.parseFrom(
                written.getData().getEnvelopes(0)).getPayload()).getData()).getConfig();
        assertThat(config.getChannelId()).isEqualTo("trade");
        assertThat(config.getOrganizationsList()).extracting(OrganizationConfig::getMspId)
                .containsExactly("OrdererMSP", "Org1MSP", "Org2MSP");
        assertThat(config.getOrganizations(2).getIntermediateCerts(0).toByteArray())
                .isEqualTo(pki.organization("Org2MSP").signingCa().certificate().getEncoded());
        Consenter consenter = config.getOrderer().getConsenters(0);
        assertThat(consenter.getEndpoint().getHost()).isEqualTo("orderer-0.orderer");
        assertThat(consenter.getEndpoint().getPort()).isEqualTo(7051);
        assertThat(consenter.getClientTlsCert().toByteArray()).isEqualTo(ordererTls.certificate().getEncoded());
        assertThat(config.getPoliciesMap()).containsEntry("Endorsement", "AND('Org1MSP.peer', 'Org2MSP.peer')");
        assertThat(seen).contains("GET /api/v1/nodes", "GET /api/v1/cas/Org2MSP", "GET /api/v1/cas/Org2MSP/signing/crl",
                "GET /api/v1/cas/Org2MSP/tls/crl");
    }

    @Test
    void anOrdererTheIndexDoesNotKnowIsNotFoundAndNothingIsWritten() {
        CliRun run = charter(home, "channel", "create", "trade", "--orderer", "orderer-9.orderer:7051",
                "--org", "Org1MSP", "--out", block.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run.err()).contains("orderer-9.orderer");
        assertThat(block).doesNotExist();
    }

    @Test
    void anUnknownOrganizationIsRefusedAndNothingIsWritten() {
        CliRun run = charter(home, "channel", "create", "trade", "--orderer", "orderer0:7051",
                "--org", "NoSuchMSP", "--out", block.toString());
        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(block).doesNotExist();
        assertThat(home.resolve("trade.block.tmp")).doesNotExist();
    }

    @Test
    void badArgumentsAreUsageErrorsAndNothingIsWritten() {
        for (List<String> args : List.of(
                List.of("Trade!", "--orderer", "o:7051", "--org", "Org1MSP"),
                List.of("trade", "--orderer", "o", "--org", "Org1MSP"),
                List.of("trade", "--orderer", "o:70510", "--org", "Org1MSP"),
                List.of("trade", "--orderer", "o:7051,o:7051", "--org", "Org1MSP"),
                List.of("trade", "--orderer", "o:7051", "--org", "Org1MSP,Org1MSP"),
                List.of("trade", "--orderer", "orderer-0.orderer:7051", "--org", "OrdererMSP"),
                List.of("trade", "--org", "Org1MSP"))) {
            List<String> all = new java.util.ArrayList<>(List.of("channel", "create"));
            all.addAll(args);
            all.addAll(List.of("--out", block.toString()));
            CliRun run = charter(home, all.toArray(String[]::new));
            assertThat(run.exitCode()).as(args + "\n" + run).isEqualTo(ExitCodes.USAGE);
            assertThat(block).doesNotExist();
        }
    }

    @Test
    void anExistingFileIsNotOverwritten() throws Exception {
        Files.writeString(block, "keep");
        CliRun run = charter(home, "channel", "create", "trade", "--orderer", "orderer-0.orderer:7051",
                "--org", "Org1MSP", "--out", block.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(Files.readString(block)).isEqualTo("keep");
    }

    private static String json(TestPki.Credential credential) {
        return json(credential.certificate());
    }

    private static String json(java.security.cert.X509Certificate certificate) {
        return "\"" + Pem.encodeCertificate(certificate).replace("\n", "\\n") + "\"";
    }
}
