package io.charter.membership.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything the membership service is configured with, under {@code charter.membership}. Every key
 * has a default that works on a developer machine against a local PostgreSQL; docs/membership-service.md
 * lists them. Secrets (the CA key passphrase, the bootstrap admin secret, the database password) default
 * to development values and must be overridden in any real deployment, through the environment.
 */
@ConfigurationProperties("charter.membership")
public record MembershipProperties(
        @DefaultValue("ConsortiumMSP") String consortiumMspId,
        @DefaultValue Database database,
        @DefaultValue Ca ca,
        @DefaultValue BootstrapAdmin bootstrapAdmin,
        @DefaultValue Enrollment enrollment,
        @DefaultValue Index index,
        @DefaultValue Http http,
        @DefaultValue Auth auth,
        @DefaultValue Crypto crypto) {

    /** The PostgreSQL database: one per consortium, shared by every replica of the service. */
    public record Database(
            @DefaultValue("jdbc:postgresql://localhost:5432/charter_membership") String url,
            @DefaultValue("charter") String username,
            @DefaultValue("charter") String password,
            @DefaultValue("10") int maximumPoolSize) {

        @Override
        public String toString() {
            return "Database[url=" + url + ", username=" + username + ", password=<redacted>]";
        }
    }

    /**
     * The certificate authority.
     *
     * @param keyPassphrase encrypts CA private keys at rest; set it through {@code CHARTER_CA_PASSPHRASE}
     * @param keyDerivationIterations PBKDF2 iterations for newly stored CA keys
     * @param rootImport import an existing root CA on first start instead of creating one
     */
    public record Ca(
            @DefaultValue("charter-dev-passphrase") String keyPassphrase,
            @DefaultValue("600000") int keyDerivationIterations,
            @DefaultValue RootImport rootImport,
            @DefaultValue Lifetimes lifetimes,
            @DefaultValue("30d") Duration reenrollGrace,
            @DefaultValue("24h") Duration crlNextUpdate) {

        @Override
        public String toString() {
            return "Ca[keyPassphrase=<redacted>, lifetimes=" + lifetimes + "]";
        }
    }

    /**
     * Import of the consortium root on first start: either {@code pemCertificate} with
     * {@code pemPrivateKey}, or {@code pkcs12File} with its password (and alias if it holds several keys).
     */
    public record RootImport(
            Path pemCertificate, Path pemPrivateKey, Path pkcs12File, String pkcs12Password, String pkcs12Alias) {

        @Override
        public String toString() {
            return "RootImport[pemCertificate=" + pemCertificate + ", pkcs12File=" + pkcs12File + "]";
        }
    }

    /** Certificate lifetimes; the defaults are Fabric CA's. */
    public record Lifetimes(
            @DefaultValue("365d") Duration member,
            @DefaultValue("365d") Duration tls,
            @DefaultValue("1825d") Duration issuingCa,
            @DefaultValue("5475d") Duration root) {}

    /** The identity created on first start that may enroll and then create organizations. */
    public record BootstrapAdmin(
            @DefaultValue("admin") String id,
            @DefaultValue("adminpw") String secret,
            @DefaultValue("1") int maxEnrollments) {

        @Override
        public String toString() {
            return "BootstrapAdmin[id=" + id + ", secret=<redacted>, maxEnrollments=" + maxEnrollments + "]";
        }
    }

    /**
     * Throttling of failed enrollments (unknown id or wrong secret) by source address, the same whether the
     * id exists or not (see {@code ThrottleLimits}): token buckets per source address and per source address
     * and enrollment id, which refill by themselves, so no identity is ever locked.
     *
     * @param failuresPerSource failures one source address may make in a burst
     * @param sourceRefill it regains one attempt per this period
     * @param failuresPerSourceAndId failures one source address may make for one enrollment id in a burst
     * @param sourceAndIdRefill it regains one attempt per this period
     * @param maxTrackedSources source addresses remembered (least recently seen forgotten first)
     * @param maxTrackedSourceIds (source address, enrollment id) pairs remembered
     */
    public record Enrollment(
            @DefaultValue("20") int failuresPerSource,
            @DefaultValue("3s") Duration sourceRefill,
            @DefaultValue("5") int failuresPerSourceAndId,
            @DefaultValue("1m") Duration sourceAndIdRefill,
            @DefaultValue("10000") int maxTrackedSources,
            @DefaultValue("10000") int maxTrackedSourceIds) {}

    /** The index server (node registry, discovery, leader leases). */
    public record Index(
            @DefaultValue("10s") Duration heartbeatInterval,
            @DefaultValue("30s") Duration revocationPropagationBound,
            @DefaultValue("30s") Duration downAfter,
            @DefaultValue("10m") Duration evictAfter,
            @DefaultValue("10s") Duration leaseTtl,
            @DefaultValue("30d") Duration expiryWarning,
            @DefaultValue("5m") Duration maxClockSkew) {}

    /**
     * The HTTPS listener.
     *
     * @param port the HTTPS port (0 picks a free one); 7054 like Fabric CA
     * @param maxRequestBody larger request bodies are refused with 413 PAYLOAD_TOO_LARGE
     * @param tls where the server certificate comes from
     */
    public record Http(
            @DefaultValue("7054") int port,
            @DefaultValue("64KB") DataSize maxRequestBody,
            @DefaultValue Tls tls) {}

    /**
     * The server certificate. With {@code source=generate} (the default) every instance generates a key
     * pair at startup and has the consortium organization's TLS CA issue it a certificate for
     * {@code hosts}; the key never leaves memory. With {@code source=files} it serves the PEM
     * {@code certificate} (chain, leaf first) and {@code privateKey} given.
     */
    public record Tls(
            @DefaultValue("generate") TlsSource source,
            @DefaultValue({"localhost", "127.0.0.1"}) List<String> hosts,
            @DefaultValue("membership") String commonName,
            Path certificate,
            Path privateKey) {}

    public enum TlsSource { GENERATE, FILES }

    /**
     * Cryptographic providers.
     *
     * @param nativeProvider put the Amazon Corretto Crypto Provider (native) first when it works here
     */
    public record Crypto(@DefaultValue("true") boolean nativeProvider) {}

    /**
     * Request authentication.
     *
     * @param tokenMaxSkew how far a signed token's {@code X-Charter-Timestamp} may be from this service's
     *     clock; outside it the token is refused (stops replays of captured tokens)
     */
    public record Auth(@DefaultValue("5m") Duration tokenMaxSkew) {}
}
