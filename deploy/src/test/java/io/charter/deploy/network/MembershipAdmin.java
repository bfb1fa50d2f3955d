package io.charter.deploy.network;

import io.charter.common.crypto.EcKeys;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.membership.MembershipClient;
import io.charter.common.pki.CertificationRequests;
import io.charter.common.pki.Pem;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an operator does at the membership service's REST API (docs/membership-service.md) from outside the
 * network, as the consortium admin that bootstrap.sh enrolled: create organizations, register and enroll
 * users, revoke, list the index and the CAs. Admin
 * calls carry the signed token ({@code Authorization: Charter <cert>.<signature>}).
 */
final class MembershipAdmin {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An enrolled member: its signing and TLS keys and chains (leaf, issuing CA, root). */
    record Member(String id, String mspId, KeyPair signingKeys, List<X509Certificate> signingChain, KeyPair tlsKeys,
            List<X509Certificate> tlsChain) {
        X509Certificate signingCertificate() {
            return signingChain.getFirst();
        }

        TlsIdentity tls() {
            return new TlsIdentity(tlsKeys.getPrivate(), tlsChain);
        }
    }

    /** A TLS key and its chain (leaf first): what an admin presents to a node's admin API. */
    record TlsIdentity(java.security.PrivateKey key, List<X509Certificate> chain) {
        static TlsIdentity fromPem(java.nio.file.Path key, java.nio.file.Path chain) throws IOException {
            return new TlsIdentity(Pem.decodePrivateKey(java.nio.file.Files.readString(key)),
                    Pem.decodeCertificates(java.nio.file.Files.readString(chain)));
        }
    }

    /** An organization's CA certificates as the service publishes them. */
    record Cas(String mspId, X509Certificate root, X509Certificate signingCa, X509Certificate tlsCa) {}

    private volatile URI base;
    private final X509Certificate root;
    private final HttpClient http;
    private volatile MembershipClient client;
    private Member admin;

    MembershipAdmin(URI base, X509Certificate root) {
        this.base = base;
        this.root = root;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trusting(root))
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.client = new MembershipClient(base, root);
    }

    /** Points this admin at another address of the service (a restarted container's new port). */
    void rebase(URI newBase) {
        this.base = newBase;
        this.client = new MembershipClient(newBase, root);
    }

    X509Certificate root() {
        return root;
    }

    /**
     * Acts as the consortium admin whose signing key and certificate (PEM, as bootstrap.sh writes them) are
     * given.
     */
    MembershipAdmin actingAs(java.nio.file.Path key, java.nio.file.Path certificate) throws IOException {
        List<X509Certificate> chain = Pem.decodeCertificates(java.nio.file.Files.readString(certificate));
        KeyPair keys = new KeyPair(chain.getFirst().getPublicKey(), Pem.decodePrivateKey(java.nio.file.Files.readString(key)));
        this.admin = new Member(chain.getFirst().getSubjectX500Principal().getName(), "ConsortiumMSP", keys, chain, keys, chain);
        return this;
    }

    /** Enrolls {@code id} with its one-time secret: a signing and a TLS certificate, fresh keys. */
    Member enroll(String id, String secret, String mspId, Role role, List<String> tlsHosts) {
        KeyPair signingKeys = EcKeys.generate();
        MembershipClient.Enrollment signing = client.enroll(id, secret,
                CertificationRequests.create(SubjectName.of(id, mspId, role), signingKeys, List.of()).encoded(), "signing", List.of());
        KeyPair tlsKeys = EcKeys.generate();
        MembershipClient.Enrollment tls = client.enroll(id, secret,
                CertificationRequests.create(SubjectName.of(id, mspId, role), tlsKeys, tlsHosts).encoded(), "tls", tlsHosts);
        return new Member(id, mspId, signingKeys, chain(signing), tlsKeys, chain(tls));
    }

    /**
     * Registers and enrolls a member in one go (users and admins of the tests): its TLS certificate is a
     * client's, naming no host (the service refuses hosts for clients and admins).
     */
    Member registerAndEnroll(String id, String type, String mspId) {
        Role role = Role.valueOf(type.toUpperCase(java.util.Locale.ROOT));
        return enroll(id, register(id, type, mspId), mspId, role, List.of());
    }

    /** Registers an identity; answers its one-time enrollment secret. */
    String register(String id, String type, String mspId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("type", type);
        body.put("organization", mspId);
        return call("POST", "/api/v1/identities", body, 201).path("secret").asString();
    }

    /** Revokes the identity and every certificate it holds; answers the new CRL version. */
    long revoke(String id) {
        return call("POST", "/api/v1/revoke", Map.of("id", id, "reason", "key_compromise"), 200).path("crlVersion").asLong();
    }

    /** The index: every registered node with its state. */
    JsonNode nodes() {
        return call("GET", "/api/v1/nodes", null, 200);
    }

    /** The peer holding the index's leader lease of {@code mspId} on {@code channel}, if an UP peer holds it. */
    java.util.Optional<String> leader(String channel, String mspId) {
        JsonNode answer = call("GET", "/api/v1/discovery/channels/" + channel + "/organizations/" + mspId + "/leader", null,
                200, 404);
        return answer.hasNonNull("nodeId") ? java.util.Optional.of(answer.path("nodeId").asString()) : java.util.Optional.empty();
    }

    Cas cas(String mspId) {
        JsonNode json = call("GET", "/api/v1/cas/" + mspId, null, 200);
        return new Cas(mspId, Pem.decodeCertificate(json.path("root").asString()),
                Pem.decodeCertificate(json.path("signingCa").asString()), Pem.decodeCertificate(json.path("tlsCa").asString()));
    }

    private JsonNode call(String method, String path, Object body, int... expected) {
        byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        String timestamp = Long.toString(System.currentTimeMillis());
        byte[] signed = (method + "\n" + path + "\n" + Base64.getEncoder().encodeToString(sha256(bytes)) + "\n" + timestamp)
                .getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("X-Charter-Timestamp", timestamp)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (admin != null) {
            try {
                Base64.Encoder base64 = Base64.getEncoder();
                request.header("Authorization", "Charter " + base64.encodeToString(admin.signingCertificate().getEncoded()) + "."
                        + base64.encodeToString(EcdsaSigner.of(admin.signingKeys()).sign(signed)));
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (java.util.Arrays.stream(expected).noneMatch(status -> status == answer.statusCode())) {
                throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode() + ": " + answer.body());
            }
            return answer.body().isEmpty() || answer.statusCode() / 100 != 2 ? JSON.createObjectNode()
                    : JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<X509Certificate> chain(MembershipClient.Enrollment enrollment) {
        List<X509Certificate> chain = new java.util.ArrayList<>();
        chain.add(enrollment.certificate());
        chain.addAll(enrollment.chain());
        return List.copyOf(chain);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext trusting(X509Certificate root) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("consortium-root", root);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
