package io.charter.client.cli.ledger;

import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import io.charter.client.wallet.TlsCredential;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.pki.KeyStores;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node's admin REST API over HTTPS with the wallet identity's TLS key as the client certificate: the
 * orderer's channel participation API ({@code /participation/v1}, docs/orderer.md). (Peers are administered over
 * their transport: {@link io.charter.client.sdk.PeerAdmin}.) Errors answered as {@code {code, message}} or
 * {@code {error, message}} become {@link CliException}s with the node's code.
 */
final class PeerAdminClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;
    private final String node;

    /** An orderer's channel participation API ({@code /participation/v1}, docs/orderer.md), same TLS rules. */
    static PeerAdminClient orderer(URI ordererUrl, WalletIdentity caller, X509Certificate trustRoot) {
        return new PeerAdminClient(ordererUrl, "/participation/v1", "orderer", caller, trustRoot);
    }

    private PeerAdminClient(URI peerUrl, String apiPath, String node, WalletIdentity caller, X509Certificate trustRoot) {
        this.node = node;
        if (!"https".equals(peerUrl.getScheme()) || peerUrl.getHost() == null) {
            throw CliException.usage("the " + node + "'s admin URL is https://HOST:PORT (e.g. https://localhost:9445), not "
                    + peerUrl);
        }
        TlsCredential tls = caller.tls().orElseThrow(() -> CliException.usage("the identity '" + caller.name()
                + "' has no TLS certificate, which the admin API requires: enroll it again without --no-tls"));
        String path = peerUrl.getPath() == null ? "" : peerUrl.getPath().replaceAll("/+$", "");
        this.base = URI.create(peerUrl.getScheme() + "://" + peerUrl.getRawAuthority() + path
                + (path.endsWith(apiPath) ? "" : apiPath));
        this.http = HttpClient.newBuilder().sslContext(sslContext(tls, trustRoot)).connectTimeout(TIMEOUT).build();
    }

    /** A successful answer: its HTTP status (e.g. 201 created, 200 done before) and JSON body. */
    record Answer(int status, JsonNode body) {}

    Answer post(String path, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Content-Type", "application/octet-stream").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).header("Accept", "application/json")
                .GET().build()).body();
    }

    private Answer send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpTimeoutException e) {
            throw CliException.unreachable("the " + node + "'s admin API at " + base + " does not answer ("
                    + e.getMessage() + "): check the URL and that the " + node + " is up", e);
        } catch (SSLHandshakeException e) {
            throw new CliException(ExitCodes.REFUSED, "TLS_HANDSHAKE_FAILED", "the TLS handshake with " + base
                    + " failed (" + e.getMessage() + "): check --tls-root and that the identity's TLS certificate is"
                    + " trusted by the " + node, e);
        } catch (IOException e) {
            throw CliException.unreachable("the " + node + "'s admin API at " + base + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failed("interrupted");
        }
        JsonNode body;
        try {
            body = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (JacksonException e) {
            body = JSON.nullNode();
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new Answer(status, body);
        }
        // the peer answers {code, message}, the orderer's participation API {error, message}
        String code = body.path("code").asString(body.path("error").asString("HTTP_" + status));
        String message = body.path("message").asString("the " + node + " answered HTTP " + status);
        int exit = switch (status) {
            case 400 -> ExitCodes.USAGE;
            case 401, 403 -> ExitCodes.REFUSED;
            case 404 -> ExitCodes.NOT_FOUND;
            case 409 -> ExitCodes.CONFLICT;
            case 502, 503, 504 -> ExitCodes.UNREACHABLE;
            default -> ExitCodes.FAILED;
        };
        String advice = status == 403 ? " (act as an admin of the " + node + "'s organization, e.g. --as org1-admin)" : "";
        throw new CliException(exit, code, "the " + node + " refused: " + message + advice);
    }

    private static SSLContext sslContext(TlsCredential tls, X509Certificate trustRoot) {
        try {
            char[] password = new char[0];
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(KeyStores.withKey("client", tls.privateKey(), password, tls.fullChain()), password);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(KeyStores.trusting(List.of(trustRoot)));
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new CliException(ExitCodes.USAGE, "TLS_SETUP_FAILED", "cannot use the identity's TLS key: "
                    + e.getMessage(), e);
        }
    }
}
