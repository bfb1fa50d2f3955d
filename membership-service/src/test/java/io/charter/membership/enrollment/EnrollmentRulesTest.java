package io.charter.membership.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.CertificateTemplate;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import io.charter.common.testing.TestPki;
import io.charter.membership.ErrorCode;
import io.charter.membership.Fixtures;
import io.charter.membership.MembershipException;
import io.charter.membership.MembershipSettings;
import io.charter.membership.enrollment.EnrollmentRules.Holder;
import io.charter.membership.enrollment.EnrollmentRules.Issued;
import io.charter.membership.enrollment.EnrollmentRules.Registered;
import io.charter.membership.identity.Secrets;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Enrollment's decisions without a database: each refusal with the code a client acts on, and for an
 * accepted request the one certificate that may be signed. A refusal here leaves the service nothing to
 * sign or write: {@link EnrollmentService} signs only the template these rules return (and its container
 * tests, BadInputTest and EnrollmentAuthenticationTest, check that a refused request writes no row).
 */
class EnrollmentRulesTest {

    private static final Instant NOW = Instant.parse("2030-01-15T12:00:00Z");
    private static final MembershipSettings SETTINGS = MembershipSettings.builder("passphrase", "bootstrap secret")
            .memberLifetime(Duration.ofDays(10)).tlsLifetime(Duration.ofDays(3)).reenrollGracePeriod(Duration.ofDays(30))
            .build();
    private static final String SECRET = Secrets.generate();
    private static final byte[] SALT = Secrets.salt();
    private static final Map<String, String> ATTRIBUTES = Map.of("department", "payments");
    private static final Holder ALICE = new Holder("alice", "Org1MSP", Role.CLIENT, ATTRIBUTES, Set.of());
    private static final Holder PEER = new Holder("peer0", "Org1MSP", Role.PEER, Map.of(),
            Set.of("peer0.org1.example.com", "10.0.0.5"));
    private static final KeyPair KEYS = EcKeys.generate();

    // the shape of a request, checked before anything is read

    @Test
    void aMissingRequestIsInvalid() {
        refused(ErrorCode.INVALID_REQUEST, () -> EnrollmentRules.checkShape(null));
    }

    @Test
    void hostsAreForTlsRequestsOnlyAndMustBeHosts() {
        refused(ErrorCode.INVALID_REQUEST, () -> EnrollmentRules.checkShape(
                new EnrollmentRequest(csr("CN=alice"), CertificatePurpose.SIGNING, List.of("peer0.org1.example.com"))));
        refused(ErrorCode.INVALID_REQUEST, () -> EnrollmentRules.checkShape(
                EnrollmentRequest.tls(csr("CN=alice"), List.of("not a host!"))));
        assertThatCode(() -> EnrollmentRules.checkShape(EnrollmentRequest.signing(csr("CN=alice")))).doesNotThrowAnyException();
        assertThatCode(() -> EnrollmentRules.checkShape(EnrollmentRequest.tls(csr("CN=alice"), List.of("peer0.org1.example.com"))))
                .doesNotThrowAnyException();
    }

    // the secret

    @Test
    void aMissingOrEmptyIdOrSecretFailsLikeAWrongSecret() {
        String wrongSecret = EnrollmentRules.authenticationFailed().getMessage();
        for (String[] credentials : new String[][] {{null, SECRET}, {"alice", null}, {"", SECRET}, {"alice", ""}}) {
            MembershipException e = refused(ErrorCode.AUTHENTICATION_FAILED,
                    () -> EnrollmentRules.requireCredentials(credentials[0], credentials[1]));
            assertThat(e.getMessage()).isEqualTo(wrongSecret);
        }
        assertThatCode(() -> EnrollmentRules.requireCredentials("alice", SECRET)).doesNotThrowAnyException();
    }

    @Test
    void onlyTheRegisteredSecretOpensAnIdentityAndNoSecretOpensAnUnknownId() {
        Optional<Registered> alice = Optional.of(registered(1, 0, 0, false));

        assertThat(EnrollmentRules.secretMatches(alice, SECRET)).isTrue();
        assertThat(EnrollmentRules.secretMatches(alice, SECRET + "x")).isFalse();
        assertThat(EnrollmentRules.secretMatches(alice, null)).isFalse();
        assertThat(EnrollmentRules.secretMatches(Optional.empty(), SECRET)).isFalse();
    }

    @Test
    void aRevokedIdentitysSecretStillMatchesSoThatOnlyItsHolderLearnsOfTheRevocation() {
        assertThat(EnrollmentRules.secretMatches(Optional.of(registered(1, 0, 0, true)), SECRET)).isTrue();
        assertThat(EnrollmentRules.secretMatches(Optional.of(registered(1, 0, 0, true)), "guess")).isFalse();
    }

    // enrollment with the secret

    @Test
    void aRevokedIdentityGetsNoCertificateWhateverItAsksFor() {
        MembershipException e = refused(ErrorCode.IDENTITY_REVOKED,
                () -> EnrollmentRules.enrollment(registered(5, 0, 0, true), EnrollmentRequest.signing(csr("CN=alice")), NOW, SETTINGS));
        assertThat(e.getMessage()).contains("alice");
        // revocation is told before anything about the request
        refused(ErrorCode.IDENTITY_REVOKED, () -> EnrollmentRules.enrollment(registered(1, 1, 1, true),
                EnrollmentRequest.signing("not a CSR".getBytes()), NOW, SETTINGS));
    }

    @Test
    void theSecretEnrollsEachProfileAsOftenAsItsMaximumAndNoMore() {
        EnrollmentRequest signing = EnrollmentRequest.signing(csr("CN=alice"));
        EnrollmentRequest tls = EnrollmentRequest.tls(csr("CN=alice"), List.of());

        assertThat(EnrollmentRules.enrollment(registered(2, 1, 2, false), signing, NOW, SETTINGS).purpose())
                .isEqualTo(CertificatePurpose.SIGNING);
        assertThat(EnrollmentRules.enrollment(registered(2, 2, 1, false), tls, NOW, SETTINGS).purpose())
                .isEqualTo(CertificatePurpose.TLS);
        MembershipException signingUsedUp = refused(ErrorCode.ENROLLMENT_LIMIT_REACHED,
                () -> EnrollmentRules.enrollment(registered(2, 2, 0, false), signing, NOW, SETTINGS));
        assertThat(signingUsedUp.getMessage()).contains("all 2 signing enrollment(s)");
        MembershipException tlsUsedUp = refused(ErrorCode.ENROLLMENT_LIMIT_REACHED,
                () -> EnrollmentRules.enrollment(registered(2, 0, 2, false), tls, NOW, SETTINGS));
        assertThat(tlsUsedUp.getMessage()).contains("all 2 tls enrollment(s)");
        // the limit is told before anything about the request
        refused(ErrorCode.ENROLLMENT_LIMIT_REACHED, () -> EnrollmentRules.enrollment(registered(1, 1, 0, false),
                EnrollmentRequest.signing("not a CSR".getBytes()), NOW, SETTINGS));
    }

    @Test
    void aSigningCertificateSaysTheRecordedIdentityForTheMemberLifetimeStartingFiveMinutesAgo() {
        CertificateTemplate template = EnrollmentRules.enrollment(registered(1, 0, 0, false),
                EnrollmentRequest.signing(csr("CN=alice")), NOW, SETTINGS);

        assertThat(template).isEqualTo(CertificateTemplate.signing(SubjectName.of("alice", "Org1MSP", Role.CLIENT),
                KEYS.getPublic(), new Validity(NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofDays(10))))
                .withAttributes(ATTRIBUTES));
    }

    @Test
    void aNodesTlsCertificateNamesTheApprovedHostsItAsksForForTheTlsLifetime() {
        Registered peer = new Registered(PEER, 1, 0, 0, SALT, Secrets.hash(SALT, SECRET), false);
        Validity tlsValidity = new Validity(NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofDays(3)));

        CertificateTemplate all = EnrollmentRules.enrollment(peer, EnrollmentRequest.tls(csr("CN=peer0"), List.of()), NOW, SETTINGS);
        CertificateTemplate one = EnrollmentRules.enrollment(peer,
                EnrollmentRequest.tls(csr("CN=peer0"), List.of("Peer0.Org1.Example.COM")), NOW, SETTINGS);

        assertThat(all.subjectAlternativeNames()).containsExactlyInAnyOrder("peer0.org1.example.com", "10.0.0.5");
        assertThat(all.tlsServer()).isTrue();
        assertThat(all.validity()).isEqualTo(tlsValidity);
        assertThat(one).isEqualTo(CertificateTemplate.tls(SubjectName.of("peer0", "Org1MSP", Role.PEER), KEYS.getPublic(),
                tlsValidity, List.of("peer0.org1.example.com")));
    }

    @Test
    void aClientsTlsCertificateNamesNoHostAndAskingForOneIsRefused() {
        CertificateTemplate template = EnrollmentRules.enrollment(registered(1, 0, 0, false),
                EnrollmentRequest.tls(csr("CN=alice"), List.of()), NOW, SETTINGS);
        assertThat(template.tlsServer()).isFalse();
        assertThat(template.subjectAlternativeNames()).isEmpty();
        assertThat(template.attributes()).isEqualTo(ATTRIBUTES);

        refused(ErrorCode.HOSTS_NOT_ALLOWED_FOR_ROLE, () -> EnrollmentRules.enrollment(registered(1, 0, 0, false),
                EnrollmentRequest.tls(csr("CN=alice"), List.of("alice.example.com")), NOW, SETTINGS));
    }

    @Test
    void aNodeAskingForAHostItsRegistrarDidNotApproveIsRefused() {
        Registered peer = new Registered(PEER, 1, 0, 0, SALT, Secrets.hash(SALT, SECRET), false);
        refused(ErrorCode.HOST_NOT_APPROVED, () -> EnrollmentRules.enrollment(peer,
                EnrollmentRequest.tls(csr("CN=peer0"), List.of("peer0.org1.example.com", "orderer0.example.com")), NOW, SETTINGS));
    }

    @Test
    void anUnacceptableCsrIsRefusedWithItsOwnCode() {
        Registered alice = registered(1, 0, 0, false);
        refused(ErrorCode.CSR_MALFORMED, () -> EnrollmentRules.enrollment(alice,
                EnrollmentRequest.signing("not a CSR".getBytes()), NOW, SETTINGS));
        refused(ErrorCode.CSR_MISMATCH, () -> EnrollmentRules.enrollment(alice,
                EnrollmentRequest.signing(csr("CN=bob")), NOW, SETTINGS));
    }

    @Test
    void theCsrSubjectMustNameTheEnrollmentIdAndMayRepeatItsOrganizationAndRole() {
        for (String subject : List.of("CN=alice", "CN=alice,O=Org1MSP", "CN=alice,OU=client", "CN=alice,OU=client,O=Org1MSP")) {
            assertThatCode(() -> checkSubject(subject)).as(subject).doesNotThrowAnyException();
        }
        assertThat(mismatch("O=Org1MSP")).contains("it has no CN; set CN=alice");
        assertThat(mismatch("CN=bob")).contains("its CN is 'bob' but the enrollment id is 'alice'");
        assertThat(mismatch("CN=alice,O=Org2MSP")).contains("its O is 'Org2MSP' but the identity belongs to Org1MSP");
        assertThat(mismatch("CN=alice,OU=admin")).contains("its OU is 'admin' but the identity is registered as client");
        assertThat(mismatch("CN=alice,CN=alice")).contains("more than one CN");
        assertThat(mismatch("CN=alice+UID=alice")).contains("more than one CN");
        assertThat(mismatch("CN=alice,O=Org1MSP,O=Org1MSP")).contains("more than one O");
        assertThat(mismatch("CN=alice,OU=client,OU=client")).contains("more than one OU");
    }

    // re-enrollment with a current certificate

    @Test
    void reenrollmentNeedsACertificateAndComparesItsExactBytes() throws Exception {
        X509Certificate certificate = TestPki.create("Org1MSP").organization("Org1MSP").enroll("alice", Role.CLIENT).certificate();
        refused(ErrorCode.INVALID_REQUEST, () -> EnrollmentRules.presentedBytes(null));
        assertThat(EnrollmentRules.presentedBytes(certificate)).isEqualTo(certificate.getEncoded());
    }

    @Test
    void onlyACertificateWithTheSameBytesAsOneIssuedHereIsKnown() {
        byte[] der = {1, 2, 3};
        Issued issued = issued(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)), false, false, der);

        assertThat(EnrollmentRules.issuedHere(Optional.of(issued), new byte[] {1, 2, 3})).isSameAs(issued);
        refused(ErrorCode.CERTIFICATE_UNKNOWN, () -> EnrollmentRules.issuedHere(Optional.of(issued), new byte[] {1, 2, 4}));
        refused(ErrorCode.CERTIFICATE_UNKNOWN, () -> EnrollmentRules.issuedHere(Optional.empty(), der));
    }

    @Test
    void aRevokedIdentityCannotReenrollAndIsToldSoBeforeItsCertificatesRevocation() {
        MembershipException e = refused(ErrorCode.IDENTITY_REVOKED, () -> reenroll(issued(false, true), NOW));
        assertThat(e.getMessage()).contains("alice");
        refused(ErrorCode.IDENTITY_REVOKED, () -> reenroll(issued(true, true), NOW));
    }

    @Test
    void aRevokedCertificateCannotReenroll() {
        MembershipException e = refused(ErrorCode.CERTIFICATE_REVOKED, () -> reenroll(issued(true, false), NOW));
        assertThat(e.getMessage()).startsWith("certificate 1f2e ");
    }

    @Test
    void aCertificateReenrollsFromItsStartUntilTheGracePeriodAfterItsEnd() {
        Instant notBefore = NOW.minus(Duration.ofDays(20));
        Instant notAfter = NOW.minus(Duration.ofDays(10));
        Instant lastChance = notAfter.plus(Duration.ofDays(30));
        Issued expired = issued(notBefore, notAfter, false, false, new byte[0]);

        assertThat(reenroll(expired, notBefore).validity().notBefore()).isEqualTo(notBefore.minus(Duration.ofMinutes(5)));
        assertThat(reenroll(expired, lastChance).validity().notAfter()).isEqualTo(lastChance.plus(Duration.ofDays(10)));
        MembershipException early = refused(ErrorCode.CERTIFICATE_EXPIRED, () -> reenroll(expired, notBefore.minusSeconds(1)));
        MembershipException late = refused(ErrorCode.CERTIFICATE_EXPIRED, () -> reenroll(expired, lastChance.plusSeconds(1)));
        assertThat(late.getMessage()).isEqualTo(early.getMessage())
                .contains("expired at " + notAfter, "grace period of " + Duration.ofDays(30));
    }

    @Test
    void aReenrolledCertificateSaysTheRecordedIdentityNotThePresentedOne() {
        CertificateTemplate template = reenroll(issued(false, false), NOW);
        assertThat(template).isEqualTo(CertificateTemplate.signing(SubjectName.of("alice", "Org1MSP", Role.CLIENT),
                KEYS.getPublic(), new Validity(NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofDays(10))))
                .withAttributes(ATTRIBUTES));
        refused(ErrorCode.CSR_MISMATCH, () -> EnrollmentRules.reenrollment(issued(false, false), BigInteger.TEN,
                EnrollmentRequest.signing(csr("CN=mallory")), NOW, SETTINGS));
        refused(ErrorCode.HOSTS_NOT_ALLOWED_FOR_ROLE, () -> EnrollmentRules.reenrollment(issued(false, false), BigInteger.TEN,
                EnrollmentRequest.tls(csr("CN=alice"), List.of("alice.example.com")), NOW, SETTINGS));
    }

    // the log

    @Test
    void anIdIsLoggedCutShortAndWithoutControlCharactersSoThatNoLineCanBeForged() {
        String longest = "a".repeat(128);
        assertThat(EnrollmentRules.quote(longest)).isEqualTo(longest);
        assertThat(EnrollmentRules.quote(longest + "b")).isEqualTo(longest + "...");
        assertThat(EnrollmentRules.quote("alice\nINFO enrolled admin\r\u0000")).isEqualTo("alice?INFO enrolled admin??");
    }

    private static Registered registered(int max, int signing, int tls, boolean revoked) {
        return new Registered(ALICE, max, signing, tls, SALT, Secrets.hash(SALT, SECRET), revoked);
    }

    private static Issued issued(boolean revoked, boolean identityRevoked) {
        return issued(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)), revoked, identityRevoked, new byte[0]);
    }

    private static Issued issued(Instant notBefore, Instant notAfter, boolean revoked, boolean identityRevoked, byte[] der) {
        return new Issued(ALICE, der, notBefore, notAfter, revoked, identityRevoked);
    }

    private static CertificateTemplate reenroll(Issued current, Instant now) {
        return EnrollmentRules.reenrollment(current, BigInteger.valueOf(0x1f2e), EnrollmentRequest.signing(csr("CN=alice")),
                now, SETTINGS);
    }

    private static void checkSubject(String subject) {
        EnrollmentRules.checkSubject(new org.bouncycastle.asn1.x500.X500Name(subject), "alice", "Org1MSP", Role.CLIENT);
    }

    private static String mismatch(String subject) {
        return refused(ErrorCode.CSR_MISMATCH, () -> checkSubject(subject)).getMessage();
    }

    private static byte[] csr(String subject) {
        return Fixtures.csr(KEYS, subject);
    }

    private static MembershipException refused(ErrorCode code, ThrowingCallable call) {
        MembershipException e = catchThrowableOfType(MembershipException.class, call);
        assertThat(e).as("refused with " + code).isNotNull();
        assertThat(e.code()).isEqualTo(code);
        return e;
    }
}
