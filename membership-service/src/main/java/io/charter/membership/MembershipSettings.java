package io.charter.membership;

import io.charter.membership.ca.CaImport;
import io.charter.membership.enrollment.ThrottleLimits;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the membership core is configured with. Build with {@link #builder(String, String)};
 * defaults follow Fabric CA where it has one.
 *
 * @param consortiumMspId the MSP id of the consortium's own organization (its admins are consortium admins)
 * @param bootstrapAdminId the bootstrap admin's enrollment id (like {@code fabric-ca-server -b admin:adminpw})
 * @param bootstrapAdminSecret the bootstrap admin's enrollment secret: the only caller-chosen secret
 * @param bootstrapAdminMaxEnrollments how many times the bootstrap secret may enroll, per profile
 * @param keyPassphrase the passphrase CA private keys are encrypted under (PBKDF2-HMAC-SHA256, AES-256-GCM)
 * @param keyDerivationIterations PBKDF2 iterations for newly stored keys (stored keys keep their own)
 * @param rootImport import the root CA instead of creating it, on first start only
 * @param memberLifetime lifetime of signing certificates of members and nodes
 * @param tlsLifetime lifetime of TLS certificates
 * @param issuingCaLifetime lifetime of organizations' issuing CAs
 * @param rootLifetime lifetime of a created root CA
 * @param reenrollGracePeriod how long after expiry a certificate may still re-enroll
 * @param crlNextUpdate a CRL's next-update distance; CRLs are regenerated when half of it has passed
 * @param enrollmentThrottle how many failed enrollments a source address may make, in all and per enrollment id
 * @param heartbeatInterval how often nodes should heartbeat (returned in every index answer)
 * @param revocationPropagationBound the promised bound on revocation propagation; must exceed the heartbeat interval
 * @param downAfter a node whose last heartbeat is older is DOWN
 * @param evictAfter a node whose last heartbeat is older is evicted
 * @param leaseTtl how long a leader lease lasts unless renewed
 * @param expiryWarning report node certificates expiring within this
 * @param maxClockSkew how far a signed index request's timestamp may be from this service's clock
 */
public record MembershipSettings(
        String consortiumMspId,
        String bootstrapAdminId,
        String bootstrapAdminSecret,
        int bootstrapAdminMaxEnrollments,
        String keyPassphrase,
        int keyDerivationIterations,
        Optional<CaImport> rootImport,
        Duration memberLifetime,
        Duration tlsLifetime,
        Duration issuingCaLifetime,
        Duration rootLifetime,
        Duration reenrollGracePeriod,
        Duration crlNextUpdate,
        ThrottleLimits enrollmentThrottle,
        Duration heartbeatInterval,
        Duration revocationPropagationBound,
        Duration downAfter,
        Duration evictAfter,
        Duration leaseTtl,
        Duration expiryWarning,
        Duration maxClockSkew) {

    public static final String DEFAULT_CONSORTIUM_MSP_ID = "ConsortiumMSP";
    public static final int DEFAULT_KEY_DERIVATION_ITERATIONS = 600_000;

    public MembershipSettings {
        requireText(consortiumMspId, "consortiumMspId");
        requireText(bootstrapAdminId, "bootstrapAdminId");
        requireText(bootstrapAdminSecret, "bootstrapAdminSecret");
        requireText(keyPassphrase, "keyPassphrase");
        Objects.requireNonNull(rootImport, "rootImport");
        if (bootstrapAdminMaxEnrollments < 1) {
            throw new IllegalArgumentException("bootstrapAdminMaxEnrollments must be at least 1");
        }
        if (keyDerivationIterations < 1) {
            throw new IllegalArgumentException("keyDerivationIterations must be positive");
        }
        Objects.requireNonNull(enrollmentThrottle, "enrollmentThrottle");
        for (Duration d : new Duration[] {memberLifetime, tlsLifetime, issuingCaLifetime, rootLifetime, crlNextUpdate,
                heartbeatInterval, revocationPropagationBound, downAfter, evictAfter,
                leaseTtl, expiryWarning, maxClockSkew}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("every duration setting must be positive");
            }
        }
        if (reenrollGracePeriod == null || reenrollGracePeriod.isNegative()) {
            throw new IllegalArgumentException("reenrollGracePeriod must not be negative");
        }
        if (heartbeatInterval.compareTo(revocationPropagationBound) >= 0) {
            throw new IllegalArgumentException("heartbeatInterval " + heartbeatInterval
                    + " must be shorter than revocationPropagationBound " + revocationPropagationBound);
        }
        if (downAfter.compareTo(heartbeatInterval) <= 0 || evictAfter.compareTo(downAfter) <= 0) {
            throw new IllegalArgumentException("need heartbeatInterval < downAfter < evictAfter");
        }
    }

    /** Settings with every default; only the CA key passphrase and the bootstrap admin secret have none. */
    public static Builder builder(String keyPassphrase, String bootstrapAdminSecret) {
        return new Builder(keyPassphrase, bootstrapAdminSecret);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be set");
        }
    }

    /** A builder of {@link MembershipSettings} starting from the defaults. */
    public static final class Builder {
        private String consortiumMspId = DEFAULT_CONSORTIUM_MSP_ID;
        private String bootstrapAdminId = "admin";
        private String bootstrapAdminSecret;
        private int bootstrapAdminMaxEnrollments = 1;
        private String keyPassphrase;
        private int keyDerivationIterations = DEFAULT_KEY_DERIVATION_ITERATIONS;
        private CaImport rootImport;
        private Duration memberLifetime = Duration.ofDays(365);
        private Duration tlsLifetime = Duration.ofDays(365);
        private Duration issuingCaLifetime = Duration.ofDays(5 * 365);
        private Duration rootLifetime = Duration.ofDays(15 * 365);
        private Duration reenrollGracePeriod = Duration.ofDays(30);
        private Duration crlNextUpdate = Duration.ofHours(24);
        private ThrottleLimits enrollmentThrottle = ThrottleLimits.defaults();
        private Duration heartbeatInterval = Duration.ofSeconds(10);
        private Duration revocationPropagationBound = Duration.ofSeconds(30);
        private Duration downAfter = Duration.ofSeconds(30);
        private Duration evictAfter = Duration.ofMinutes(10);
        private Duration leaseTtl = Duration.ofSeconds(10);
        private Duration expiryWarning = Duration.ofDays(30);
        private Duration maxClockSkew = Duration.ofMinutes(5);

        private Builder(String keyPassphrase, String bootstrapAdminSecret) {
            this.keyPassphrase = keyPassphrase;
            this.bootstrapAdminSecret = bootstrapAdminSecret;
        }

        public Builder consortiumMspId(String v) { consortiumMspId = v; return this; }
        public Builder bootstrapAdminId(String v) { bootstrapAdminId = v; return this; }
        public Builder bootstrapAdminMaxEnrollments(int v) { bootstrapAdminMaxEnrollments = v; return this; }
        public Builder keyDerivationIterations(int v) { keyDerivationIterations = v; return this; }
        public Builder rootImport(CaImport v) { rootImport = v; return this; }
        public Builder memberLifetime(Duration v) { memberLifetime = v; return this; }
        public Builder tlsLifetime(Duration v) { tlsLifetime = v; return this; }
        public Builder issuingCaLifetime(Duration v) { issuingCaLifetime = v; return this; }
        public Builder rootLifetime(Duration v) { rootLifetime = v; return this; }
        public Builder reenrollGracePeriod(Duration v) { reenrollGracePeriod = v; return this; }
        public Builder crlNextUpdate(Duration v) { crlNextUpdate = v; return this; }
        public Builder enrollmentThrottle(ThrottleLimits v) { enrollmentThrottle = v; return this; }
        public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }
        public Builder revocationPropagationBound(Duration v) { revocationPropagationBound = v; return this; }
        public Builder downAfter(Duration v) { downAfter = v; return this; }
        public Builder evictAfter(Duration v) { evictAfter = v; return this; }
        public Builder leaseTtl(Duration v) { leaseTtl = v; return this; }
        public Builder expiryWarning(Duration v) { expiryWarning = v; return this; }
        public Builder maxClockSkew(Duration v) { maxClockSkew = v; return this; }

        public MembershipSettings build() {
            return new MembershipSettings(consortiumMspId, bootstrapAdminId, bootstrapAdminSecret,
                    bootstrapAdminMaxEnrollments, keyPassphrase, keyDerivationIterations, Optional.ofNullable(rootImport),
                    memberLifetime, tlsLifetime, issuingCaLifetime, rootLifetime, reenrollGracePeriod, crlNextUpdate,
                    enrollmentThrottle, heartbeatInterval, revocationPropagationBound,
                    downAfter, evictAfter, leaseTtl, expiryWarning, maxClockSkew);
        }
    }

    @Override
    public String toString() {
        return "MembershipSettings[consortiumMspId=" + consortiumMspId + ", bootstrapAdminId=" + bootstrapAdminId
                + ", secrets redacted]";
    }
}
