package io.charter.membership.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.crypto.EcKeys;
import io.charter.common.identity.IdentityValidator;
import io.charter.common.identity.MspDefinition;
import io.charter.common.identity.MspRegistry;
import io.charter.common.identity.RejectionReason;
import io.charter.common.identity.ValidationResult;
import io.charter.common.pki.Role;
import io.charter.membership.app.Csrs;
import io.charter.membership.testing.MembershipTestBase;
import io.charter.membership.testing.TestClient;
import io.charter.membership.testing.TestClient.Credential;
import io.charter.membership.testing.TestClient.Mtls;
import io.charter.membership.testing.TestClient.Response;
import io.charter.membership.testing.TestClient.Token;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import com.google.protobuf.ByteString;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportException;
import io.charter.common.transport.TransportServer;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.common.transport.tls.TlsTrust;
import org.junit.jupiter.api.Test;

/**
 * The whole life of an identity through the REST API over HTTPS: the bootstrap admin enrolls, creates
 * an organization and registers a user; the user enrolls from a CSR, re-enrolls with a signed token and
 * is revoked; the CRL lists its serials; common's IdentityValidator, the API and a CRL-enforcing TLS
 * transport server (common's Netty transport, mTLS) then refuse it.
 */
class LifecycleTest extends MembershipTestBase {

    @Test
    void identityLifecycleThroughHttps() throws Exception {
        TestClient client = client();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String org = "Life" + suffix + "MSP";
        String user = "user-" + suffix;

        Credential admin = client.enrollAdmin();
        assertThat(admin.certificate().getSubjectX500Principal().getName()).contains("CN=admin");

        Response created = client.postJson("/api/v1/organizations", Map.of("mspId", org), new Token(admin));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("mspId").asString()).isEqualTo(org);
        X509Certificate signingCa = TestClient.certificates(created.json().path("signingCa").asString()).getFirst();

        Response registered = client.postJson("/api/v1/identities",
                Map.of("id", user, "type", "client", "organization", org, "maxEnrollments", 1), new Token(admin));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        String secret = registered.json().path("secret").asString();
        assertThat(secret).isNotBlank();

        // Enroll from a bare PEM CSR.
        KeyPair keys = EcKeys.generate();
        Response enrolled = client.send("POST", "/api/v1/enroll", "application/x-pem-file",
                Csrs.pem(user, keys).getBytes(StandardCharsets.US_ASCII), new TestClient.Basic(user, secret), Map.of());
        Credential first = TestClient.credential(keys, enrolled);
        assertThat(first.chain()).hasSize(2).first().isEqualTo(signingCa);
        assertThat(first.chain().getLast()).isEqualTo(core.rootCertificate());
        validate(first);
        Credential tls = enrollTls(client, user, secret, List.of());
        assertThat(tls.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(tls.certificate().getSubjectAlternativeNames()).isNull();

        // The secret is spent (max enrollments 1).
        Response again = client.postJson("/api/v1/enroll", Map.of("csr", Csrs.pem(user, EcKeys.generate())),
                new TestClient.Basic(user, secret));
        assertThat(again.status()).as(again.toString()).isEqualTo(403);
        assertThat(again.code()).isEqualTo("ENROLLMENT_LIMIT_REACHED");

        Credential second = client.reenroll(user, first);
        assertThat(second.certificate().getSerialNumber()).isNotEqualTo(first.certificate().getSerialNumber());
        validate(second);

        // The identity reads itself with its certificate, by token and by mTLS.
        assertThat(client.get("/api/v1/identities/" + user, new Token(second)).status()).isEqualTo(200);
        Response viaMtls = client.get("/api/v1/identities/" + user, new Mtls(second));
        assertThat(viaMtls.status()).as(viaMtls.toString()).isEqualTo(200);
        assertThat(viaMtls.json().path("certificates").size()).isEqualTo(3);

        Response revoked = client.postJson("/api/v1/revoke", Map.of("id", user, "reason", "key_compromise"),
                new Token(admin));
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        List<String> serials = TestClient.JSON.convertValue(revoked.json().path("revokedSerials"),
                TestClient.JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        assertThat(serials).containsExactlyInAnyOrder(first.certificate().getSerialNumber().toString(16),
                second.certificate().getSerialNumber().toString(16), tls.certificate().getSerialNumber().toString(16));

        // The CRL, public and in DER, lists both serials and is signed by the organization's signing CA.
        Response crlAnswer = client.send("GET", "/api/v1/cas/" + org + "/signing/crl", null, new byte[0],
                TestClient.NONE, Map.of("Accept", "application/pkix-crl"));
        assertThat(crlAnswer.status()).isEqualTo(200);
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(crlAnswer.bytes()));
        crl.verify(signingCa.getPublicKey());
        assertThat(crl.getRevokedCertificate(first.certificate().getSerialNumber())).isNotNull();
        assertThat(crl.getRevokedCertificate(second.certificate().getSerialNumber())).isNotNull();
        assertThat(crl.getNextUpdate()).isAfter(crl.getThisUpdate());
        Response pemCrl = client.get("/api/v1/cas/" + org + "/signing/crl", TestClient.NONE);
        assertThat(pemCrl.body()).startsWith("-----BEGIN X509 CRL-----");

        // Common's validator, given the organization's MSP and its CRL, accepts a colleague and refuses them.
        MspRegistry registry = new MspRegistry(List.of(
                MspDefinition.of(org, List.of(core.rootCertificate()), List.of(signingCa)).withCrls(List.of(crl))));
        IdentityValidator validator = new IdentityValidator(registry);
        assertThat(validator.validate(org, second.certificate()))
                .isInstanceOfSatisfying(ValidationResult.Rejected.class,
                        rejected -> assertThat(rejected.reason()).isEqualTo(RejectionReason.REVOKED));
        assertThat(validator.validate(org, first.certificate()).isValid()).isFalse();
        String colleagueId = "signer-" + suffix;
        String colleagueIdSecret = client.postJson("/api/v1/identities",
                Map.of("id", colleagueId, "type", "peer", "organization", org), new Token(admin)).json().path("secret").asString();
        Credential colleagueSigning = client.enroll(colleagueId, colleagueIdSecret);
        assertThat(validator.validate(org, colleagueSigning.certificate(), Role.PEER).isValid()).isTrue();

        // The API refuses the revoked certificate, by token and by mTLS.
        Response refused = client.get("/api/v1/organizations", new Token(second));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.code()).isEqualTo("CERTIFICATE_REVOKED");
        Response refusedMtls = client.get("/api/v1/organizations", new Mtls(second));
        assertThat(refusedMtls.status()).isEqualTo(401);
        assertThat(refusedMtls.code()).isEqualTo("CERTIFICATE_REVOKED");

        // A node (common's Netty transport, mTLS) that trusts the consortium and enforces the TLS CA's
        // CRL refuses the revoked TLS certificate at the handshake and accepts a colleague's.
        String colleague = "colleague-" + suffix;
        String colleagueSecret = client.postJson("/api/v1/identities",
                Map.of("id", colleague, "type", "peer", "organization", org, "hosts", List.of("localhost", "127.0.0.1")),
                new Token(admin)).json().path("secret").asString();
        Credential colleagueTls = enrollTls(client, colleague, colleagueSecret, List.of("localhost", "127.0.0.1"));
        assertThat(colleagueTls.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        X509CRL tlsCrl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(
                client.get("/api/v1/cas/" + org + "/tls/crl?format=der", TestClient.NONE).bytes()));
        assertThat(tlsCrl.getRevokedCertificate(tls.certificate().getSerialNumber())).isNotNull();
        assertThat(tlsCrl.getRevokedCertificate(colleagueTls.certificate().getSerialNumber())).isNull();

        TlsTrust trust = TlsTrust.of(List.of(core.rootCertificate()), () -> List.of(tlsCrl));
        AtomicInteger handled = new AtomicInteger();
        try (TransportServer node = TransportServer.builder(credentials(colleagueTls), trust).bind("127.0.0.1", 0)
                .ioThreads(1)
                .unary("whoami", io.charter.common.transport.MethodAccess.trustedOrganizations(Role.values()), (call, request) -> {
                    handled.incrementAndGet();
                    return CompletableFuture.completedFuture(ByteString.copyFromUtf8(
                            call.peerCertificate().getSubjectX500Principal().getName()));
                })
                .build().start()) {
            try (TransportClient revokedClient = TransportClient.builder("127.0.0.1", node.port(), credentials(tls), trust)
                    .connect()) {
                assertThatThrownBy(() -> revokedClient.call("whoami", ByteString.EMPTY, Duration.ofSeconds(30))
                        .get(60, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(TransportException.class)
                        .satisfies(e -> assertThat(((TransportException) e.getCause()).code())
                                .isIn(ErrorCode.UNAUTHENTICATED, ErrorCode.UNAVAILABLE));
            }
            assertThat(handled).hasValue(0);
            try (TransportClient colleagueClient = TransportClient.builder("127.0.0.1", node.port(),
                    credentials(colleagueTls), trust).connect()) {
                assertThat(colleagueClient.call("whoami", ByteString.EMPTY, Duration.ofSeconds(30))
                        .get(60, TimeUnit.SECONDS).toStringUtf8()).contains("CN=" + colleague);
            }
            assertThat(handled).hasValue(1);
        }
        // A TLS certificate is no signing identity: the validator knows only the signing CA here.
        assertThat(validator.validate(org, colleagueTls.certificate()).isValid()).isFalse();
    }

    private static Credential enrollTls(TestClient client, String id, String secret, List<String> hosts) {
        KeyPair keys = EcKeys.generate();
        return TestClient.credential(keys, client.postJson("/api/v1/enroll",
                Map.of("csr", Csrs.pem(id, keys), "profile", "tls", "hosts", hosts),
                new TestClient.Basic(id, secret)));
    }

    private static TlsCredentials credentials(Credential credential) {
        return new TlsCredentials(credential.keys().getPrivate(), credential.fullChain());
    }

    private void validate(Credential credential) throws Exception {
        var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(credential.certificate(),
                credential.chain().getFirst()));
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(core.rootCertificate(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(path, parameters);
    }
}
