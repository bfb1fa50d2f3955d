package io.charter.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.charter.common.identity.Role;
import io.charter.common.membership.MembershipClient;
import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.CertificateTemplate;
import io.charter.common.pki.Pem;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import io.charter.common.testing.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Enrollment and discovery through common's MembershipClient against an HTTPS stand-in of the
 * membership service's REST API (its real answers are checked in the membership service's own tests):
 * what the SDK makes of the answers and of the refusals.
 */
class MembershipEnrollmentAndDiscoveryTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TestPki PKI = TestPki.create("Org1", "Org2", "OrdererOrg");
    private static final TestPki.Credential PEER_SIGNING = PKI.organization("Org2").enroll("peer0", Role.PEER);
    private static final TestPki.Credential PEER_TLS = PKI.organization("Org2").enrollTls("peer0", Role.PEER);
    private static final List<String> PROFILES = new CopyOnWriteArrayList<>();
    private static HttpsServer server;
    private static MembershipClient membership;

    @BeforeAll
    static void start() throws Exception {
        TestPki.Credential tls = PKI.organization("OrdererOrg").enrollTls("membership", Role.CLIENT);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("tls", tls.keys().getPrivate(), "pw".toCharArray(), tls.chain().toArray(Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "pw".toCharArray());
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/api/v1/", MembershipEnrollmentAndDiscoveryTest::handle);
        server.start();
        membership = new MembershipClient(URI.create("https://127.0.0.1:" + server.getAddress().getPort()),
                PKI.root().certificate());
    }

    @AfterAll
    static void stop() {
        membership.close();
        server.stop(0);
    }

    @Test
    void enrollingMakesASigningAndATlsIdentityOfTheOrganization() {
        Identity alice = Identity.enroll(membership, "Org1", "alice", "s3cret");

        assertThat(alice.mspId()).isEqualTo("Org1");
        assertThat(alice.enrollmentId()).isEqualTo("alice");
        assertThat(alice.certificate().getIssuerX500Principal())
                .isEqualTo(PKI.organization("Org1").signingCa().certificate().getSubjectX500Principal());
        assertThat(alice.tls().certificate().getIssuerX500Principal())
                .isEqualTo(PKI.organization("Org1").tlsCa().certificate().getSubjectX500Principal());
        assertThat(alice.tls().chain()).hasSizeGreaterThan(1);
        assertThat(PROFILES).contains("signing", "tls");
    }

    @Test
    void aWrongSecretIsAMembershipFailureWithTheServicesCode() {
        assertThatThrownBy(() -> Identity.enroll(membership, "Org1", "alice", "wrong"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.IDENTITY);
                    assertThat(e.code()).isEqualTo(SdkErrorCode.MEMBERSHIP_FAILED);
                    assertThat(e.getMessage()).contains("AUTHENTICATION_FAILED").contains("alice");
                });
    }

    @Test
    void aNetworkFindsTheChannelsPeersAndOrderersThroughDiscovery() {
        Identity alice = Identity.enroll(membership, "Org1", "alice", "s3cret");
        try (Gateway gateway = Gateway.builder(alice).trustRoots(List.of(PKI.root().certificate())).membership(membership)
                .connect()) {
            Network network = gateway.network("trade");

            assertThat(network.peers()).containsExactly(new NodeEndpoint("peer0.org2", "Org2", "127.0.0.1", 7051));
            assertThat(network.orderers()).containsExactly(new NodeEndpoint("orderer1", "OrdererOrg", "127.0.0.1", 7050));
            assertThat(network.organizations()).containsExactly("Org2");

            Network secret = gateway.network("secret-channel"); // discovery asks when the nodes are first needed
            assertThatThrownBy(secret::peers)
                    .isInstanceOfSatisfying(SdkException.class, e -> {
                        assertThat(e.step()).isEqualTo(Step.DISCOVER);
                        assertThat(e.code()).isEqualTo(SdkErrorCode.MEMBERSHIP_FAILED);
                        assertThat(e.getMessage()).contains("ACCESS_DENIED").contains("secret-channel");
                    });
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        try {
            if (path.equals("/api/v1/enroll")) {
                String expected = "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
                if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    json(exchange, 401, Map.of("code", "AUTHENTICATION_FAILED", "message", "wrong secret", "status", 401));
                    return;
                }
                JsonNode request = JSON.readTree(body);
                String profile = request.path("profile").asString();
                PROFILES.add(profile);
                PublicKey key = Pem.decodeCsr(request.path("csr").asString()).publicKey();
                TestPki.Organization org = PKI.organization("Org1");
                CertificateAuthority ca = "tls".equals(profile) ? org.tlsCa() : org.signingCa();
                Validity validity = new Validity(Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)));
                SubjectName subject = SubjectName.of("alice", "Org1", Role.CLIENT);
                var certificate = ca.issue("tls".equals(profile) ? CertificateTemplate.tls(subject, key, validity, List.of())
                        : CertificateTemplate.signing(subject, key, validity));
                json(exchange, 200, Map.of("certificate", Pem.encodeCertificate(certificate),
                        "chain", Pem.encodeCertificates(ca.chain()), "profile", profile,
                        "serial", certificate.getSerialNumber().toString(16)));
            } else if (path.equals("/api/v1/discovery/channels/trade/peers")) {
                json(exchange, 200, Map.of("Org2", List.of(node("peer0.org2", "Org2", "peer", 7051))));
            } else if (path.equals("/api/v1/discovery/channels/trade/orderers")) {
                json(exchange, 200, List.of(node("orderer1", "OrdererOrg", "orderer", 7050)));
            } else {
                json(exchange, 403, Map.of("code", "ACCESS_DENIED", "message", "not a member of the channel", "status", 403));
            }
        } catch (Exception e) {
            json(exchange, 500, Map.of("code", "INTERNAL_ERROR", "message", String.valueOf(e), "status", 500));
        }
    }

    private static Map<String, Object> node(String id, String mspId, String role, int port) {
        return Map.of("nodeId", id, "mspId", mspId, "role", role,
                "endpoints", List.of(Map.of("host", "127.0.0.1", "port", port)), "channelHeights", Map.of("trade", 3),
                "anchor", false, "signingCertificate", Pem.encodeCertificate(PEER_SIGNING.certificate()),
                "tlsCertificate", Pem.encodeCertificate(PEER_TLS.certificate()), "state", "UP");
    }

    private static void json(HttpExchange exchange, int status, Object value) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(value);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
