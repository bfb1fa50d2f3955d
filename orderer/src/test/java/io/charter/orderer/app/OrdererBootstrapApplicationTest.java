package io.charter.orderer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.charter.common.identity.Role;
import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.CertificateTemplate;
import io.charter.common.pki.Pem;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import io.charter.common.testing.TestPki;
import io.charter.orderer.service.OrdererServer;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Spring Boot orderer with {@code charter.orderer.membership.url} set and no certificate files:
 * it enrolls its signing and TLS certificates from a (fake, HTTPS) membership service, stores them in
 * its data directory, starts with them, registers in the index and heartbeats.
 */
@SpringBootTest(classes = OrdererApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrdererBootstrapApplicationTest {

    static final TestPki PKI = TestPki.create("OrdererOrg", "ClientOrg");
    static final Path FILES = OrdererApplicationTest.tempDir();
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<String> ENROLLED = new CopyOnWriteArrayList<>();
    static final List<String> REGISTERED = new CopyOnWriteArrayList<>();
    static final AtomicInteger HEARTBEATS = new AtomicInteger();
    static final HttpsServer MEMBERSHIP = startMembership();

    @Autowired
    OrdererServer server;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("charter.orderer.data-dir", () -> FILES.resolve("data").toString());
        registry.add("charter.orderer.tls.trusted-roots", () -> write("roots.pem", Pem.encodeCertificate(PKI.root().certificate())));
        registry.add("charter.orderer.membership.url", () -> "https://localhost:" + MEMBERSHIP.getAddress().getPort());
        registry.add("charter.orderer.membership.enrollment-id", () -> "orderer0");
        registry.add("charter.orderer.membership.enrollment-secret", () -> "s3cret");
        registry.add("charter.orderer.transport.host", () -> "127.0.0.1");
        registry.add("charter.orderer.transport.port", () -> "0");
        registry.add("charter.orderer.cluster.port", () -> String.valueOf(OrdererApplicationTest.freePort()));
        registry.add("server.address", () -> "127.0.0.1");
        registry.add("management.server.port", () -> "0");
        registry.add("management.server.address", () -> "127.0.0.1");
    }

    @AfterAll
    static void stop() {
        MEMBERSHIP.stop(0);
    }

    @Test
    void enrollsStoresRegistersAndHeartbeats() throws Exception {
        assertThat(ENROLLED).containsExactly("signing", "tls");
        Path msp = FILES.resolve("data/msp");
        List<java.security.cert.X509Certificate> signing = Pem.decodeCertificates(Files.readString(msp.resolve("signing-cert.pem")));
        assertThat(signing.getFirst().getSubjectX500Principal().getName()).contains("CN=orderer0").contains("O=OrdererOrg");
        assertThat(signing.getLast()).isEqualTo(PKI.root().certificate());
        assertThat(msp.resolve("tls-key.pem")).exists();
        assertThat(server.port()).isPositive();
        assertThat(REGISTERED).containsExactly("orderer0");
        long deadline = System.currentTimeMillis() + 30_000;
        while (HEARTBEATS.get() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(HEARTBEATS.get()).isGreaterThanOrEqualTo(2);
    }

    private static HttpsServer startMembership() {
        try {
            TestPki.Credential tls = PKI.organization("ClientOrg").enrollTls("membership", Role.CLIENT);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("tls", tls.keys().getPrivate(), "pw".toCharArray(), tls.chain().toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "pw".toCharArray());
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(kmf.getKeyManagers(), null, null);
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
            server.createContext("/api/v1/", OrdererBootstrapApplicationTest::handle);
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
                if (!("Basic " + Base64.getEncoder().encodeToString("orderer0:s3cret".getBytes(StandardCharsets.UTF_8))).equals(basic)) {
                    json(exchange, 401, Map.of("code", "AUTHENTICATION_FAILED", "message", "wrong secret", "status", 401));
                    return;
                }
                JsonNode request = JSON.readTree(body);
                String profile = request.path("profile").asString();
                PublicKey key = Pem.decodeCsr(request.path("csr").asString()).publicKey();
                List<String> hosts = new ArrayList<>();
                request.path("hosts").forEach(h -> hosts.add(h.asString()));
                TestPki.Organization org = PKI.organization("OrdererOrg");
                CertificateAuthority ca = "tls".equals(profile) ? org.tlsCa() : org.signingCa();
                Validity validity = new Validity(Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)));
                SubjectName subject = SubjectName.of("orderer0", "OrdererOrg", Role.ORDERER);
                var certificate = ca.issue("tls".equals(profile) ? CertificateTemplate.tls(subject, key, validity, hosts)
                        : CertificateTemplate.signing(subject, key, validity));
                ENROLLED.add(profile);
                json(exchange, 200, Map.of("certificate", Pem.encodeCertificate(certificate),
                        "chain", Pem.encodeCertificates(ca.chain()), "profile", profile,
                        "serial", certificate.getSerialNumber().toString(16)));
            } else if (path.equals("/api/v1/nodes")) {
                REGISTERED.add("orderer0");
                json(exchange, 200, answer());
            } else if (path.endsWith("/heartbeat")) {
                HEARTBEATS.incrementAndGet();
                json(exchange, 200, answer());
            } else if (path.endsWith("/crl")) {
                String[] parts = path.split("/");
                TestPki.Organization org = PKI.organization(parts[4]);
                CertificateAuthority ca = "tls".equals(parts[5]) ? org.tlsCa() : org.signingCa();
                byte[] der = ca.issueCrl(List.of(), BigInteger.ONE, Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600))
                        .getEncoded();
                exchange.getResponseHeaders().add("X-Charter-Crl-Version", "1");
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

    private static Map<String, Object> answer() {
        return Map.of("nodeId", "orderer0", "crlVersion", 1, "heartbeatIntervalMillis", 200,
                "revocationPropagationBoundMillis", 1000);
    }

    private static void json(HttpExchange exchange, int status, Object value) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(value);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String write(String name, String text) {
        try {
            return Files.writeString(FILES.resolve(name), text).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
