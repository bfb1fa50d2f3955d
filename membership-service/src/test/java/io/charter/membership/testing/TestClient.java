package io.charter.membership.testing;

import io.charter.common.crypto.EcKeys;
import io.charter.membership.app.Csrs;
import io.charter.membership.security.SignedToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An HTTPS client of the membership service for tests and the load generator: trusts the consortium
 * root only, authenticates with HTTP Basic, a signed token, or a client certificate (mTLS).
 */
public final class TestClient {

    public static final String ADMIN_ID = "admin";
    public static final String ADMIN_SECRET = "test-admin-secret";
    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;
    private final X509Certificate root;
    private final HttpClient plain;
    private final java.util.Optional<java.net.InetAddress> localAddress;

    public TestClient(int port, X509Certificate root) {
        this("https://localhost:" + port, root);
    }

    public TestClient(String base, X509Certificate root) {
        this(base, root, java.util.Optional.empty());
    }

    private TestClient(String base, X509Certificate root, java.util.Optional<java.net.InetAddress> localAddress) {
        this.base = base;
        this.root = root;
        this.localAddress = localAddress;
        this.plain = httpClient(null);
    }

    /**
     * A client of the service on {@code port} whose connections come from {@code loopback} (e.g. 127.0.0.2),
     * so that the service sees another source address.
     */
    public static TestClient from(java.net.InetAddress loopback, int port, X509Certificate root) {
        if (!loopback.isLoopbackAddress()) {
            throw new IllegalArgumentException("tests send traffic from loopback addresses only");
        }
        return new TestClient("https://127.0.0.1:" + port, root, java.util.Optional.of(loopback));
    }

    /** How a request authenticates. */
    public sealed interface Auth {}
    public record None() implements Auth {}
    public record Basic(String id, String secret) implements Auth {}
    public record Token(Credential credential, long timestampMillis) implements Auth {
        public Token(Credential credential) {
            this(credential, System.currentTimeMillis());
        }
    }
    public record Mtls(Credential credential) implements Auth {}

    public static final Auth NONE = new None();

    /** A key pair with its certificate and the chain above it (issuing CA, root). */
    public record Credential(KeyPair keys, X509Certificate certificate, List<X509Certificate> chain) {
        public List<X509Certificate> fullChain() {
            List<X509Certificate> all = new ArrayList<>();
            all.add(certificate);
            all.addAll(chain);
            return all;
        }
    }

    public record Response(int status, byte[] bytes, java.net.http.HttpHeaders headers) {
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return JSON.readTree(bytes);
        }

        /** The error code of an error answer. */
        public String code() {
            return json().path("code").asString();
        }

        @Override
        public String toString() {
            return status + " " + body();
        }
    }

    public Response get(String path, Auth auth) {
        return send("GET", path, null, new byte[0], auth, Map.of());
    }

    public Response postJson(String path, Object body, Auth auth) {
        return send("POST", path, "application/json", JSON.writeValueAsBytes(body), auth, Map.of());
    }

    public Response send(String method, String path, String contentType, byte[] body, Auth auth,
                         Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body.length == 0 && !"POST".equals(method) && !"PATCH".equals(method)
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        HttpClient client = plain;
        switch (auth) {
            case None n -> { }
            case Basic b -> request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (b.id() + ":" + b.secret()).getBytes(StandardCharsets.UTF_8)));
            case Token t -> {
                String timestamp = Long.toString(t.timestampMillis());
                request.header("Authorization", SignedToken.authorization(t.credential().certificate(),
                        t.credential().keys().getPrivate(), method, path, body, timestamp));
                request.header(SignedToken.TIMESTAMP_HEADER, timestamp);
            }
            case Mtls m -> client = httpClient(m.credential());
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (client != plain) {
                client.close();
            }
        }
    }

    /** Enrolls {@code id} with its secret for a signing certificate, from a freshly generated key. */
    public Credential enroll(String id, String secret) {
        KeyPair keys = EcKeys.generate();
        Response response = postJson("/api/v1/enroll", Map.of("csr", Csrs.pem(id, keys)), new Basic(id, secret));
        return credential(keys, response);
    }

    public Credential enrollAdmin() {
        return enroll(ADMIN_ID, ADMIN_SECRET);
    }

    /** Re-enrolls with a token signed by {@code current}, for a new key. */
    public Credential reenroll(String id, Credential current) {
        KeyPair keys = EcKeys.generate();
        Response response = postJson("/api/v1/reenroll", Map.of("csr", Csrs.pem(id, keys)), new Token(current));
        return credential(keys, response);
    }

    public static Credential credential(KeyPair keys, Response response) {
        if (response.status() != 200) {
            throw new IllegalStateException("enrollment failed: " + response);
        }
        JsonNode json = response.json();
        List<X509Certificate> leaf = certificates(json.path("certificate").asString());
        return new Credential(keys, leaf.getFirst(), certificates(json.path("chain").asString()));
    }

    public static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SSL context that trusts the consortium root and, when given, presents {@code credential}. */
    public SSLContext sslContext(Credential credential) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("root", root);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (credential != null) {
                char[] password = "test".toCharArray();
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("me", credential.keys().getPrivate(), password,
                        credential.fullChain().toArray(Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, password);
            }
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpClient httpClient(Credential credential) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(sslContext(credential))
                .connectTimeout(Duration.ofSeconds(10));
        localAddress.ifPresent(builder::localAddress);
        return builder.build();
    }
}
