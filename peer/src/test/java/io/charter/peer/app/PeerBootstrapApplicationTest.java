package io.charter.peer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.charter.common.identity.Role;
import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.CertificateTemplate;
import io.charter.common.pki.Pem;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import io.charter.common.protocol.Blocks;
import io.charter.common.testing.RequiresDocker;
import io.charter.common.testing.TestImages;
import io.charter.common.testing.TestPki;
import io.charter.peer.node.PeerNode;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.OrganizationConfig;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.postgresql.PostgreSQLContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Spring Boot peer with {@code charter.peer.membership.url} set, no certificate files and no
 * configured neighbours, against a fake HTTPS membership service: it enrolls its signing and TLS
 * certificates (role PEER), stores them, registers in the index as role {@code peer} with its transport
 * endpoint, heartbeats with its channels, discovers a joined channel's orderers and its organization's
 * other peers, and refreshes the joined channel's CRLs when the CRL version rises.
 */
@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
@SpringBootTest(classes = PeerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PeerBootstrapApplicationTest {

    static final TestPki PKI = TestPki.create("Org1", "Org2", "OrdererOrg");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Path FILES = tempDir();
    static final List<String> ENROLLED = new CopyOnWriteArrayList<>();
    static final List<byte[]> REGISTRATIONS = new CopyOnWriteArrayList<>();
    static final List<String> CRLS = new CopyOnWriteArrayList<>();
    static final AtomicInteger HEARTBEATS = new AtomicInteger();
    /** Whether the fake index answers discovery with errors, and the discovery calls answered so far. */
    static volatile boolean INDEX_DOWN;
    static final AtomicInteger DISCOVERY_CALLS = new AtomicInteger();
    /** Whether the index lists a second orderer and a third Org1 peer (they joined after the channel). */
    static volatile boolean GROWN;
    /** The channel height orderer1 reports to the fake index. */
    static volatile long ORDERER_HEIGHT = 1;
    static final HttpsServer MEMBERSHIP = startMembership();
    static final PostgreSQLContainer POSTGRES = TestImages.postgresContainer();
    static final int TRANSPORT_PORT = freePort();

    @Autowired
    PeerNode node;

    @Autowired
    PeerChannels channels;

    @Autowired
    org.springframework.boot.health.contributor.HealthIndicator peerHealthIndicator;

    @Autowired
    com.zaxxer.hikari.HikariDataSource ledgerDataSource;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        POSTGRES.start();
        registry.add("charter.peer.database.url", POSTGRES::getJdbcUrl);
        registry.add("charter.peer.database.username", POSTGRES::getUsername);
        registry.add("charter.peer.database.password", POSTGRES::getPassword);
        registry.add("charter.peer.data-dir", () -> FILES.resolve("data").toString());
        registry.add("charter.peer.tls.trusted-roots", () -> write("roots.pem", Pem.encodeCertificate(PKI.root().certificate())));
        registry.add("charter.peer.membership.url", () -> "https://localhost:" + MEMBERSHIP.getAddress().getPort());
        registry.add("charter.peer.membership.enrollment-id", () -> "peer0");
        registry.add("charter.peer.membership.enrollment-secret", () -> "s3cret");
        registry.add("charter.peer.membership.advertised-host", () -> "peer0.org1");
        registry.add("charter.peer.transport.host", () -> "127.0.0.1");
        registry.add("charter.peer.transport.port", () -> String.valueOf(TRANSPORT_PORT));
        registry.add("server.address", () -> "127.0.0.1");
        registry.add("management.server.port", () -> "0");
        registry.add("management.server.address", () -> "127.0.0.1");
        registry.add("charter.peer.discovery.refresh-interval", () -> "200ms");
    }

    @AfterAll
    void stop() {
        node.close();
        ledgerDataSource.close();
        POSTGRES.stop();
        MEMBERSHIP.stop(0);
    }

    @Test
    void enrollsRegistersAsAPeerDiscoversItsNeighboursAndRefreshesCrls() throws Exception {
        assertThat(ENROLLED).containsExactly("signing", "tls");
        Path msp = FILES.resolve("data/msp");
        X509Certificate signing = Pem.decodeCertificates(Files.readString(msp.resolve("signing-cert.pem"))).getFirst();
        assertThat(SubjectName.from(signing).orElseThrow()).isEqualTo(SubjectName.of("peer0", "Org1", Role.PEER));
        assertThat(msp.resolve("tls-key.pem")).exists();
        assertThat(node.settings().peerId()).isEqualTo("peer0");

        // registered as role "peer" with the advertised transport endpoint (NodeRequests' canonical encoding)
        assertThat(REGISTRATIONS).hasSize(1);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeBytes("CNR1");
        for (String s : List.of("peer0", "Org1", "peer")) {
            out.writeShort(s.length());
            out.writeBytes(s);
        }
        out.writeInt(1);
        out.writeShort("peer0.org1".length());
        out.writeBytes("peer0.org1");
        assertThat(REGISTRATIONS.getFirst()).startsWith(expected.toByteArray());

        // a join without configured neighbours asks the index, and remembers the answer
        channels.join(genesis());
        assertThat(Files.readString(FILES.resolve("data/discovery/trade.txt")))
                .contains("peer peer1 peer1.org1 7060").contains("orderer orderer1 127.0.0.1 9")
                .doesNotContain("peer0").doesNotContain("org2");

        // the periodic refresh picks up an orderer and a peer that appeared in the index after the join
        io.charter.peer.node.ChannelPeer trade = node.channel("trade").orElseThrow();
        GROWN = true;
        await("the new orderer and peer", () -> trade.neighbours().orderers().size() == 2
                && trade.neighbours().organizationPeers().size() == 2);
        assertThat(trade.neighbours().orderers()).extracting(io.charter.peer.delivery.Endpoint::id)
                .containsExactly("orderer1", "orderer2");
        assertThat(trade.neighbours().organizationPeers()).extracting(io.charter.peer.delivery.Endpoint::id)
                .containsExactly("peer1", "peer2");
        assertThat(trade.election().peers()).extracting(io.charter.peer.dissemination.OrgPeer::id)
                .containsExactly("peer1", "peer2");
        await("the grown answer remembered", () -> read(FILES.resolve("data/discovery/trade.txt")).contains("orderer2"));

        // while the index answers errors, the refresh keeps the last known lists
        INDEX_DOWN = true;
        int calls = DISCOVERY_CALLS.get();
        await("refreshes against the failing index", () -> DISCOVERY_CALLS.get() >= calls + 3);
        assertThat(trade.neighbours().orderers()).extracting(io.charter.peer.delivery.Endpoint::id)
                .containsExactly("orderer1", "orderer2");
        assertThat(trade.neighbours().organizationPeers()).extracting(io.charter.peer.delivery.Endpoint::id)
                .containsExactly("peer1", "peer2");
        assertThat(read(FILES.resolve("data/discovery/trade.txt"))).contains("orderer2").contains("peer2");

        // back up without peer2: it is dropped
        GROWN = false;
        INDEX_DOWN = false;
        await("peer2 dropped", () -> trade.neighbours().organizationPeers().size() == 1);
        assertThat(trade.election().peers()).extracting(io.charter.peer.dissemination.OrgPeer::id).containsExactly("peer1");

        // readiness compares the channel's height with the orderers' height the index reports
        await("ready at the orderers' height", () -> tradeHealth().get("ready").equals(true));
        assertThat(tradeHealth()).containsEntry("lagFrom", "orderers").containsEntry("ordererHeight", 1L).containsEntry("lag", 0L);
        ORDERER_HEIGHT = 100;
        await("not ready 99 blocks behind the orderers", () -> tradeHealth().get("lag").equals(99L));
        assertThat(tradeHealth()).containsEntry("ready", false).containsEntry("lagFrom", "orderers");
        assertThat(peerHealthIndicator.health(true).getStatus().getCode()).isEqualTo("DOWN");
        ORDERER_HEIGHT = 1;

        // heartbeats carry on; a rising CRL version fetches the joined channel's organizations' CRLs
        await("heartbeats and CRL refreshes", () -> HEARTBEATS.get() >= 2 && CRLS.contains("Org1/tls") && CRLS.contains("Org2/signing"));
    }

    private static Block genesis() {
        ChannelConfig.Builder config = ChannelConfig.newBuilder().setChannelId("trade")
                .putPolicies("Endorsement", "AND('Org1.peer', 'Org2.peer')")
                .putPolicies("BlockValidation", "OutOf(1, 'OrdererOrg.orderer')")
                .putPolicies("Writers", "OR('Org1.member', 'Org2.member')");
        for (String mspId : List.of("Org1", "Org2", "OrdererOrg")) {
            config.addOrganizations(OrganizationConfig.newBuilder().setMspId(mspId)
                    .addRootCerts(der(PKI.root().certificate()))
                    .addIntermediateCerts(der(PKI.organization(mspId).signingCa().certificate()))
                    .addTlsRootCerts(der(PKI.root().certificate()))
                    .addTlsIntermediateCerts(der(PKI.organization(mspId).tlsCa().certificate())));
        }
        return Blocks.genesisBlock(config.build(), Instant.now());
    }

    private static ByteString der(X509Certificate certificate) {
        try {
            return ByteString.copyFrom(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpsServer startMembership() {
        try {
            TestPki.Credential tls = PKI.organization("Org2").enrollTls("membership", Role.CLIENT);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("tls", tls.keys().getPrivate(), "pw".toCharArray(), tls.chain().toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "pw".toCharArray());
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(kmf.getKeyManagers(), null, null);
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
            server.createContext("/api/v1/", PeerBootstrapApplicationTest::handle);
            server.start();
            return server;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        try {
            if (path.equals("/api/v1/enroll")) {
                String basic = exchange.getRequestHeaders().getFirst("Authorization");
                if (!("Basic " + Base64.getEncoder().encodeToString("peer0:s3cret".getBytes(StandardCharsets.UTF_8))).equals(basic)) {
                    json(exchange, 401, Map.of("code", "AUTHENTICATION_FAILED", "message", "wrong secret", "status", 401));
                    return;
                }
                JsonNode request = JSON.readTree(body);
                String profile = request.path("profile").asString();
                PublicKey key = Pem.decodeCsr(request.path("csr").asString()).publicKey();
                List<String> hosts = new ArrayList<>();
                request.path("hosts").forEach(h -> hosts.add(h.asString()));
                TestPki.Organization org = PKI.organization("Org1");
                CertificateAuthority ca = "tls".equals(profile) ? org.tlsCa() : org.signingCa();
                Validity validity = new Validity(Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)));
                SubjectName subject = SubjectName.of("peer0", "Org1", Role.PEER);
                var certificate = ca.issue("tls".equals(profile) ? CertificateTemplate.tls(subject, key, validity, hosts)
                        : CertificateTemplate.signing(subject, key, validity));
                ENROLLED.add(profile);
                json(exchange, 200, Map.of("certificate", Pem.encodeCertificate(certificate),
                        "chain", Pem.encodeCertificates(ca.chain()), "profile", profile,
                        "serial", certificate.getSerialNumber().toString(16)));
            } else if (path.equals("/api/v1/nodes")) {
                REGISTRATIONS.add(Base64.getDecoder().decode(JSON.readTree(body).path("request").asString()));
                json(exchange, 200, answer(0));
            } else if (path.endsWith("/heartbeat")) {
                json(exchange, 200, answer(HEARTBEATS.incrementAndGet()));
            } else if (path.startsWith("/api/v1/discovery/") && INDEX_DOWN) {
                DISCOVERY_CALLS.incrementAndGet();
                json(exchange, 503, Map.of("code", "UNAVAILABLE", "message", "the index is down", "status", 503));
            } else if (path.equals("/api/v1/discovery/channels/trade/orderers")) {
                DISCOVERY_CALLS.incrementAndGet();
                List<Object> orderers = new ArrayList<>(List.of(node("orderer1", "OrdererOrg", "orderer", "127.0.0.1", 9,
                        ORDERER_HEIGHT)));
                if (GROWN) {
                    orderers.add(node("orderer2", "OrdererOrg", "orderer", "127.0.0.1", 10));
                }
                json(exchange, 200, orderers);
            } else if (path.equals("/api/v1/discovery/channels/trade/peers")) {
                DISCOVERY_CALLS.incrementAndGet();
                List<Object> org1 = new ArrayList<>(List.of(node("peer0", "Org1", "peer", "peer0.org1", 7060),
                        node("peer1", "Org1", "peer", "peer1.org1", 7060)));
                if (GROWN) {
                    org1.add(node("peer2", "Org1", "peer", "peer2.org1", 7060));
                }
                json(exchange, 200, Map.of("Org1", org1, "Org2", List.of(node("peer0", "Org2", "peer", "peer0.org2", 7060))));
            } else if (path.endsWith("/crl")) {
                String[] parts = path.split("/");
                TestPki.Organization org = PKI.organization(parts[4]);
                CertificateAuthority ca = "tls".equals(parts[5]) ? org.tlsCa() : org.signingCa();
                byte[] der = ca.issueCrl(List.of(), BigInteger.ONE, Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600))
                        .getEncoded();
                CRLS.add(parts[4] + "/" + parts[5]);
                exchange.getResponseHeaders().add("X-Charter-Crl-Version", String.valueOf(HEARTBEATS.get()));
                exchange.sendResponseHeaders(200, der.length);
                exchange.getResponseBody().write(der);
                exchange.close();
            } else {
                json(exchange, 404, Map.of("code", "NOT_FOUND", "message", path, "status", 404));
            }
        } catch (Exception e) {
            json(exchange, 500, Map.of("code", "INTERNAL_ERROR", "message", String.valueOf(e), "status", 500));
        }
    }

    private static Map<String, Object> node(String id, String mspId, String role, String host, int port) {
        return node(id, mspId, role, host, port, 1);
    }

    private static Map<String, Object> node(String id, String mspId, String role, String host, int port, long height) {
        String certificate = Pem.encodeCertificate(PKI.root().certificate());
        return Map.of("nodeId", id, "mspId", mspId, "role", role, "endpoints", List.of(Map.of("host", host, "port", port)),
                "channelHeights", Map.of("trade", height), "anchor", false, "signingCertificate", certificate,
                "tlsCertificate", certificate, "state", "UP");
    }

    /** The CRL version rises with every heartbeat. */
    private static Map<String, Object> answer(int crlVersion) {
        return Map.of("nodeId", "peer0", "crlVersion", crlVersion, "heartbeatIntervalMillis", 200,
                "revocationPropagationBoundMillis", 1000);
    }

    private static void json(HttpExchange exchange, int status, Object value) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(value);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> tradeHealth() {
        Map<String, Object> channels = (Map<String, Object>) peerHealthIndicator.health(true).getDetails().get("channels");
        return (Map<String, Object>) channels.get("trade");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(String name, String text) {
        try {
            return Files.writeString(FILES.resolve(name), text).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("peer-bootstrap-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (var socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
