package io.charter.client.wallet;

import io.charter.common.membership.MembershipClient;
import io.charter.common.membership.MembershipClient.Credential;
import io.charter.common.membership.MembershipException;
import io.charter.common.pki.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The administrative half of the membership service's REST API that common's
 * {@code MembershipClient} does not cover: organizations, registration, revocation and listing
 * identities (docs/membership-service.md). Every call is authenticated with a signed {@code Charter}
 * token of the caller's certificate; refusals are {@link MembershipException}s with the service's code.
 */
public final class MembershipAdmin implements AutoCloseable {

    /** A registered identity's one-time enrollment secret. */
    public record Registration(String id, String organization, String secret) {}

    /** What a revocation revoked, and the CRL version that carries it. */
    public record Revocation(String id, List<String> revokedSerials, long crlVersion) {}

    /** An identity as the service lists it. */
    public record RegisteredIdentity(String id, String organization, String type, boolean revoked,
            int signingEnrollments, int tlsEnrollments, int maxEnrollments, String registeredBy) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;

    public MembershipAdmin(URI base, X509Certificate consortiumRoot) {
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(MembershipClient.trustingOnly(consortiumRoot)).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Creates an organization and its issuing CAs (consortium admins only). */
    public void createOrganization(Credential caller, String mspId) {
        send(caller, "POST", "/api/v1/organizations", Map.of("mspId", mspId));
    }

    /** Whether the organization exists. */
    public boolean organizationExists(Credential caller, String mspId) {
        try {
            send(caller, "GET", "/api/v1/organizations/" + segment(mspId), null);
            return true;
        } catch (MembershipException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Registers {@code id} in {@code organization} with {@code type} (client, peer, orderer, admin), with no
     * approved hosts (what clients and admins have).
     *
     * @param maxEnrollments enrollments allowed per profile, or empty for the service's default (1)
     */
    public Registration register(Credential caller, String id, String type, String organization,
            Map<String, String> attributes, Optional<Integer> maxEnrollments) {
        return register(caller, id, type, organization, attributes, maxEnrollments, List.of());
    }

    /**
     * Registers {@code id} in {@code organization} with {@code type} (client, peer, orderer, admin).
     *
     * @param maxEnrollments enrollments allowed per profile, or empty for the service's default (1)
     * @param hosts for a peer or an orderer, the DNS names and IP addresses its TLS certificates may name
     *     (the service refuses hosts for clients and admins with {@code HOSTS_NOT_ALLOWED_FOR_ROLE})
     */
    public Registration register(Credential caller, String id, String type, String organization,
            Map<String, String> attributes, Optional<Integer> maxEnrollments, List<String> hosts) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("type", type);
        body.put("organization", organization);
        body.put("attributes", attributes);
        maxEnrollments.ifPresent(max -> body.put("maxEnrollments", max));
        if (!hosts.isEmpty()) {
            body.put("hosts", hosts);
        }
        JsonNode json = send(caller, "POST", "/api/v1/identities", body);
        return new Registration(json.path("id").asString(), json.path("organization").asString(),
                json.path("secret").asString());
    }

    /** Revokes an identity and all its certificates. */
    public Revocation revokeIdentity(Credential caller, String id, String reason) {
        return revocation(send(caller, "POST", "/api/v1/revoke", Map.of("id", id, "reason", reason)));
    }

    /** Revokes one certificate by its hexadecimal serial number. */
    public Revocation revokeCertificate(Credential caller, String serialHex, String reason) {
        return revocation(send(caller, "POST", "/api/v1/revoke", Map.of("serial", serialHex, "reason", reason)));
    }

    /** The identities registered in an organization (admins of it, or consortium admins). */
    public List<RegisteredIdentity> identities(Credential caller, String mspId) {
        List<RegisteredIdentity> identities = new ArrayList<>();
        for (JsonNode i : send(caller, "GET", "/api/v1/organizations/" + segment(mspId) + "/identities", null)) {
            identities.add(new RegisteredIdentity(i.path("id").asString(), i.path("organization").asString(),
                    i.path("type").asString(), i.path("revoked").asBoolean(), i.path("signingEnrollments").asInt(),
                    i.path("tlsEnrollments").asInt(), i.path("maxEnrollments").asInt(),
                    i.path("registeredBy").asString()));
        }
        return identities;
    }

    /** An organization's CA certificates (public). */
    public record CaCertificates(X509Certificate root, X509Certificate signingCa, X509Certificate tlsCa) {}

    /** The root and the organization's issuing CAs for signing and TLS certificates (public, no caller). */
    public CaCertificates caCertificates(String mspId) {
        JsonNode json = send(null, "GET", "/api/v1/cas/" + segment(mspId), null);
        return new CaCertificates(Pem.decodeCertificate(json.path("root").asString()),
                Pem.decodeCertificate(json.path("signingCa").asString()),
                Pem.decodeCertificate(json.path("tlsCa").asString()));
    }

    /** Acquires or renews the caller's (a peer's) leader lease for its organization on {@code channel}. */
    public void acquireLeadership(Credential peer, String channel) {
        send(peer, "POST", "/api/v1/channels/" + segment(channel) + "/leadership", Map.of());
    }

    /** The peer holding the leader lease of an organization on a channel, if any. */
    public Optional<String> leader(Credential caller, String channel, String mspId) {
        try {
            JsonNode json = send(caller, "GET", "/api/v1/discovery/channels/" + segment(channel) + "/organizations/"
                    + segment(mspId) + "/leader", null);
            return Optional.of(json.path("nodeId").asString());
        } catch (MembershipException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A node of the index: who it is, where, the heights it reported, UP or DOWN. */
    public record IndexedNode(String nodeId, String mspId, String role, String address, Map<String, Long> channelHeights,
            boolean anchor, String state, String lastHeartbeat) {}

    /** Every node the index knows, UP and DOWN. */
    public List<IndexedNode> nodes(Credential caller) {
        List<IndexedNode> nodes = new ArrayList<>();
        for (JsonNode n : send(caller, "GET", "/api/v1/nodes", null)) {
            JsonNode endpoint = n.path("endpoints").path(0);
            Map<String, Long> heights = new java.util.TreeMap<>();
            JsonNode channels = n.path("channelHeights");
            for (String channel : channels.propertyNames()) {
                heights.put(channel, channels.get(channel).asLong());
            }
            nodes.add(new IndexedNode(n.path("nodeId").asString(), n.path("mspId").asString(), n.path("role").asString(),
                    endpoint.isMissingNode() ? "" : endpoint.path("host").asString() + ":" + endpoint.path("port").asInt(),
                    heights, n.path("anchor").asBoolean(), n.path("state").asString(),
                    n.path("lastHeartbeat").asString("")));
        }
        return nodes;
    }

    /** An orderer of the index with the certificates a channel's consenter set names: its endpoints' hosts too. */
    public record IndexedOrderer(String nodeId, String mspId, List<String> hosts, X509Certificate signingCertificate,
            X509Certificate tlsCertificate) {}

    /** Every orderer the index knows (UP and DOWN), with its signing and TLS certificates. */
    public List<IndexedOrderer> orderers(Credential caller) {
        List<IndexedOrderer> orderers = new ArrayList<>();
        for (JsonNode n : send(caller, "GET", "/api/v1/nodes", null)) {
            if (!"orderer".equals(n.path("role").asString())) {
                continue;
            }
            List<String> hosts = new ArrayList<>();
            n.path("endpoints").forEach(e -> hosts.add(e.path("host").asString()));
            orderers.add(new IndexedOrderer(n.path("nodeId").asString(), n.path("mspId").asString(), hosts,
                    Pem.decodeCertificate(n.path("signingCertificate").asString()),
                    Pem.decodeCertificate(n.path("tlsCertificate").asString())));
        }
        return orderers;
    }

    private static Revocation revocation(JsonNode json) {
        List<String> serials = new ArrayList<>();
        json.path("revokedSerials").forEach(s -> serials.add(s.asString()));
        return new Revocation(json.path("id").asString(), serials, json.path("crlVersion").asLong());
    }

    private JsonNode send(Credential caller, String method, String path, Object body) {
        byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Accept", "application/json");
        if (caller != null) {
            MembershipClient.withSignedToken(request, caller, method, path, bytes, Clock.systemUTC());
        }
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new MembershipException("the membership service at " + base + " is unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MembershipException("interrupted", e);
        }
        JsonNode json;
        try {
            json = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw new MembershipException("HTTP_" + response.statusCode(), response.statusCode(),
                    new String(response.body(), StandardCharsets.UTF_8));
        }
        if (response.statusCode() / 100 != 2) {
            throw new MembershipException(json.path("code").asString("HTTP_" + response.statusCode()),
                    response.statusCode(), json.path("message").asString(""));
        }
        return json;
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        http.close();
    }
}
