package io.charter.membership.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.crypto.EcKeys;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.membership.MembershipClient;
import io.charter.common.membership.MembershipException;
import io.charter.common.membership.NodeRequests;
import io.charter.common.pki.Role;
import io.charter.membership.app.Csrs;
import io.charter.membership.index.Endpoint;
import io.charter.membership.index.Heartbeat;
import io.charter.membership.index.NodeRegistration;
import io.charter.membership.testing.MembershipTestBase;
import io.charter.membership.testing.TestClient;
import io.charter.membership.testing.TestClient.Credential;
import io.charter.membership.testing.TestClient.Token;
import java.net.URI;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Common's {@link MembershipClient} against the real service over HTTPS: enrollment (signing and TLS,
 * wrong secret, re-enrollment), node registration and heartbeat with the canonical encodings of
 * {@link NodeRequests} (byte-identical to the core's), discovery, CRLs and a revocation raising the CRL
 * version seen in the next heartbeat.
 */
class MembershipClientTest extends MembershipTestBase {

    @Test
    void enrollsRegistersHeartbeatsDiscoversAndFollowsRevocations() throws Exception {
        TestClient setup = client();
        Credential admin = setup.enrollAdmin();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String org = "Cli" + suffix + "MSP";
        String channel = "ch-" + suffix;
        String nodeId = "orderer0-" + suffix;
        assertThat(setup.postJson("/api/v1/organizations", Map.of("mspId", org), new Token(admin)).status()).isEqualTo(201);
        String secret = setup.postJson("/api/v1/identities", Map.of("id", nodeId, "type", "orderer", "organization", org,
                "hosts", List.of("localhost")), new Token(admin)).json().path("secret").asString();

        try (MembershipClient client = new MembershipClient(URI.create("https://localhost:" + port), core.rootCertificate())) {
            KeyPair signingKeys = EcKeys.generate();
            assertThatThrownBy(() -> client.enroll(nodeId, "wrong", csr(nodeId, signingKeys), "signing", List.of()))
                    .isInstanceOfSatisfying(MembershipException.class, e -> {
                        assertThat(e.code()).isEqualTo("AUTHENTICATION_FAILED");
                        assertThat(e.status()).isEqualTo(401);
                    });
            MembershipClient.Enrollment signing = client.enroll(nodeId, secret, csr(nodeId, signingKeys), "signing", List.of());
            assertThat(signing.certificate().getPublicKey()).isEqualTo(signingKeys.getPublic());
            assertThat(signing.chain().getLast()).isEqualTo(core.rootCertificate());
            KeyPair tlsKeys = EcKeys.generate();
            MembershipClient.Enrollment tls = client.enroll(nodeId, secret, csr(nodeId, tlsKeys), "tls", List.of("localhost"));
            assertThat(tls.profile()).isEqualTo("tls");
            assertThat(tls.certificate().getSubjectAlternativeNames()).isNotEmpty();

            MembershipClient.Credential me = new MembershipClient.Credential(signing.certificate(), EcdsaSigner.of(signingKeys));
            KeyPair renewedKeys = EcKeys.generate();
            MembershipClient.Enrollment renewed = client.reenroll(me, csr(nodeId, renewedKeys), "signing", List.of());
            assertThat(renewed.certificate().getPublicKey()).isEqualTo(renewedKeys.getPublic());
            me = new MembershipClient.Credential(renewed.certificate(), EcdsaSigner.of(renewedKeys));

            // the encodings are the core's, byte for byte
            Instant now = Instant.now();
            byte[] registration = NodeRequests.registration(nodeId, org, "orderer",
                    List.of(new NodeRequests.Endpoint("localhost", 7050)), Map.of(channel, 3L), false,
                    renewed.certificate(), tls.certificate(), now);
            assertThat(registration).isEqualTo(NodeRegistration.of(nodeId, org, Role.ORDERER,
                    List.of(new Endpoint("localhost", 7050)), Map.of(channel, 3L), false, renewed.certificate(),
                    tls.certificate(), now).encode());
            MembershipClient.IndexAnswer registered = client.registerNode(registration, me.signer());
            assertThat(registered.nodeId()).isEqualTo(nodeId);
            assertThat(registered.heartbeatInterval()).isPositive();

            byte[] beat = NodeRequests.heartbeat(nodeId, org, Map.of(channel, 4L, "a-" + channel, 1L), now.plusMillis(5));
            assertThat(beat).isEqualTo(Heartbeat.of(nodeId, org, Map.of(channel, 4L, "a-" + channel, 1L), now.plusMillis(5)).encode());
            long crlVersion = client.heartbeat(nodeId, beat, me.signer()).crlVersion();

            List<MembershipClient.Node> orderers = client.orderers(channel, me);
            assertThat(orderers).singleElement().satisfies(node -> {
                assertThat(node.nodeId()).isEqualTo(nodeId);
                assertThat(node.tlsCertificate()).isEqualTo(tls.certificate());
                assertThat(node.channelHeights()).containsEntry(channel, 4L);
                assertThat(node.endpoints()).containsExactly(new NodeRequests.Endpoint("localhost", 7050));
            });
            assertThat(client.peers(channel, me)).isEmpty();
            // a heartbeat signed by another key is refused with the service's code
            assertThatThrownBy(() -> client.heartbeat(nodeId, NodeRequests.heartbeat(nodeId, org, Map.of(),
                    Instant.now().plusMillis(10)), EcdsaSigner.of(EcKeys.generate())))
                    .isInstanceOfSatisfying(MembershipException.class, e -> assertThat(e.code()).isEqualTo("BAD_SIGNATURE"));

            // revoking a colleague: a new CRL version in the next heartbeat, the serial in the signing CRL
            String userSecret = setup.postJson("/api/v1/identities", Map.of("id", "user-" + suffix, "type", "client",
                    "organization", org), new Token(admin)).json().path("secret").asString();
            Credential user = setup.enroll("user-" + suffix, userSecret);
            assertThat(setup.postJson("/api/v1/revoke", Map.of("serial", user.certificate().getSerialNumber().toString(16),
                    "reason", "superseded"), new Token(admin)).status()).isEqualTo(200);
            MembershipClient.IndexAnswer after = client.heartbeat(nodeId,
                    NodeRequests.heartbeat(nodeId, org, Map.of(channel, 5L), Instant.now().plusMillis(20)), me.signer());
            assertThat(after.crlVersion()).isGreaterThan(crlVersion);
            MembershipClient.Crl crl = client.crl(org, "signing");
            assertThat(crl.version()).isGreaterThanOrEqualTo(after.crlVersion());
            assertThat(crl.crl().getRevokedCertificate(user.certificate().getSerialNumber())).isNotNull();
            assertThat(crl.crl().getRevokedCertificate(renewed.certificate().getSerialNumber())).isNull();
            assertThat(client.crl(org, "tls").crl().getRevokedCertificate(tls.certificate().getSerialNumber())).isNull();
            assertThatThrownBy(() -> client.crl("NoSuch" + suffix + "MSP", "tls"))
                    .isInstanceOfSatisfying(MembershipException.class, e -> assertThat(e.status()).isEqualTo(404));
        }
    }

    private static byte[] csr(String id, KeyPair keys) {
        String pem = Csrs.pem(id, keys);
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(base64);
    }
}
