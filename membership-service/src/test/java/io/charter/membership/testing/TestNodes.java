package io.charter.membership.testing;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.Role;
import io.charter.membership.app.Csrs;
import io.charter.membership.index.Endpoint;
import io.charter.membership.index.Heartbeat;
import io.charter.membership.index.NodeRegistration;
import io.charter.membership.testing.TestClient.Basic;
import io.charter.membership.testing.TestClient.Credential;
import io.charter.membership.testing.TestClient.Response;
import io.charter.membership.testing.TestClient.Token;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Nodes in the index for REST tests: registered identities, enrolled, registered and heartbeating with signed bodies. */
public final class TestNodes {

    /** A node's identity: its signing and TLS credentials. */
    public record Node(String id, String mspId, Role role, Credential signing, Credential tls) {}

    private final TestClient client;
    private final Credential admin;

    public TestNodes(TestClient client, Credential admin) {
        this.client = client;
        this.admin = admin;
    }

    /** Creates the organization (201 expected). */
    public void organization(String mspId) {
        Response created = client.postJson("/api/v1/organizations", Map.of("mspId", mspId), new Token(admin));
        if (created.status() != 201) {
            throw new IllegalStateException("cannot create " + mspId + ": " + created);
        }
    }

    /** Registers the identity {@code id} of {@code role} in {@code mspId} and enrolls its signing and TLS certificates. */
    public Node identity(String mspId, String id, Role role) {
        return enroll(mspId, id, role, registerIdentity(mspId, id, role));
    }

    /** Registers the identity {@code id} of {@code role} in {@code mspId}; answers its enrollment secret. */
    public String registerIdentity(String mspId, String id, Role role) {
        return client.postJson("/api/v1/identities", Map.of("id", id, "type", role.label(), "organization", mspId,
                "hosts", List.of("localhost", "127.0.0.1")), new Token(admin)).json().path("secret").asString();
    }

    /** Enrolls a registered identity's signing and TLS certificates (HTTP Basic with its secret). */
    public Node enroll(String mspId, String id, Role role, String secret) {
        Credential signing = client.enroll(id, secret);
        KeyPair tlsKeys = EcKeys.generate();
        Credential tls = TestClient.credential(tlsKeys, client.postJson("/api/v1/enroll",
                Map.of("csr", Csrs.pem(id, tlsKeys), "profile", "tls", "hosts", List.of("localhost", "127.0.0.1")),
                new Basic(id, secret)));
        return new Node(id, mspId, role, signing, tls);
    }

    /** Registers the node in the index with one endpoint and these heights (200 expected). */
    public void register(Node node, int port, Map<String, Long> heights, boolean anchor, Instant sentAt) {
        NodeRegistration registration = NodeRegistration.of(node.id(), node.mspId(), node.role(),
                List.of(new Endpoint("127.0.0.1", port)), heights, anchor, node.signing().certificate(),
                node.tls().certificate(), sentAt);
        expectOk(client.postJson("/api/v1/nodes", signed(registration.encode(), node.signing().keys().getPrivate()),
                TestClient.NONE), "register " + node.id());
    }

    /** Sends a heartbeat with these heights (200 expected). */
    public void heartbeat(Node node, Map<String, Long> heights, Instant sentAt) {
        Heartbeat heartbeat = Heartbeat.of(node.id(), node.mspId(), heights, sentAt);
        expectOk(client.postJson("/api/v1/nodes/" + node.id() + "/heartbeat",
                signed(heartbeat.encode(), node.signing().keys().getPrivate()), TestClient.NONE), "heartbeat " + node.id());
    }

    /** Takes the peer's organization's leader lease on the channel (granted expected). */
    public void lead(Node peer, String channel) {
        Response lease = client.postJson("/api/v1/channels/" + channel + "/leadership", Map.of(), new Token(peer.signing()));
        expectOk(lease, "lease " + peer.id());
        if (!lease.json().path("granted").asBoolean()) {
            throw new IllegalStateException("lease of " + channel + " not granted to " + peer.id() + ": " + lease);
        }
    }

    private static void expectOk(Response response, String what) {
        if (response.status() != 200) {
            throw new IllegalStateException(what + " failed: " + response);
        }
    }

    public static Map<String, String> signed(byte[] body, PrivateKey key) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(key);
            signature.update(body);
            return Map.of("request", Base64.getEncoder().encodeToString(body),
                    "signature", Base64.getEncoder().encodeToString(signature.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
