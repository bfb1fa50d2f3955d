package io.charter.common.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.CertificateAttributes;
import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.CertificateTemplate;
import io.charter.common.pki.RevokedCertificate;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import io.charter.common.testing.MutableClock;
import io.charter.common.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class IdentityValidatorTest {

    private static final TestPki PKI = TestPki.create("Org1MSP", "Org2MSP");
    private static final TestPki.Organization ORG1 = PKI.organization("Org1MSP");
    private static final TestPki.Organization ORG2 = PKI.organization("Org2MSP");
    private static final TestPki.Credential PEER1 = ORG1.enroll("peer0", Role.PEER);

    private final MutableClock clock = new MutableClock(Instant.now());
    private final MspRegistry registry = Msps.registry(PKI, "Org1MSP", "Org2MSP");
    private final IdentityValidator validator =
            new IdentityValidator(registry, CertificatePurpose.SIGNING, clock, 100);

    @Test
    void validCertificateYieldsTheIdentityWithItsAttributes() {
        KeyPair keys = EcKeys.generate();
        X509Certificate certificate = ORG1.signingCa().issue(CertificateTemplate
                .signing(SubjectName.of("alice", "Org1MSP", Role.CLIENT), keys.getPublic(), lastingAYear())
                .withAttributes(Map.of("department", "trading")));

        ValidationResult result = validator.validate("Org1MSP", certificate, Role.CLIENT);

        assertThat(result).isInstanceOf(ValidationResult.Valid.class);
        assertThat(result.identity()).contains(
                new ValidatedIdentity("Org1MSP", Role.CLIENT, "alice", certificate, Map.of("department", "trading")));
    }

    @Test
    void memberMeansAnyRole() {
        for (Role role : Role.values()) {
            X509Certificate certificate = ORG1.enroll("someone-" + role.label(), role).certificate();
            assertThat(validator.validate("Org1MSP", certificate).identity().orElseThrow().role()).isEqualTo(role);
        }
    }

    @Test
    void derBytesAreAcceptedAsWellAsParsedCertificates() throws Exception {
        ValidationResult result = validator.validate("Org1MSP", PEER1.certificate().getEncoded(), Role.PEER);

        assertThat(result.identity().orElseThrow().certificate()).isEqualTo(PEER1.certificate());
    }

    @Test
    void certificateOfAnotherOrganizationUnderTheSameRootIsRefused() {
        X509Certificate org2Peer = ORG2.enroll("peer0", Role.PEER).certificate();

        assertRejected(validator.validate("Org1MSP", org2Peer), RejectionReason.NOT_ISSUED_BY_ORGANIZATION, "Org1MSP");
        assertThat(validator.validate("Org2MSP", org2Peer).isValid()).isTrue();
    }

    @Test
    void subjectNamingAnotherOrganizationIsRefusedEvenFromTheRightCa() {
        // Org1's CA (mis)issues a certificate that says O=Org2MSP
        X509Certificate claimsOrg2 = ORG1.signingCa().issue(CertificateTemplate.signing(
                SubjectName.of("mallory", "Org2MSP", Role.ADMIN), EcKeys.generate().getPublic(), lastingAYear()));

        assertRejected(validator.validate("Org1MSP", claimsOrg2), RejectionReason.NOT_ISSUED_BY_ORGANIZATION, "organization [Org2MSP]");
        assertRejected(validator.validate("Org2MSP", claimsOrg2), RejectionReason.NOT_ISSUED_BY_ORGANIZATION, "not issued by");
    }

    @Test
    void certificateIssuedStraightByTheSharedRootIsNotAnOrganizationsIdentity() {
        X509Certificate fromRoot = PKI.root().issue(CertificateTemplate.signing(
                SubjectName.of("peer9", "Org1MSP", Role.PEER), EcKeys.generate().getPublic(), lastingAYear()));

        assertRejected(validator.validate("Org1MSP", fromRoot), RejectionReason.NOT_ISSUED_BY_ORGANIZATION, "intermediate");
    }

    @Test
    void organizationWithItsOwnRootAndNoIntermediatesAcceptsCertificatesFromThatRoot() {
        CertificateAuthority ownRoot = CertificateAuthority.createRoot(
                SubjectName.ca("ca.org3", "Org3MSP"), EcKeys.generate(), lastingAYear());
        registry.put(MspDefinition.of("Org3MSP", List.of(ownRoot.certificate()), List.of()));
        X509Certificate member = ownRoot.issue(CertificateTemplate.signing(
                SubjectName.of("user1", "Org3MSP", Role.CLIENT), EcKeys.generate().getPublic(), lastingAYear()));

        assertThat(validator.validate("Org3MSP", member).isValid()).isTrue();
        assertRejected(validator.validate("Org3MSP", PEER1.certificate()), RejectionReason.NOT_ISSUED_BY_ORGANIZATION, "root CAs");
    }

    @Test
    void forgedIssuerWithTheRightNameButAnotherKeyIsRefused() {
        CertificateAuthority impostor = CertificateAuthority.createRoot(
                SubjectName.ca("ca.Org1MSP", "Org1MSP"), EcKeys.generate(), lastingAYear());
        X509Certificate forged = impostor.issue(CertificateTemplate.signing(
                SubjectName.of("peer0", "Org1MSP", Role.PEER), EcKeys.generate().getPublic(), lastingAYear()));

        assertRejected(validator.validate("Org1MSP", forged), RejectionReason.NOT_ISSUED_BY_ORGANIZATION, "ca.Org1MSP");
    }

    @Test
    void expiredCertificateIsRefused() {
        Instant now = clock.instant();
        X509Certificate expired = ORG1.enroll("old", Role.CLIENT,
                new Validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)))).certificate();

        assertRejected(validator.validate("Org1MSP", expired), RejectionReason.EXPIRED, "re-enroll");
    }

    @Test
    void notYetValidCertificateIsRefused() {
        Instant now = clock.instant();
        X509Certificate future = ORG1.enroll("early", Role.CLIENT,
                new Validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)))).certificate();

        assertRejected(validator.validate("Org1MSP", future), RejectionReason.NOT_YET_VALID, "valid only from");
        clock.advance(Duration.ofDays(2));
        assertThat(validator.validate("Org1MSP", future).isValid()).isTrue();
    }

    @Test
    void certificateUnderAnExpiredIssuingCaIsRefused() throws Exception {
        Instant now = clock.instant();
        CertificateAuthority shortLivedCa = PKI.root().createIntermediate(SubjectName.ca("ca2.Org1MSP", "Org1MSP"),
                EcKeys.generate(), new Validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1))));
        registry.put(MspDefinition.of("Org1MSP", List.of(PKI.root().certificate()),
                List.of(ORG1.signingCa().certificate(), shortLivedCa.certificate())));
        // a leaf that outlives its CA (CertificateAuthority would clamp it; another CA might not)
        X509Certificate outlivesCa = issueRaw(shortLivedCa, SubjectName.of("peer5", "Org1MSP", Role.PEER),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), null);
        assertThat(validator.validate("Org1MSP", outlivesCa).isValid()).isTrue();

        clock.advance(Duration.ofDays(2));

        assertRejected(validator.validate("Org1MSP", outlivesCa), RejectionReason.EXPIRED, "its CA CN=ca2.Org1MSP");
    }

    @Test
    void revokedCertificateIsRefused() {
        TestPki.Credential revoked = ORG1.enroll("fired", Role.CLIENT);
        registry.updateCrls("Org1MSP", List.of(crl(ORG1.signingCa(), revoked.certificate().getSerialNumber())));

        assertRejected(validator.validate("Org1MSP", revoked.certificate()), RejectionReason.REVOKED, "enroll again");
        assertThat(validator.validate("Org1MSP", PEER1.certificate()).isValid()).isTrue();
    }

    @Test
    void certificateUnderARevokedIssuingCaIsRefused() {
        BigInteger caSerial = ORG1.signingCa().certificate().getSerialNumber();
        registry.updateCrls("Org1MSP", List.of(crl(PKI.root(), caSerial)));

        assertRejected(validator.validate("Org1MSP", PEER1.certificate()), RejectionReason.REVOKED, "issuing CA");
    }

    @Test
    void crlsThatNoCaOfTheOrganizationSignedAreNotAccepted() {
        CertificateAuthority impostor = CertificateAuthority.createRoot(
                SubjectName.ca("ca.Org1MSP", "Org1MSP"), EcKeys.generate(), lastingAYear());
        X509CRL forged = crl(impostor, BigInteger.TEN);
        X509CRL fromOrg2 = crl(ORG2.signingCa(), BigInteger.TEN);

        assertThatThrownBy(() -> registry.updateCrls("Org1MSP", List.of(forged)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be trusted");
        assertThatThrownBy(() -> registry.updateCrls("Org1MSP", List.of(fromOrg2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.updateCrls("Org9MSP", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Org9MSP");
    }

    @Test
    void wrongRoleIsRefused() {
        assertRejected(validator.validate("Org1MSP", PEER1.certificate(), Role.ADMIN), RejectionReason.WRONG_ROLE,
                "is a peer, but a admin is required");
    }

    @Test
    void certificateWithoutRoleIsRefused() {
        X509Certificate noRole = ORG1.signingCa().issue(CertificateTemplate.signing(
                SubjectName.ca("nobody", "Org1MSP"), EcKeys.generate().getPublic(), lastingAYear()));

        assertRejected(validator.validate("Org1MSP", noRole), RejectionReason.MISSING_ROLE, "OU");
    }

    @Test
    void malformedAttributeExtensionIsRefused() throws Exception {
        Instant now = clock.instant();
        X509Certificate odd = issueRaw(ORG1.signingCa(), SubjectName.of("odd", "Org1MSP", Role.CLIENT),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)),
                builder -> builder.addExtension(CertificateAttributes.EXTENSION_OID, false, new ASN1Integer(5)));

        assertRejected(validator.validate("Org1MSP", odd), RejectionReason.BAD_ATTRIBUTES, "attribute extension");
    }

    /** A certificate built by hand, bypassing CertificateAuthority's rules. */
    private static X509Certificate issueRaw(CertificateAuthority ca, SubjectName subject, Instant from, Instant to,
                                            ExtensionAdder extensions) throws Exception {
        var builder = new JcaX509v3CertificateBuilder(ca.certificate(), BigInteger.valueOf(System.nanoTime()),
                Date.from(from), Date.from(to), subject.toX500Name(), EcKeys.generate().getPublic());
        if (extensions != null) {
            extensions.addTo(builder);
        }
        byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.privateKey())).getEncoded();
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private interface ExtensionAdder {
        void addTo(JcaX509v3CertificateBuilder builder) throws Exception;
    }

    @Test
    void unknownOrganizationIsRefused() {
        assertRejected(validator.validate("Org9MSP", PEER1.certificate()), RejectionReason.UNKNOWN_ORGANIZATION, "Org9MSP");
        assertRejected(validator.validate(null, PEER1.certificate()), RejectionReason.UNKNOWN_ORGANIZATION, "");
    }

    @Test
    void malformedDerIsRefused() throws Exception {
        byte[] truncated = java.util.Arrays.copyOf(PEER1.certificate().getEncoded(), 100);

        assertRejected(validator.validate("Org1MSP", truncated), RejectionReason.MALFORMED_CERTIFICATE, "DER");
        assertRejected(validator.validate("Org1MSP", new byte[0]), RejectionReason.MALFORMED_CERTIFICATE, "");
        assertRejected(validator.validate("Org1MSP", (byte[]) null), RejectionReason.MALFORMED_CERTIFICATE, "");
    }

    @Test
    void caCertificateIsNotAnIdentity() {
        assertRejected(validator.validate("Org1MSP", ORG1.signingCa().certificate()),
                RejectionReason.UNSUITABLE_CERTIFICATE, "CA certificate");
    }

    @Test
    void tlsCertificatesAreValidatedAgainstTheTlsCas() {
        X509Certificate tls = ORG1.enrollTls("peer0", Role.PEER).certificate();
        IdentityValidator tlsValidator = new IdentityValidator(registry, CertificatePurpose.TLS, clock, 10);

        assertThat(tlsValidator.validate("Org1MSP", tls, Role.PEER).isValid()).isTrue();
        assertRejected(validator.validate("Org1MSP", tls), RejectionReason.NOT_ISSUED_BY_ORGANIZATION, "tlsca");
        assertRejected(tlsValidator.validate("Org1MSP", PEER1.certificate()), RejectionReason.NOT_ISSUED_BY_ORGANIZATION, "TLS");
    }

    @Test
    void theIssuesFourCasesAreRefusedForFourDistinctReasons() {
        Instant now = clock.instant();
        TestPki.Credential revoked = ORG1.enroll("revoked", Role.CLIENT);
        registry.updateCrls("Org1MSP", List.of(crl(ORG1.signingCa(), revoked.certificate().getSerialNumber())));

        Set<RejectionReason> reasons = EnumSet.noneOf(RejectionReason.class);
        reasons.add(reason(validator.validate("Org1MSP", ORG2.enroll("peer0", Role.PEER).certificate())));
        reasons.add(reason(validator.validate("Org1MSP", ORG1.enroll("old", Role.PEER,
                new Validity(now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)))).certificate())));
        reasons.add(reason(validator.validate("Org1MSP", revoked.certificate())));
        reasons.add(reason(validator.validate("Org1MSP", PEER1.certificate(), Role.ORDERER)));

        assertThat(reasons).containsExactlyInAnyOrder(RejectionReason.NOT_ISSUED_BY_ORGANIZATION,
                RejectionReason.EXPIRED, RejectionReason.REVOKED, RejectionReason.WRONG_ROLE);
    }

    static X509CRL crl(CertificateAuthority ca, BigInteger serial) {
        Instant now = Instant.now();
        return ca.issueCrl(List.of(new RevokedCertificate(serial, now, 1)), BigInteger.valueOf(now.toEpochMilli()),
                now, now.plus(Duration.ofDays(7)));
    }

    private Validity lastingAYear() {
        return Validity.starting(clock.instant().minus(Duration.ofHours(1)), Duration.ofDays(365));
    }

    private static RejectionReason reason(ValidationResult result) {
        return ((ValidationResult.Rejected) result).reason();
    }

    private static void assertRejected(ValidationResult result, RejectionReason reason, String messagePart) {
        assertThat(result).isInstanceOfSatisfying(ValidationResult.Rejected.class, rejected -> {
            assertThat(rejected.reason()).as(rejected.message()).isEqualTo(reason);
            assertThat(rejected.message()).contains(messagePart);
        });
    }
}
