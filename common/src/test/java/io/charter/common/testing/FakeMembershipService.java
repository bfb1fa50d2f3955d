package io.charter.common.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.charter.common.membership.MembershipClient;
import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.CertificateTemplate;
import io.charter.common.pki.Pem;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for the membership service's REST API (docs/membership-service.md) over HTTPS on loopback, for the
 * tests of its clients (a node's bootstrap, the SDK, the CLI): it answers what they ask from a {@link TestPki} and
 * records what they sent. The service's real answers are pinned by the membership service's own tests.
 *
 * <ul>
 *   <li>{@code POST /api/v1/enroll}: HTTP Basic with an {@link #enrollee} (else 401 {@code AUTHENTICATION_FAILED});
 *       a certificate for the CSR's key from the enrollee's organization's signing or TLS CA, with the hosts asked
 *   <li>{@code POST /api/v1/nodes} (a registration, recorded) and {@code POST /api/v1/nodes/{id}/heartbeat}
 *       (counted), answered with the {@link #crlVersion}
 *   <li>{@code GET /api/v1/nodes}: the {@link #indexNodes}
 *   <li>{@code GET /api/v1/cas/{mspId}}: the organization's CA certificates; 404 {@code UNKNOWN_ORGANIZATION} for
 *       an organization the PKI does not have
 *   <li>{@code GET /api/v1/cas/{mspId}/{signing|tls}/crl}: an empty CRL of that CA, with the CRL version
 *   <li>{@code GET /api/v1/discovery/channels/{channel}/orderers|peers}: the channel's {@link #discovery} (peers
 *       by organization); 403 {@code ACCESS_DENIED} for another channel; 503 {@code UNAVAILABLE} while
 *       {@link #unavailable}
 * </ul>
 */
public final class FakeMembershipService implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(200);

    /** Who may enroll, with which secret, as what. */
    public record Enrollee(String enrollmentId, String secret, String mspId, Role role) {}

    private record Discovery(Supplier<List<MembershipClient.Node>> orderers, Supplier<List<MembershipClient.Node>> peers) {}

    private final TestPki pki;
    private final HttpsServer server;
    private final Map<String, Enrollee> enrollees = new ConcurrentHashMap<>();
    private final Map<String, Discovery> discovery = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> enrolledProfiles = new CopyOnWriteArrayList<>();
    private final List<byte[]> registrations = new CopyOnWriteArrayList<>();
    private final List<String> crlsServed = new CopyOnWriteArrayList<>();
    private final AtomicInteger heartbeats = new AtomicInteger();
    private final AtomicInteger discoveryCalls = new AtomicInteger();
    private volatile LongSupplier crlVersion = () -> 1;
    private volatile Supplier<List<MembershipClient.Node>> indexNodes = List::of;
    private volatile boolean unavailable;

    private FakeMembershipService(TestPki pki, HttpsServer server) {
        this.pki = pki;
        this.server = server;
    }

    /** Listens on 127.0.0.1 with a TLS certificate of {@code tlsOrganization}, under {@code pki}'s root. */
    public static FakeMembershipService start(TestPki pki, String tlsOrganization) {
        try {
            TestPki.Credential tls = pki.organization(tlsOrganization).enrollTls("membership", Role.CLIENT);
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.setHttpsConfigurator(new HttpsConfigurator(TestTls.context(Optional.of(tls), List.of())));
            FakeMembershipService fake = new FakeMembershipService(pki, server);
            server.createContext("/api/v1/", fake::handle);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lets {@code enrollmentId} enroll with {@code secret}, as {@code role} of {@code mspId}. */
    public FakeMembershipService enrollee(String enrollmentId, String secret, String mspId, Role role) {
        enrollees.put(enrollmentId, new Enrollee(enrollmentId, secret, mspId, role));
        return this;
    }

    /** The CRL version that index answers and CRLs carry (default 1). */
    public FakeMembershipService crlVersion(LongSupplier version) {
        crlVersion = version;
        return this;
    }

    /** What {@code GET /api/v1/nodes} lists. */
    public FakeMembershipService indexNodes(Supplier<List<MembershipClient.Node>> nodes) {
        indexNodes = nodes;
        return this;
    }

    /** What discovery answers for {@code channel}, asked again at every call. */
    public FakeMembershipService discovery(String channel, Supplier<List<MembershipClient.Node>> orderers,
            Supplier<List<MembershipClient.Node>> peers) {
        discovery.put(channel, new Discovery(orderers, peers));
        return this;
    }

    /** While true, discovery answers 503 UNAVAILABLE, as an index that is down. */
    public void unavailable(boolean down) {
        unavailable = down;
    }

    /** An index entry as discovery returns it: up, not an anchor, at {@code height} on {@code channel}. */
    public static MembershipClient.Node node(String nodeId, String mspId, String role, String host, int port,
            String channel, long height, X509Certificate signing, X509Certificate tls) {
        return new MembershipClient.Node(nodeId, mspId, role,
                List.of(new io.charter.common.membership.NodeRequests.Endpoint(host, port)), Map.of(channel, height), false,
                signing, tls, "UP");
    }

    public URI url() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every request as "METHOD path", in arrival order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The profiles ("signing", "tls") of the certificates issued, in order. */
    public List<String> enrolledProfiles() {
        return List.copyOf(enrolledProfiles);
    }

    /** The canonical request bytes of each registration (common's {@code NodeRequests.registration}). */
    public List<byte[]> registrations() {
        return List.copyOf(registrations);
    }

    /** The node id of each registration. */
    public List<String> registeredNodeIds() {
        return registrations.stream().map(FakeMembershipService::nodeIdOf).toList();
    }

    public int heartbeats() {
        return heartbeats.get();
    }

    /** The CRLs served, each as "mspId/profile". */
    public List<String> crlsServed() {
        return List.copyOf(crlsServed);
    }

    /** Discovery calls answered so far, refused ones included. */
    public int discoveryCalls() {
        return discoveryCalls.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        requests.add(method + " " + path);
        byte[] body = exchange.getRequestBody().readAllBytes();
        try {
            if (path.equals("/api/v1/enroll")) {
                enroll(exchange, body);
            } else if (path.equals("/api/v1/nodes") && method.equals("POST")) {
                byte[] request = Base64.getDecoder().decode(JSON.readTree(body).path("request").asString());
                registrations.add(request);
                json(exchange, 200, indexAnswer(nodeIdOf(request)));
            } else if (path.equals("/api/v1/nodes")) {
                json(exchange, 200, indexNodes.get().stream().map(FakeMembershipService::nodeJson).toList());
            } else if (path.startsWith("/api/v1/nodes/") && path.endsWith("/heartbeat")) {
                heartbeats.incrementAndGet();
                json(exchange, 200, indexAnswer(path.split("/")[4]));
            } else if (path.startsWith("/api/v1/cas/") && path.endsWith("/crl")) {
                crl(exchange, path.split("/"));
            } else if (path.startsWith("/api/v1/cas/")) {
                cas(exchange, path.substring("/api/v1/cas/".length()));
            } else if (path.startsWith("/api/v1/discovery/channels/")) {
                discover(exchange, path.split("/"));
            } else {
                error(exchange, 404, "NOT_FOUND", path);
            }
        } catch (Exception e) {
            error(exchange, 500, "INTERNAL_ERROR", String.valueOf(e));
        }
    }

    private void enroll(HttpExchange exchange, byte[] body) throws IOException {
        Optional<Enrollee> enrollee = authenticated(exchange.getRequestHeaders().getFirst("Authorization"));
        if (enrollee.isEmpty()) {
            error(exchange, 401, "AUTHENTICATION_FAILED", "wrong enrollment id or secret");
            return;
        }
        JsonNode request = JSON.readTree(body);
        String profile = request.path("profile").asString();
        PublicKey key = Pem.decodeCsr(request.path("csr").asString()).publicKey();
        List<String> hosts = new ArrayList<>();
        request.path("hosts").forEach(h -> hosts.add(h.asString()));
        TestPki.Organization org = pki.organization(enrollee.get().mspId());
        CertificateAuthority ca = "tls".equals(profile) ? org.tlsCa() : org.signingCa();
        Validity validity = new Validity(Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)));
        SubjectName subject = SubjectName.of(enrollee.get().enrollmentId(), enrollee.get().mspId(), enrollee.get().role());
        X509Certificate certificate = ca.issue("tls".equals(profile) ? CertificateTemplate.tls(subject, key, validity, hosts)
                : CertificateTemplate.signing(subject, key, validity));
        enrolledProfiles.add(profile);
        json(exchange, 200, Map.of("certificate", Pem.encodeCertificate(certificate),
                "chain", Pem.encodeCertificates(ca.chain()), "profile", profile,
                "serial", certificate.getSerialNumber().toString(16)));
    }

    private Optional<Enrollee> authenticated(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return Optional.empty();
        }
        String[] idAndSecret = new String(Base64.getDecoder().decode(authorization.substring("Basic ".length())),
                StandardCharsets.UTF_8).split(":", 2);
        Enrollee enrollee = enrollees.get(idAndSecret[0]);
        return enrollee != null && idAndSecret.length == 2 && enrollee.secret().equals(idAndSecret[1])
                ? Optional.of(enrollee) : Optional.empty();
    }

    private void crl(HttpExchange exchange, String[] parts) throws Exception {
        // /api/v1/cas/{mspId}/{profile}/crl
        TestPki.Organization org = pki.organization(parts[4]);
        CertificateAuthority ca = "tls".equals(parts[5]) ? org.tlsCa() : org.signingCa();
        byte[] der = ca.issueCrl(List.of(), BigInteger.ONE, Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600))
                .getEncoded();
        crlsServed.add(parts[4] + "/" + parts[5]);
        exchange.getResponseHeaders().add("Content-Type", "application/pkix-crl");
        exchange.getResponseHeaders().add("X-Charter-Crl-Version", String.valueOf(crlVersion.getAsLong()));
        exchange.getResponseHeaders().add("X-Charter-Crl-Number", "1");
        exchange.sendResponseHeaders(200, der.length);
        exchange.getResponseBody().write(der);
        exchange.close();
    }

    private void cas(HttpExchange exchange, String mspId) throws IOException {
        TestPki.Organization org;
        try {
            org = pki.organization(mspId);
        } catch (IllegalArgumentException e) {
            error(exchange, 404, "UNKNOWN_ORGANIZATION", "no organization " + mspId);
            return;
        }
        json(exchange, 200, Map.of("root", Pem.encodeCertificate(pki.root().certificate()),
                "signingCa", Pem.encodeCertificate(org.signingCa().certificate()),
                "tlsCa", Pem.encodeCertificate(org.tlsCa().certificate())));
    }

    private void discover(HttpExchange exchange, String[] parts) throws IOException {
        // /api/v1/discovery/channels/{channel}/{orderers|peers}
        discoveryCalls.incrementAndGet();
        if (unavailable) {
            error(exchange, 503, "UNAVAILABLE", "the index is down");
            return;
        }
        Discovery answers = parts.length == 7 ? discovery.get(parts[5]) : null;
        if (answers == null) {
            error(exchange, 403, "ACCESS_DENIED", "not a member of the channel");
        } else if (parts[6].equals("orderers")) {
            json(exchange, 200, answers.orderers().get().stream().map(FakeMembershipService::nodeJson).toList());
        } else {
            Map<String, List<Object>> byOrganization = new LinkedHashMap<>();
            answers.peers().get().forEach(node -> byOrganization.computeIfAbsent(node.mspId(), k -> new ArrayList<>())
                    .add(nodeJson(node)));
            json(exchange, 200, byOrganization);
        }
    }

    private Map<String, Object> indexAnswer(String nodeId) {
        return Map.of("nodeId", nodeId, "crlVersion", crlVersion.getAsLong(),
                "heartbeatIntervalMillis", HEARTBEAT_INTERVAL.toMillis(), "revocationPropagationBoundMillis", 1000);
    }

    /** The node id, the first string of a registration ("CNR1", then length-prefixed strings). */
    private static String nodeIdOf(byte[] registration) {
        ByteBuffer buffer = ByteBuffer.wrap(registration, 4, registration.length - 4);
        byte[] id = new byte[buffer.getShort() & 0xFFFF];
        buffer.get(id);
        return new String(id, StandardCharsets.UTF_8);
    }

    private static Map<String, Object> nodeJson(MembershipClient.Node node) {
        return Map.of("nodeId", node.nodeId(), "mspId", node.mspId(), "role", node.role(),
                "endpoints", node.endpoints().stream().map(e -> Map.of("host", e.host(), "port", e.port())).toList(),
                "channelHeights", node.channelHeights(), "anchor", node.anchor(),
                "signingCertificate", Pem.encodeCertificate(node.signingCertificate()),
                "tlsCertificate", Pem.encodeCertificate(node.tlsCertificate()), "state", node.state());
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        json(exchange, status, Map.of("code", code, "message", message, "status", status));
    }

    private static void json(HttpExchange exchange, int status, Object value) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(value);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
