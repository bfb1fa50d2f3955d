package io.charter.membership.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.crypto.EcKeys;
import io.charter.membership.app.Csrs;
import io.charter.membership.testing.MembershipTestBase;
import io.charter.membership.testing.TestClient;
import io.charter.membership.testing.TestClient.Basic;
import io.charter.membership.testing.TestClient.Credential;
import io.charter.membership.testing.TestClient.Response;
import io.charter.membership.testing.TestClient.Token;
import java.net.InetAddress;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #12 over HTTPS: item 2 (a client asking for a TLS server certificate for any host) and item 8
 * (enrollment answers telling which ids exist, and lockouts anyone could cause).
 */
class EnrollmentByRoleApiTest extends MembershipTestBase {

    private TestClient client;
    private Credential admin;
    private String org;
    private String suffix;

    @BeforeEach
    void organization() {
        client = client();
        admin = client.enrollAdmin();
        suffix = UUID.randomUUID().toString().substring(0, 8);
        org = "Org" + suffix + "MSP";
        assertThat(client.postJson("/api/v1/organizations", Map.of("mspId", org), new Token(admin)).status()).isEqualTo(201);
    }

    @Test
    void aClientOfAnOrganizationAskingForAServerCertificateForTheServicesNameIsRefusedAndNothingIsIssued() {
        String id = "client-" + suffix;
        String secret = register(id, "client", Map.of());
        Response response = refusedWithoutWrites(400, "HOSTS_NOT_ALLOWED_FOR_ROLE", () -> client.postJson("/api/v1/enroll",
                Map.of("csr", Csrs.pem(id, EcKeys.generate()), "profile", "tls",
                        "hosts", List.of("*.example.com", "membership.example.com")), new Basic(id, secret)));
        assertThat(response.json().path("message").asString()).contains("leave hosts out");
        assertThat(client.get("/api/v1/identities/" + id, new Token(admin)).json().path("certificates").size()).isZero();
    }

    @Test
    void aNodeGetsItsApprovedHostsOnlyAndTheRegistrarsApprovalIsChecked() throws Exception {
        String id = "peer-" + suffix;
        refusedWithoutWrites(400, "HOST_INVALID", () -> client.postJson("/api/v1/identities", Map.of("id", id, "type", "peer",
                "organization", org, "hosts", List.of("*.com")), new Token(admin)));
        refusedWithoutWrites(400, "HOSTS_NOT_ALLOWED_FOR_ROLE", () -> client.postJson("/api/v1/identities", Map.of("id", id,
                "type", "client", "organization", org, "hosts", List.of("client.example.com")), new Token(admin)));
        String secret = register(id, "peer", Map.of("hosts", List.of("peer0.example.com"), "maxEnrollments", 3));
        assertThat(client.get("/api/v1/identities/" + id, new Token(admin)).json().path("hosts").get(0).asString())
                .isEqualTo("peer0.example.com");

        refusedWithoutWrites(403, "HOST_NOT_APPROVED", () -> client.postJson("/api/v1/enroll", Map.of("csr",
                Csrs.pem(id, EcKeys.generate()), "profile", "tls", "hosts", List.of("membership.example.com")),
                new Basic(id, secret)));
        KeyPair keys = EcKeys.generate();
        Credential tls = TestClient.credential(keys, client.postJson("/api/v1/enroll", Map.of("csr", Csrs.pem(id, keys),
                "profile", "tls", "hosts", List.of("peer0.example.com")), new Basic(id, secret)));
        assertThat(tls.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(tls.certificate().getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1)).containsExactly((Object) "peer0.example.com");

        // the registrar approves another name later
        assertThat(client.send("PATCH", "/api/v1/identities/" + id, "application/json",
                TestClient.JSON.writeValueAsBytes(Map.of("hosts", List.of("peer0.example.com", "peer0.internal"))),
                new Token(admin), Map.of()).status()).isEqualTo(200);
        KeyPair more = EcKeys.generate();
        Credential renamed = TestClient.credential(more, client.postJson("/api/v1/enroll", Map.of("csr", Csrs.pem(id, more),
                "profile", "tls", "hosts", List.of("peer0.internal")), new Basic(id, secret)));
        assertThat(renamed.certificate().getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1)).containsExactly((Object) "peer0.internal");
    }

    @Test
    void anUnknownIdAndAWrongSecretGetIdenticalAnswersAlsoWhenThrottled() throws Exception {
        String id = "known-" + suffix;
        register(id, "client", Map.of());
        TestClient attacker = TestClient.from(InetAddress.getByName("127.0.0.2"), port, core.rootCertificate());
        Response known = null;
        Response unknown = null;
        for (int i = 0; i < 5; i++) {
            known = enroll(attacker, id, "guess");
            unknown = enroll(attacker, "unknown-" + suffix, "guess");
            assertThat(known.status()).isEqualTo(401);
            assertThat(unknown.body()).isEqualTo(known.body());
        }
        known = enroll(attacker, id, "guess");
        unknown = enroll(attacker, "unknown-" + suffix, "guess");
        assertThat(known.status()).as(known.toString()).isEqualTo(429);
        assertThat(known.code()).isEqualTo("TOO_MANY_ATTEMPTS");
        assertThat(unknown.status()).isEqualTo(429);
        assertThat(unknown.body()).isEqualTo(known.body());
        assertThat(known.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(unknown.headers().firstValue("Retry-After")).isEqualTo(known.headers().firstValue("Retry-After"));
    }

    @Test
    void failuresFromOneAddressDoNotStopTheHolderEnrollingFromAnother() throws Exception {
        String id = "holder-" + suffix;
        String secret = register(id, "client", Map.of());
        TestClient attacker = TestClient.from(InetAddress.getByName("127.0.0.3"), port, core.rootCertificate());
        Map<String, Long> before = rowCounts();
        for (int i = 0; i < 20; i++) {
            assertThat(enroll(attacker, id, "guess-" + i).status()).isIn(401, 429);
        }
        assertThat(enroll(attacker, id, secret).status()).isEqualTo(429);
        assertThat(rowCounts()).isEqualTo(before);
        Response holder = enroll(client, id, secret);
        assertThat(holder.status()).as(holder.toString()).isEqualTo(200);
    }

    private String register(String id, String type, Map<String, Object> more) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("id", id, "type", type, "organization", org));
        body.putAll(more);
        Response response = client.postJson("/api/v1/identities", body, new Token(admin));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json().path("secret").asString();
    }

    private static Response enroll(TestClient from, String id, String secret) {
        return from.postJson("/api/v1/enroll", Map.of("csr", Csrs.pem(id, EcKeys.generate())), new Basic(id, secret));
    }

    private Response refusedWithoutWrites(int status, String code, Supplier<Response> request) {
        Map<String, Long> before = rowCounts();
        Response response = request.get();
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.code()).as(response.toString()).isEqualTo(code);
        assertThat(rowCounts()).as("row counts after a refusal").isEqualTo(before);
        return response;
    }
}
