package io.charter.deploy.network;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import org.testcontainers.containers.GenericContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What an organization's admin does with its peers from outside: the admin REST API (docs/peer.md). */
final class Peers {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Peers() {}

    /** {@code POST /api/v1/channels} with the genesis block; answers the response. */
    static HttpResponse<String> join(GenericContainer<?> peer, MembershipAdmin.TlsIdentity admin, X509Certificate root, byte[] genesis) {
        return send(peer, admin, root, HttpRequest.newBuilder(api(peer, "/channels"))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(genesis)));
    }

    /** {@code POST /api/v1/contracts} with a contract jar; answers the package id. */
    static String install(GenericContainer<?> peer, MembershipAdmin.TlsIdentity admin, X509Certificate root, byte[] jar) {
        HttpResponse<String> answer = send(peer, admin, root, HttpRequest.newBuilder(api(peer, "/contracts"))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(jar)));
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("installing the contract answered " + answer.statusCode() + ": " + answer.body());
        }
        return JSON.readTree(answer.body()).path("packageId").asString();
    }

    /** The channel's height on this peer, or -1 when it is not joined or not reachable. */
    static long height(GenericContainer<?> peer, MembershipAdmin.TlsIdentity admin, X509Certificate root, String channel) {
        HttpResponse<String> answer = send(peer, admin, root, HttpRequest.newBuilder(api(peer, "/channels/" + channel)).GET());
        return answer.statusCode() == 200 ? JSON.readTree(answer.body()).path("height").asLong(-1) : -1;
    }

    /** {@code GET /api/v1/channels/{channel}/transactions/{txId}}: the validation code, or empty when unknown. */
    static String validationCode(GenericContainer<?> peer, MembershipAdmin.TlsIdentity admin, X509Certificate root, String channel,
            String txId) {
        HttpResponse<String> answer = send(peer, admin, root,
                HttpRequest.newBuilder(api(peer, "/channels/" + channel + "/transactions/" + txId)).GET());
        return answer.statusCode() == 200 ? JSON.readTree(answer.body()).path("validationCode").asString() : "";
    }

    /** {@code GET} on the peer's operations port (health, metrics; plain HTTP, as the kubelet and Prometheus call it). */
    static HttpResponse<String> operations(GenericContainer<?> peer, String path) {
        return io.charter.common.testing.TestHttp.send(java.net.http.HttpClient.newHttpClient(), HttpRequest.newBuilder(
                URI.create("http://localhost:" + peer.getMappedPort(9446) + path)).GET().build());
    }

    static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    private static URI api(GenericContainer<?> peer, String path) {
        return URI.create("https://localhost:" + peer.getMappedPort(9445) + "/api/v1" + path);
    }

    private static HttpResponse<String> send(GenericContainer<?> peer, MembershipAdmin.TlsIdentity admin, X509Certificate root,
            HttpRequest.Builder request) {
        try {
            return Orderers.https(admin, root).send(request.timeout(java.time.Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
