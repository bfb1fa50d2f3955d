package io.charter.membership.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.crypto.EcKeys;
import io.charter.membership.app.Csrs;
import io.charter.membership.security.SignedToken;
import io.charter.membership.testing.MembershipTestBase;
import io.charter.membership.testing.TestClient;
import io.charter.membership.testing.TestClient.Basic;
import io.charter.membership.testing.TestClient.Credential;
import io.charter.membership.testing.TestClient.Response;
import io.charter.membership.testing.TestClient.Token;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every refused request gets a stable {code, message, status} body and writes nothing: row counts of
 * every table are compared before and after.
 */
class ErrorMappingTest extends MembershipTestBase {

    private TestClient client;
    private Credential admin;
    private String org;
    private Credential member;

    @BeforeEach
    void organizationWithAMember() {
        client = client();
        admin = client.enrollAdmin();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        org = "Err" + suffix + "MSP";
        assertThat(client.postJson("/api/v1/organizations", Map.of("mspId", org), new Token(admin)).status()).isEqualTo(201);
        String id = "member-" + suffix;
        String secret = client.postJson("/api/v1/identities", Map.of("id", id, "type", "client", "organization", org),
                new Token(admin)).json().path("secret").asString();
        member = client.enroll(id, secret);
    }

    /** Runs {@code request}, checks status and code, and that no table changed (but {@code except}). */
    private Response refused(int status, String code, Supplier<Response> request, String... except) {
        Map<String, Long> before = rowCounts();
        Response response = request.get();
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.code()).as(response.toString()).isEqualTo(code);
        assertThat(response.json().path("status").asInt()).isEqualTo(status);
        assertThat(response.json().path("message").asString()).isNotBlank();
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        Map<String, Long> after = rowCounts();
        for (String table : except) {
            before.remove(table);
            after.remove(table);
        }
        assertThat(after).as("rows after a refused request").isEqualTo(before);
        return response;
    }

    @Test
    void wrongSecretAndUnknownIdAreRefusedAlikeAndWriteNothing() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String id = "victim-" + suffix;
        client.postJson("/api/v1/identities", Map.of("id", id, "type", "client", "organization", org), new Token(admin));
        Response wrongSecret = refused(401, "AUTHENTICATION_FAILED", () -> client.postJson("/api/v1/enroll",
                Map.of("csr", Csrs.pem(id, EcKeys.generate())), new Basic(id, "wrong-secret")));
        Response unknownId = refused(401, "AUTHENTICATION_FAILED", () -> client.postJson("/api/v1/enroll",
                Map.of("csr", Csrs.pem("nobody", EcKeys.generate())), new Basic("nobody-" + suffix, "x")));
        assertThat(unknownId.body()).isEqualTo(wrongSecret.body());
    }

    @Test
    void enrollmentWithoutCredentialsIsRefused() {
        Response response = refused(401, "AUTHENTICATION_REQUIRED", () -> client.postJson("/api/v1/enroll",
                Map.of("csr", Csrs.pem("x", EcKeys.generate())), TestClient.NONE));
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    }

    @Test
    void nonAdminCannotRegisterOrRevokeOrCreateOrganizations() {
        refused(403, "FORBIDDEN", () -> client.postJson("/api/v1/identities",
                Map.of("id", "sneaky-" + UUID.randomUUID(), "type", "admin", "organization", org), new Token(member)));
        refused(403, "FORBIDDEN", () -> client.postJson("/api/v1/organizations",
                Map.of("mspId", "Sneaky" + UUID.randomUUID().toString().substring(0, 6) + "MSP"), new Token(member)));
        refused(403, "FORBIDDEN", () -> client.postJson("/api/v1/revoke", Map.of("id", TestClient.ADMIN_ID),
                new Token(member)));
    }

    @Test
    void oversizedBodyIsRefused() {
        byte[] big = new byte[17 * 1024];
        Arrays.fill(big, (byte) 'a');
        refused(413, "PAYLOAD_TOO_LARGE", () -> client.send("POST", "/api/v1/identities", "application/json", big,
                new Token(admin), Map.of()));
        refused(413, "PAYLOAD_TOO_LARGE", () -> client.send("POST", "/api/v1/enroll", "application/pkcs10", big,
                new Basic(TestClient.ADMIN_ID, TestClient.ADMIN_SECRET), Map.of()));
    }

    @Test
    void malformedCsrIsRefused() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String id = "csr-" + suffix;
        String secret = client.postJson("/api/v1/identities", Map.of("id", id, "type", "client", "organization", org),
                new Token(admin)).json().path("secret").asString();
        refused(400, "CSR_MALFORMED", () -> client.postJson("/api/v1/enroll",
                Map.of("csr", "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgQ1NS\n-----END CERTIFICATE REQUEST-----\n"),
                new Basic(id, secret)));
        refused(400, "CSR_MALFORMED", () -> client.send("POST", "/api/v1/enroll", "application/pkcs10",
                "garbage".getBytes(StandardCharsets.US_ASCII), new Basic(id, secret), Map.of()));
        // A CSR for someone else's name.
        refused(400, "CSR_MISMATCH", () -> client.postJson("/api/v1/enroll",
                Map.of("csr", Csrs.pem("someone-else", EcKeys.generate())), new Basic(id, secret)));
        refused(400, "INVALID_REQUEST", () -> client.send("POST", "/api/v1/enroll", "application/json",
                "{\"csr\": ".getBytes(StandardCharsets.US_ASCII), new Basic(id, secret), Map.of()));
        // Refused before anything is issued: a client that cannot read the answer does not spend its secret.
        refused(406, "NOT_ACCEPTABLE", () -> client.send("POST", "/api/v1/enroll", "application/json",
                TestClient.JSON.writeValueAsBytes(Map.of("csr", Csrs.pem(id, EcKeys.generate()))), new Basic(id, secret),
                Map.of("Accept", "application/xml")));
        // The secret was not spent by the refusals.
        assertThat(client.enroll(id, secret).certificate()).isNotNull();
    }

    @Test
    void missingExpiredMalformedAndTamperedTokensAreRefused() {
        refused(401, "AUTHENTICATION_REQUIRED", () -> client.get("/api/v1/organizations", TestClient.NONE));
        refused(401, "AUTHENTICATION_REQUIRED", () -> client.get("/api/v1/organizations",
                new Basic(TestClient.ADMIN_ID, TestClient.ADMIN_SECRET)));
        long old = System.currentTimeMillis() - Duration.ofMinutes(6).toMillis();
        refused(401, "TOKEN_EXPIRED", () -> client.postJson("/api/v1/identities",
                Map.of("id", "late-" + UUID.randomUUID(), "type", "client", "organization", org), new Token(admin, old)));
        long future = System.currentTimeMillis() + Duration.ofMinutes(6).toMillis();
        refused(401, "TOKEN_EXPIRED", () -> client.get("/api/v1/organizations", new Token(admin, future)));
        refused(401, "TOKEN_MALFORMED", () -> client.send("GET", "/api/v1/organizations", null, new byte[0],
                TestClient.NONE, Map.of("Authorization", "Charter not-a-token",
                        SignedToken.TIMESTAMP_HEADER, Long.toString(System.currentTimeMillis()))));
        refused(401, "TOKEN_MALFORMED", () -> {
            String timestamp = Long.toString(System.currentTimeMillis());
            String authorization = SignedToken.authorization(admin.certificate(), admin.keys().getPrivate(), "GET",
                    "/api/v1/organizations", new byte[0], timestamp);
            return client.send("GET", "/api/v1/organizations", null, new byte[0], TestClient.NONE,
                    Map.of("Authorization", authorization));
        });

        // Tampered: the body differs from the one signed.
        byte[] signedBody = TestClient.JSON.writeValueAsBytes(
                Map.of("id", "tamper-" + UUID.randomUUID(), "type", "client", "organization", org));
        byte[] sentBody = TestClient.JSON.writeValueAsBytes(
                Map.of("id", "tamper-" + UUID.randomUUID(), "type", "admin", "organization", org));
        refused(401, "BAD_SIGNATURE", () -> {
            String timestamp = Long.toString(System.currentTimeMillis());
            String authorization = SignedToken.authorization(admin.certificate(), admin.keys().getPrivate(), "POST",
                    "/api/v1/identities", signedBody, timestamp);
            return client.send("POST", "/api/v1/identities", "application/json", sentBody, TestClient.NONE,
                    Map.of("Authorization", authorization, SignedToken.TIMESTAMP_HEADER, timestamp));
        });
        // Tampered: a valid signature replayed on another path, and a certificate swapped for another's.
        refused(401, "BAD_SIGNATURE", () -> {
            String timestamp = Long.toString(System.currentTimeMillis());
            String authorization = SignedToken.authorization(admin.certificate(), admin.keys().getPrivate(), "GET",
                    "/api/v1/organizations", new byte[0], timestamp);
            return client.send("GET", "/api/v1/organizations/" + org + "/identities", null, new byte[0],
                    TestClient.NONE, Map.of("Authorization", authorization, SignedToken.TIMESTAMP_HEADER, timestamp));
        });
        refused(401, "BAD_SIGNATURE", () -> {
            String timestamp = Long.toString(System.currentTimeMillis());
            String signedByMember = SignedToken.authorization(member.certificate(), member.keys().getPrivate(), "GET",
                    "/api/v1/organizations", new byte[0], timestamp);
            String adminCert = SignedToken.authorization(admin.certificate(), member.keys().getPrivate(), "GET",
                    "/api/v1/organizations", new byte[0], timestamp);
            String forged = adminCert.substring(0, adminCert.indexOf('.')) + signedByMember.substring(signedByMember.indexOf('.'));
            return client.send("GET", "/api/v1/organizations", null, new byte[0], TestClient.NONE,
                    Map.of("Authorization", forged, SignedToken.TIMESTAMP_HEADER, timestamp));
        });
    }

    @Test
    void certificateFromAnotherCaIsUnknown() {
        var foreign = io.charter.common.testing.TestPki.create("Org1MSP").organization("Org1MSP")
                .enroll("admin", io.charter.common.pki.Role.ADMIN);
        Credential credential = new Credential(foreign.keys(), foreign.certificate(), foreign.chain().subList(1, foreign.chain().size()));
        refused(401, "CERTIFICATE_UNKNOWN", () -> client.get("/api/v1/organizations", new Token(credential)));
    }

    @Test
    void springLevelErrorsUseTheSameBody() {
        refused(404, "NOT_FOUND", () -> client.get("/no/such/page", TestClient.NONE));
        refused(404, "NOT_FOUND", () -> client.get("/api/v1/no-such-resource", new Token(admin)));
        refused(400, "INVALID_REQUEST", () -> client.send("POST", "/api/v1/identities", "application/json",
                "{not json".getBytes(StandardCharsets.UTF_8), new Token(admin), Map.of()));
        refused(400, "INVALID_REQUEST", () -> client.postJson("/api/v1/identities",
                Map.of("id", "badtype-" + UUID.randomUUID(), "type", "wizard", "organization", org), new Token(admin)));
        refused(415, "UNSUPPORTED_MEDIA_TYPE", () -> client.send("POST", "/api/v1/organizations", "application/xml",
                "<x/>".getBytes(StandardCharsets.UTF_8), new Token(admin), Map.of()));
        refused(405, "METHOD_NOT_ALLOWED", () -> client.send("DELETE", "/api/v1/organizations", null, new byte[0],
                new Token(admin), Map.of()));
        refused(404, "ORGANIZATION_NOT_FOUND", () -> client.get("/api/v1/organizations/NoSuchMSP", new Token(admin)));
        Map<String, Object> duplicate = new HashMap<>(Map.of("mspId", org));
        refused(409, "ORGANIZATION_EXISTS", () -> client.postJson("/api/v1/organizations", duplicate, new Token(admin)));
    }
}
