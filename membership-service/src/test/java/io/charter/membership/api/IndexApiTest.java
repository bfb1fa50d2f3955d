package io.charter.membership.api;

import static io.charter.membership.testing.TestNodes.signed;
import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.Role;
import io.charter.membership.app.Csrs;
import io.charter.membership.index.Endpoint;
import io.charter.membership.index.Heartbeat;
import io.charter.membership.index.NodeRegistration;
import io.charter.membership.testing.MembershipTestBase;
import io.charter.membership.testing.TestClient;
import io.charter.membership.testing.TestClient.Basic;
import io.charter.membership.testing.TestClient.Credential;
import io.charter.membership.testing.TestClient.Response;
import io.charter.membership.testing.TestClient.Token;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The index through REST: nodes register and heartbeat with signed bodies, clients discover them. */
class IndexApiTest extends MembershipTestBase {

    record Node(String id, Credential signing, Credential tls) {}

    @Test
    void nodesRegisterHeartbeatAndAreDiscovered() throws Exception {
        TestClient client = client();
        Credential admin = client.enrollAdmin();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String org = "Idx" + suffix + "MSP";
        String channel = "ch-" + suffix;
        assertThat(client.postJson("/api/v1/organizations", Map.of("mspId", org), new Token(admin)).status()).isEqualTo(201);

        Node orderer = node(client, admin, org, "orderer0-" + suffix, "orderer");
        Node peer = node(client, admin, org, "peer0-" + suffix, "peer");

        Response registered = register(client, orderer, Role.ORDERER, channel, false);
        assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
        assertThat(registered.json().path("heartbeatIntervalMillis").asLong()).isPositive();
        assertThat(register(client, peer, Role.PEER, channel, true).status()).isEqualTo(200);

        Heartbeat heartbeat = Heartbeat.of(peer.id(), org, Map.of(channel, 7L), Instant.now().plusMillis(5));
        Response beat = client.postJson("/api/v1/nodes/" + peer.id() + "/heartbeat", signed(heartbeat.encode(),
                peer.signing().keys().getPrivate()), TestClient.NONE);
        assertThat(beat.status()).as(beat.toString()).isEqualTo(200);
        long crlVersion = beat.json().path("crlVersion").asLong();

        // A heartbeat posted under another node's path is refused.
        Response misrouted = client.postJson("/api/v1/nodes/" + orderer.id() + "/heartbeat", signed(
                Heartbeat.of(peer.id(), org, Map.of(channel, 8L), Instant.now().plusMillis(10)).encode(),
                peer.signing().keys().getPrivate()), TestClient.NONE);
        assertThat(misrouted.status()).isEqualTo(400);
        // A registration signed with the wrong key is refused.
        Response forged = client.postJson("/api/v1/nodes", signed(registration(orderer, Role.ORDERER, channel, false)
                .encode(), peer.signing().keys().getPrivate()), TestClient.NONE);
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.code()).isEqualTo("BAD_SIGNATURE");

        Response orderers = client.get("/api/v1/discovery/channels/" + channel + "/orderers", new Token(admin));
        assertThat(orderers.status()).as(orderers.toString()).isEqualTo(200);
        assertThat(orderers.json().size()).isEqualTo(1);
        assertThat(orderers.json().get(0).path("nodeId").asString()).isEqualTo(orderer.id());
        assertThat(orderers.json().get(0).path("tlsCertificate").asString()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(TestClient.certificates(orderers.json().get(0).path("tlsCertificate").asString()).getFirst())
                .isEqualTo(orderer.tls().certificate());

        Response peers = client.get("/api/v1/discovery/channels/" + channel + "/peers", new Token(admin));
        assertThat(peers.json().path(org).get(0).path("channelHeights").path(channel).asLong()).isEqualTo(7L);
        Response anchors = client.get("/api/v1/discovery/channels/" + channel + "/anchors", new Token(admin));
        assertThat(anchors.json().get(0).path("nodeId").asString()).isEqualTo(peer.id());

        Response noLeader = client.get("/api/v1/discovery/channels/" + channel + "/organizations/" + org + "/leader",
                new Token(admin));
        assertThat(noLeader.status()).isEqualTo(404);
        assertThat(noLeader.code()).isEqualTo("NODE_NOT_FOUND");
        Response lease = client.postJson("/api/v1/channels/" + channel + "/leadership", Map.of(), new Token(peer.signing()));
        assertThat(lease.status()).as(lease.toString()).isEqualTo(200);
        assertThat(lease.json().path("granted").asBoolean()).isTrue();
        Response leader = client.get("/api/v1/discovery/channels/" + channel + "/organizations/" + org + "/leader",
                new Token(admin));
        assertThat(leader.json().path("nodeId").asString()).isEqualTo(peer.id());

        Response nodes = client.get("/api/v1/nodes", new Token(admin));
        assertThat(nodes.body()).contains(peer.id(), orderer.id());
        assertThat(client.get("/api/v1/nodes/expiring", new Token(admin)).status()).isEqualTo(200);

        // Revoking the peer raises the CRL version that its next heartbeat answers.
        assertThat(client.postJson("/api/v1/revoke", Map.of("serial",
                orderer.tls().certificate().getSerialNumber().toString(16), "reason", "superseded"), new Token(admin))
                .status()).isEqualTo(200);
        Response after = client.postJson("/api/v1/nodes/" + peer.id() + "/heartbeat", signed(
                Heartbeat.of(peer.id(), org, Map.of(channel, 9L), Instant.now().plusMillis(20)).encode(),
                peer.signing().keys().getPrivate()), TestClient.NONE);
        assertThat(after.json().path("crlVersion").asLong()).isGreaterThan(crlVersion);
    }

    private Node node(TestClient client, Credential admin, String org, String id, String type) {
        String secret = client.postJson("/api/v1/identities", Map.of("id", id, "type", type, "organization", org,
                "hosts", List.of("localhost")), new Token(admin)).json().path("secret").asString();
        Credential signing = client.enroll(id, secret);
        KeyPair tlsKeys = EcKeys.generate();
        Credential tls = TestClient.credential(tlsKeys, client.postJson("/api/v1/enroll",
                Map.of("csr", Csrs.pem(id, tlsKeys), "profile", "tls", "hosts", List.of("localhost")),
                new Basic(id, secret)));
        return new Node(id, signing, tls);
    }

    private static NodeRegistration registration(Node node, Role role, String channel, boolean anchor) {
        return NodeRegistration.of(node.id(), node.signing().certificate().getSubjectX500Principal().getName()
                        .replaceAll(".*O=([^,]+).*", "$1"), role, List.of(new Endpoint("localhost", 7051)),
                Map.of(channel, 5L), anchor, node.signing().certificate(), node.tls().certificate(), Instant.now());
    }

    private static Response register(TestClient client, Node node, Role role, String channel, boolean anchor)
            throws GeneralSecurityException {
        return client.postJson("/api/v1/nodes", signed(registration(node, role, channel, anchor).encode(),
                node.signing().keys().getPrivate()), TestClient.NONE);
    }
}
