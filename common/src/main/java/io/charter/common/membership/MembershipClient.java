package io.charter.common.membership;

import io.charter.common.crypto.Signer;
import io.charter.common.pki.KeyStores;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CRLException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of the membership service's REST API (docs/membership-service.md) for nodes and tools:
 * enrollment, CRLs, the node index and discovery. Plain Java: the JDK's {@link HttpClient} over TLS
 * 1.3 trusting only the consortium root; JSON with Jackson 3. Calls that need a certificate sign a
 * {@code Charter} token (method, path, body hash, timestamp) with the caller's key. Every refusal is a
 * {@link MembershipException} carrying the service's error code. Thread-safe.
 */
public final class MembershipClient implements AutoCloseable {

    /** A certificate and the signer of its key, for token-authenticated calls. */
    public record Credential(X509Certificate certificate, Signer signer) {}

    /** An issued certificate: the leaf, the chain (issuing CA then root), its profile and hex serial. */
    public record Enrollment(X509Certificate certificate, List<X509Certificate> chain, String profile, String serial) {}

    /** A CRL as served, with the service's global CRL version and the CRL number. */
    public record Crl(X509CRL crl, long version, long number) {}

    /** The answer to a registration or heartbeat: fetch CRLs anew when {@code crlVersion} changes. */
    public record IndexAnswer(String nodeId, long crlVersion, Duration heartbeatInterval,
            Duration revocationPropagationBound) {}

    /** A node as discovery returns it. */
    public record Node(String nodeId, String mspId, String role, List<NodeRequests.Endpoint> endpoints,
            Map<String, Long> channelHeights, boolean anchor, X509Certificate signingCertificate,
            X509Certificate tlsCertificate, String state) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;
    private final Clock clock;

    /**
     * @param base e.g. {@code https://membership:7054}
     * @param consortiumRoot the only certificate trusted for the service's TLS certificate
     */
    public MembershipClient(URI base, X509Certificate consortiumRoot, Clock clock) {
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(trustingOnly(consortiumRoot))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public MembershipClient(URI base, X509Certificate consortiumRoot) {
        this(base, consortiumRoot, Clock.systemUTC());
    }

    // ---- enrollment

    /**
     * Enrolls {@code id} with its one-time {@code secret} (HTTP Basic).
     *
     * @param csrDer a PKCS#10 request (DER) for the key to certify
     * @param profile {@code signing} or {@code tls}
     * @param hosts subject alternative names for a TLS certificate (may be empty)
     */
    public Enrollment enroll(String id, String secret, byte[] csrDer, String profile, List<String> hosts) {
        byte[] body = JSON.writeValueAsBytes(enrollmentBody(csrDer, profile, hosts));
        HttpRequest.Builder request = post("/api/v1/enroll", body).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        return enrollment(json(send(request)));
    }

    /** Renews the certificate of {@code current} for the key of {@code csrDer} (token of the current certificate). */
    public Enrollment reenroll(Credential current, byte[] csrDer, String profile, List<String> hosts) {
        String path = "/api/v1/reenroll";
        byte[] body = JSON.writeValueAsBytes(enrollmentBody(csrDer, profile, hosts));
        return enrollment(json(send(signed(post(path, body), current, "POST", path, body))));
    }

    // ---- CRLs and CAs

    /** The current CRL of an organization's {@code signing} or {@code tls} CA (public). */
    public Crl crl(String mspId, String profile) {
        String path = "/api/v1/cas/" + segment(mspId) + "/" + segment(profile) + "/crl";
        HttpResponse<byte[]> response = send(get(path).header("Accept", "application/pkix-crl"));
        try {
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(response.body()));
            return new Crl(crl, header(response, "X-Charter-Crl-Version"), header(response, "X-Charter-Crl-Number"));
        } catch (CertificateException | CRLException e) {
            throw new MembershipException("INVALID_ANSWER", response.statusCode(), "the CRL does not parse: " + e.getMessage());
        }
    }

    /** The organization's issuing CA certificates and the root (public). */
    public List<X509Certificate> caCertificates(String mspId) {
        JsonNode json = json(send(get("/api/v1/cas/" + segment(mspId))));
        List<X509Certificate> certificates = new ArrayList<>();
        for (JsonNode field : json) {
            if (field.isString() && field.asString().contains("BEGIN CERTIFICATE")) {
                certificates.addAll(certificates(field.asString()));
            }
        }
        return certificates;
    }

    // ---- index

    /**
     * Registers (or re-registers) a node; {@code request} is {@link NodeRequests#registration}'s bytes,
     * signed by {@code signer}, the key of the signing certificate inside it.
     */
    public IndexAnswer registerNode(byte[] request, Signer signer) {
        return indexAnswer(json(send(post("/api/v1/nodes", signedBody(request, signer)))));
    }

    /** A heartbeat; {@code request} is {@link NodeRequests#heartbeat}'s bytes. */
    public IndexAnswer heartbeat(String nodeId, byte[] request, Signer signer) {
        return indexAnswer(json(send(post("/api/v1/nodes/" + segment(nodeId) + "/heartbeat", signedBody(request, signer)))));
    }

    /** The UP orderers of a channel. */
    public List<Node> orderers(String channel, Credential caller) {
        String path = "/api/v1/discovery/channels/" + segment(channel) + "/orderers";
        return nodes(json(send(signed(get(path), caller, "GET", path, new byte[0]))));
    }

    /** The UP peers of a channel, by MSP id. */
    public Map<String, List<Node>> peers(String channel, Credential caller) {
        String path = "/api/v1/discovery/channels/" + segment(channel) + "/peers";
        JsonNode json = json(send(signed(get(path), caller, "GET", path, new byte[0])));
        Map<String, List<Node>> byOrganization = new TreeMap<>();
        for (String mspId : json.propertyNames()) {
            byOrganization.put(mspId, nodes(json.get(mspId)));
        }
        return byOrganization;
    }

    /**
     * A leader lease as the index answers an acquire: {@code granted} when the caller holds it now; otherwise
     * {@code holder} holds it until {@code expiresAt} (the service's clock).
     */
    public record Lease(String channel, String mspId, boolean granted, String holder, long term, java.time.Instant expiresAt) {}

    /**
     * Acquires or renews the caller's (a peer's) leader lease for its organization on {@code channel}.
     *
     * @throws MembershipException CHANNEL_NOT_SERVED before the caller's registration or a heartbeat reported the
     *     channel; NODE_NOT_FOUND when it is not registered; unreachable when the service does not answer
     */
    public Lease acquireLeadership(String channel, Credential caller) {
        String path = "/api/v1/channels/" + segment(channel) + "/leadership";
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        JsonNode json = json(send(signed(post(path, body), caller, "POST", path, body)));
        try {
            return new Lease(json.path("channel").asString(), json.path("mspId").asString(), json.path("granted").asBoolean(),
                    json.path("holder").asString(), json.path("term").asLong(),
                    java.time.Instant.parse(json.path("expiresAt").asString()));
        } catch (java.time.format.DateTimeParseException e) {
            throw new MembershipException("INVALID_ANSWER", 200, "the lease's expiresAt does not parse: " + e.getMessage());
        }
    }

    /** Releases the caller's leader lease on {@code channel} if it holds it. */
    public void releaseLeadership(String channel, Credential caller) {
        String path = "/api/v1/channels/" + segment(channel) + "/leadership";
        send(signed(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).DELETE(), caller, "DELETE", path,
                new byte[0]));
    }

    // ---- plumbing

    private static Map<String, Object> enrollmentBody(byte[] csrDer, String profile, List<String> hosts) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("csr", pem("CERTIFICATE REQUEST", csrDer));
        body.put("profile", profile);
        body.put("hosts", hosts);
        return body;
    }

    private static byte[] signedBody(byte[] request, Signer signer) {
        Base64.Encoder base64 = Base64.getEncoder();
        return JSON.writeValueAsBytes(Map.of("request", base64.encodeToString(request),
                "signature", base64.encodeToString(signer.sign(request))));
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET();
    }

    private HttpRequest.Builder post(String path, byte[] body) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private HttpRequest.Builder signed(HttpRequest.Builder request, Credential caller, String method, String path,
            byte[] body) {
        return withSignedToken(request, caller, method, path, body, clock);
    }

    /**
     * Adds the service's signed token to {@code request}: {@code Authorization: Charter <cert>.<signature>} over
     * method, path, the body's SHA-256 and {@code X-Charter-Timestamp}. For other clients of the admin API.
     */
    public static HttpRequest.Builder withSignedToken(HttpRequest.Builder request, Credential caller, String method,
            String path, byte[] body, Clock clock) {
        String timestamp = Long.toString(clock.millis());
        byte[] payload = (method + "\n" + path + "\n" + Base64.getEncoder().encodeToString(sha256(body)) + "\n"
                + timestamp).getBytes(StandardCharsets.UTF_8);
        try {
            Base64.Encoder base64 = Base64.getEncoder();
            return request.header("Authorization", "Charter " + base64.encodeToString(caller.certificate().getEncoded())
                            + "." + base64.encodeToString(caller.signer().sign(payload)))
                    .header("X-Charter-Timestamp", timestamp);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("the caller's certificate cannot be encoded", e);
        }
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.header("Accept", "application/json, application/pkix-crl").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // some causes (a refused connection, a timeout) carry no message: name the exception then, never "null"
            throw new MembershipException("the membership service at " + base + " is unreachable: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MembershipException("interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            String code = "HTTP_" + response.statusCode();
            String message = new String(response.body(), StandardCharsets.UTF_8);
            try {
                JsonNode error = JSON.readTree(response.body());
                if (error.hasNonNull("code")) {
                    code = error.get("code").asString();
                    message = error.path("message").asString();
                }
            } catch (RuntimeException e) {
                // not a JSON error body: keep the raw text
            }
            throw new MembershipException(code, response.statusCode(), message);
        }
        return response;
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw new MembershipException("INVALID_ANSWER", response.statusCode(), "the answer is not JSON");
        }
    }

    private static Enrollment enrollment(JsonNode json) {
        return new Enrollment(certificates(json.path("certificate").asString()).getFirst(),
                certificates(json.path("chain").asString()), json.path("profile").asString(),
                json.path("serial").asString());
    }

    private static IndexAnswer indexAnswer(JsonNode json) {
        return new IndexAnswer(json.path("nodeId").asString(), json.path("crlVersion").asLong(),
                Duration.ofMillis(json.path("heartbeatIntervalMillis").asLong()),
                Duration.ofMillis(json.path("revocationPropagationBoundMillis").asLong()));
    }

    private static List<Node> nodes(JsonNode array) {
        List<Node> nodes = new ArrayList<>();
        for (JsonNode n : array) {
            List<NodeRequests.Endpoint> endpoints = new ArrayList<>();
            for (JsonNode e : n.path("endpoints")) {
                endpoints.add(new NodeRequests.Endpoint(e.path("host").asString(), e.path("port").asInt()));
            }
            Map<String, Long> heights = new TreeMap<>();
            JsonNode channels = n.path("channelHeights");
            for (String channel : channels.propertyNames()) {
                heights.put(channel, channels.get(channel).asLong());
            }
            nodes.add(new Node(n.path("nodeId").asString(), n.path("mspId").asString(), n.path("role").asString(),
                    endpoints, heights, n.path("anchor").asBoolean(),
                    certificates(n.path("signingCertificate").asString()).getFirst(),
                    certificates(n.path("tlsCertificate").asString()).getFirst(), n.path("state").asString()));
        }
        return nodes;
    }

    private static long header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).map(Long::parseLong).orElse(-1L);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new MembershipException("INVALID_ANSWER", 200, "no certificate in the answer");
            }
            return out;
        } catch (CertificateException e) {
            throw new MembershipException("INVALID_ANSWER", 200, "a certificate does not parse: " + e.getMessage());
        }
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TLS 1.3 context that trusts only the consortium root: the membership service's server certificate chains to it. */
    public static SSLContext trustingOnly(X509Certificate root) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(KeyStores.trusting(List.of(root)));
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context", e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
