package io.charter.common.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.Role;
import io.charter.common.pki.Validity;
import io.charter.common.testing.MutableClock;
import io.charter.common.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IdentityValidatorCacheTest {

    private static final TestPki PKI = TestPki.create("Org1MSP", "Org2MSP");
    private static final TestPki.Organization ORG1 = PKI.organization("Org1MSP");
    private static final TestPki.Credential PEER1 = ORG1.enroll("peer0", Role.PEER);

    private final MutableClock clock = new MutableClock(Instant.now());
    private final MspRegistry registry = Msps.registry(PKI, "Org1MSP", "Org2MSP");
    private final IdentityValidator validator = new IdentityValidator(registry, CertificatePurpose.SIGNING, clock, 3);

    @Test
    void secondValidationOfTheSameCertificateIsServedFromTheCache() throws Exception {
        ValidationResult first = validator.validate("Org1MSP", PEER1.certificate(), Role.PEER);
        ValidationResult second = validator.validate("Org1MSP", PEER1.certificate().getEncoded(), Role.PEER);

        assertThat(second).isEqualTo(first);
        assertThat(validator.cacheStats().misses()).isEqualTo(1);
        assertThat(validator.cacheStats().hits()).isEqualTo(1);
        assertThat(validator.cacheStats().size()).isEqualTo(1);
    }

    @Test
    void theCarriedBytesOfACertificateShareTheCacheWithItsOtherForms() throws Exception {
        byte[] der = PEER1.certificate().getEncoded();
        ValidationResult first = validator.validate("Org1MSP", ByteString.copyFrom(der));
        ValidationResult second = validator.validate("Org1MSP", der);
        ValidationResult third = validator.validate("Org1MSP", PEER1.certificate());

        assertThat(first.isValid()).isTrue();
        assertThat(second).isEqualTo(first);
        assertThat(third).isEqualTo(first);
        assertThat(validator.cacheStats().misses()).isEqualTo(1);
        assertThat(validator.cacheStats().hits()).isEqualTo(2);
    }

    @Test
    void malformedCarriedBytesAreRejectedAndNotCached() {
        ValidationResult result = validator.validate("Org1MSP", ByteString.copyFromUtf8("not a certificate"));

        assertThat(((ValidationResult.Rejected) result).reason()).isEqualTo(RejectionReason.MALFORMED_CERTIFICATE);
        assertThat(validator.cacheStats().size()).isZero();
    }

    @Test
    void aCachedCertificateNotYetValidBecomesValidWhenTheClockReachesItsNotBefore() {
        Instant now = clock.instant();
        X509Certificate future = ORG1.enroll("future", Role.CLIENT,
                new Validity(now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)))).certificate();

        ValidationResult early = validator.validate("Org1MSP", future);
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        ValidationResult onTime = validator.validate("Org1MSP", future);

        assertThat(((ValidationResult.Rejected) early).reason()).isEqualTo(RejectionReason.NOT_YET_VALID);
        assertThat(onTime.isValid()).isTrue();
        assertThat(validator.cacheStats().hits()).as("the second answer came from the cache").isEqualTo(1);
    }

    @Test
    void roleIsCheckedOnEveryHit() {
        validator.validate("Org1MSP", PEER1.certificate(), Role.PEER);

        ValidationResult asAdmin = validator.validate("Org1MSP", PEER1.certificate(), Role.ADMIN);

        assertThat(((ValidationResult.Rejected) asAdmin).reason()).isEqualTo(RejectionReason.WRONG_ROLE);
        assertThat(validator.cacheStats().hits()).isEqualTo(1);
    }

    @Test
    void aCertificateThatDiffersFromACachedOneOnlyBeforeItsHashedTailIsJudgedOnItsOwn() throws Exception {
        byte[] der = PEER1.certificate().getEncoded();
        assertThat(validator.validate("Org1MSP", der).isValid()).isTrue();
        // CN=peer0 becomes CN=peer1: same length and same signature (the hashed tail), so the same hash
        byte[] tampered = der.clone();
        tampered[indexOf(der, "peer0".getBytes(StandardCharsets.US_ASCII)) + 4] = '1';

        ValidationResult result = validator.validate("Org1MSP", tampered);

        assertThat(((ValidationResult.Rejected) result).reason()).isEqualTo(RejectionReason.NOT_ISSUED_BY_ORGANIZATION);
        assertThat(validator.cacheStats().hits()).isZero();
        assertThat(validator.cacheStats().misses()).isEqualTo(2);
    }

    @Test
    void organizationsWhoseIdsHashAlikeKeepTheirOwnCacheEntries() {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        TestPki pki = TestPki.create("Aa", "BB");
        IdentityValidator colliding = new IdentityValidator(
                Msps.registry(pki, "Aa", "BB"), CertificatePurpose.SIGNING, clock, 10);
        X509Certificate member = pki.organization("Aa").enroll("user1", Role.CLIENT).certificate();

        assertThat(colliding.validate("Aa", member).isValid()).isTrue();
        assertThat(((ValidationResult.Rejected) colliding.validate("BB", member)).reason())
                .isEqualTo(RejectionReason.NOT_ISSUED_BY_ORGANIZATION);
        assertThat(colliding.validate("Aa", member).isValid()).isTrue();

        assertThat(colliding.cacheStats().size()).isEqualTo(2);
        assertThat(colliding.cacheStats().hits()).as("Aa's entry outlived BB's validation").isEqualTo(1);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void theSameCertificateClaimedForAnotherOrganizationIsNotACacheHit() {
        validator.validate("Org1MSP", PEER1.certificate());

        ValidationResult asOrg2 = validator.validate("Org2MSP", PEER1.certificate());

        assertThat(((ValidationResult.Rejected) asOrg2).reason()).isEqualTo(RejectionReason.NOT_ISSUED_BY_ORGANIZATION);
        assertThat(validator.cacheStats().hits()).isZero();
    }

    @Test
    void cachedCertificateBecomesExpiredWhenTheClockPassesItsNotAfter() {
        Instant now = clock.instant();
        X509Certificate shortLived = ORG1.enroll("temp", Role.CLIENT,
                new Validity(now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofHours(1)))).certificate();
        assertThat(validator.validate("Org1MSP", shortLived).isValid()).isTrue();
        assertThat(validator.validate("Org1MSP", shortLived).isValid()).isTrue();
        assertThat(validator.cacheStats().hits()).isEqualTo(1);

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        ValidationResult later = validator.validate("Org1MSP", shortLived);

        assertThat(((ValidationResult.Rejected) later).reason()).isEqualTo(RejectionReason.EXPIRED);
        assertThat(validator.cacheStats().size()).as("the expired entry is dropped, not kept").isZero();
    }

    @Test
    void afterNewCrlsTheCachedResultIsNotUsedAndTheCertificateIsRevoked() {
        assertThat(validator.validate("Org1MSP", PEER1.certificate()).isValid()).isTrue();
        assertThat(validator.validate("Org1MSP", PEER1.certificate()).isValid()).isTrue();
        long missesBefore = validator.cacheStats().misses();

        registry.updateCrls("Org1MSP",
                List.of(IdentityValidatorTest.crl(ORG1.signingCa(), PEER1.certificate().getSerialNumber())));
        ValidationResult after = validator.validate("Org1MSP", PEER1.certificate());

        assertThat(((ValidationResult.Rejected) after).reason()).isEqualTo(RejectionReason.REVOKED);
        assertThat(validator.cacheStats().misses()).isEqualTo(missesBefore + 1);
        // and the revocation itself is cached for the new version
        assertThat(((ValidationResult.Rejected) validator.validate("Org1MSP", PEER1.certificate())).reason())
                .isEqualTo(RejectionReason.REVOKED);
        assertThat(validator.cacheStats().misses()).isEqualTo(missesBefore + 1);
    }

    @Test
    void newCrlsOfAnotherOrganizationLeaveCachedResultsAlone() {
        validator.validate("Org1MSP", PEER1.certificate());

        registry.updateCrls("Org2MSP", List.of(IdentityValidatorTest.crl(PKI.organization("Org2MSP").signingCa(),
                PEER1.certificate().getSerialNumber())));
        validator.validate("Org1MSP", PEER1.certificate());

        assertThat(validator.cacheStats().hits()).isEqualTo(1);
    }

    @Test
    void cacheSizeBoundHolds() {
        List<X509Certificate> certificates = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            certificates.add(ORG1.enroll("user" + i, Role.CLIENT).certificate());
        }

        for (X509Certificate certificate : certificates) {
            assertThat(validator.validate("Org1MSP", certificate).isValid()).isTrue();
            assertThat(validator.cacheStats().size()).isLessThanOrEqualTo(3);
        }

        assertThat(validator.cacheStats().size()).isEqualTo(3);
        assertThat(validator.cacheStats().evictions()).isEqualTo(4);
        // least recently used went first: the last three are still there
        validator.validate("Org1MSP", certificates.get(6));
        assertThat(validator.cacheStats().hits()).isEqualTo(1);
    }

    @Test
    void zeroSizeDisablesTheCache() {
        IdentityValidator uncached = new IdentityValidator(registry, CertificatePurpose.SIGNING, clock, 0);

        uncached.validate("Org1MSP", PEER1.certificate());
        uncached.validate("Org1MSP", PEER1.certificate());

        assertThat(uncached.cacheStats().hits()).isZero();
        assertThat(uncached.cacheStats().misses()).isEqualTo(2);
        assertThat(uncached.cacheStats().size()).isZero();
        assertThat(uncached.cacheStats().evictions()).as("nothing was put, so nothing evicted").isZero();
        assertThat(uncached.cacheStats().capacity()).isZero();
    }

    @Test
    void clearCacheForgetsEveryVerdict() {
        validator.validate("Org1MSP", PEER1.certificate());
        validator.clearCache();

        assertThat(validator.cacheStats().size()).isZero();
        assertThat(validator.validate("Org1MSP", PEER1.certificate()).isValid()).isTrue();
        assertThat(validator.cacheStats().misses()).isEqualTo(2);
        assertThat(validator.cacheStats().hits()).isZero();
    }

    @Test
    void concurrentValidationsAgree() throws Exception {
        List<X509Certificate> certificates = List.of(PEER1.certificate(), ORG1.enroll("a", Role.CLIENT).certificate(),
                ORG1.enroll("b", Role.ADMIN).certificate(), ORG1.enroll("c", Role.ORDERER).certificate(),
                PKI.organization("Org2MSP").enroll("d", Role.PEER).certificate());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    int valid = 0;
                    for (int i = 0; i < 100; i++) {
                        if (validator.validate("Org1MSP", certificates.get(i % certificates.size())).isValid()) {
                            valid++;
                        }
                    }
                    return valid;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(80); // four of the five are Org1's
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(validator.cacheStats().size()).isLessThanOrEqualTo(3);
    }
}
