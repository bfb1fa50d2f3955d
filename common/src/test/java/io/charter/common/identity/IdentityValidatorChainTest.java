package io.charter.common.identity;

import static io.charter.common.identity.RawCertificates.CA_KEY_USAGE;
import static io.charter.common.identity.RawCertificates.NO_KEY_USAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.identity.RawCertificates.Issuer;
import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.RevokedCertificate;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.testing.MutableClock;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

/**
 * The validator's checks of the certificates themselves and of the chain's shape, on certificates built
 * for each case: every issuer a CA allowed to sign certificates within its path length, identities that
 * may sign, no critical extension that Charter does not understand, no revoked CA, a bounded chain.
 */
class IdentityValidatorChainTest {

    private static final String MSP = "Org1MSP";
    private static final SubjectName ALICE = SubjectName.of("alice", MSP, Role.CLIENT);

    private final Issuer root = RawCertificates.root("root." + MSP, MSP);
    private final MutableClock clock = new MutableClock(Instant.now());
    private final MspRegistry registry = new MspRegistry();
    private final IdentityValidator validator = new IdentityValidator(registry, CertificatePurpose.SIGNING, clock, 100);

    // ---- the issuer must be a CA allowed to sign certificates ----

    @Test
    void leafUsedAsAnIssuerIsRefusedEvenWhenTheOrganizationListsIt() {
        Issuer ca = RawCertificates.ca(root, "ca." + MSP, MSP, 0, CA_KEY_USAGE);
        Issuer leafAsIssuer = RawCertificates.endEntityIssuer(ca, "bob", MSP);
        define(List.of(root), List.of(leafAsIssuer, ca));

        assertRejected(validate(RawCertificates.identity(leafAsIssuer, ALICE)),
                RejectionReason.NOT_ISSUED_BY_ORGANIZATION, "its issuer CN=bob", "is not a CA (basic constraints)");
        // the same organization's real CA is accepted as issuer
        assertValid(validate(RawCertificates.identity(ca, ALICE)));
    }

    @Test
    void selfSignedEndEntityListedAsARootIsNotAnIssuer() {
        Issuer selfSigned = RawCertificates.endEntityIssuer(null, "selfsigned", MSP);
        define(List.of(selfSigned), List.of());

        assertRejected(validate(RawCertificates.identity(selfSigned, ALICE)),
                RejectionReason.NOT_ISSUED_BY_ORGANIZATION, "its issuer CN=selfsigned", "is not a CA (basic constraints)");
    }

    @Test
    void caWithPathLengthZeroAboveAnotherCaIsRefused() {
        Issuer policyCa = RawCertificates.ca(root, "policy." + MSP, MSP, 0, CA_KEY_USAGE);
        Issuer issuingCa = RawCertificates.ca(policyCa, "ca." + MSP, MSP, 0, CA_KEY_USAGE);
        define(List.of(root), List.of(issuingCa, policyCa));

        assertRejected(validate(RawCertificates.identity(issuingCa, ALICE)), RejectionReason.NOT_ISSUED_BY_ORGANIZATION,
                "its issuer CN=policy." + MSP, "may not have CAs below it (path length 0)");
    }

    @Test
    void pathLengthIsTheNumberOfCasItMayHaveBelowIt() {
        // root (no limit) -> policy CA (path length 1) -> issuing CA (path length 0) -> identity: just allowed
        Issuer policyCa = RawCertificates.ca(root, "policy." + MSP, MSP, 1, CA_KEY_USAGE);
        Issuer issuingCa = RawCertificates.ca(policyCa, "ca." + MSP, MSP, 0, CA_KEY_USAGE);
        define(List.of(root), List.of(issuingCa, policyCa));

        ValidationResult result = validate(RawCertificates.identity(issuingCa, ALICE));

        assertValid(result);
        // one more CA below the policy CA is one too many
        Issuer deeper = RawCertificates.ca(issuingCa, "sub." + MSP, MSP, 0, CA_KEY_USAGE);
        define(List.of(root), List.of(deeper, issuingCa, policyCa));
        assertRejected(validate(RawCertificates.identity(deeper, ALICE)), RejectionReason.NOT_ISSUED_BY_ORGANIZATION,
                "its issuer CN=ca." + MSP, "path length 0");
    }

    @Test
    void rootWithPathLengthZeroMayNotHaveAnIntermediateBelowIt() {
        Issuer narrowRoot = RawCertificates.ca(null, "root2." + MSP, MSP, 0, CA_KEY_USAGE);
        Issuer ca = RawCertificates.ca(narrowRoot, "ca." + MSP, MSP, 0, CA_KEY_USAGE);
        define(List.of(narrowRoot), List.of(ca));

        assertRejected(validate(RawCertificates.identity(ca, ALICE)), RejectionReason.NOT_ISSUED_BY_ORGANIZATION,
                "its issuer CN=root2." + MSP, "path length 0");
    }

    @Test
    void caWithoutKeyCertSignIsRefused() {
        Issuer ca = RawCertificates.ca(root, "ca." + MSP, MSP, 0, KeyUsage.cRLSign | KeyUsage.digitalSignature);
        define(List.of(root), List.of(ca));

        assertRejected(validate(RawCertificates.identity(ca, ALICE)), RejectionReason.NOT_ISSUED_BY_ORGANIZATION,
                "its issuer CN=ca." + MSP, "may not sign certificates (key usage lacks keyCertSign)");
    }

    @Test
    void caWithoutAnyKeyUsageExtensionMaySignCertificates() {
        // RFC 5280 makes key usage optional; without it no usage is restricted
        Issuer ca = RawCertificates.ca(root, "ca." + MSP, MSP, 0, NO_KEY_USAGE);
        define(List.of(root), List.of(ca));

        assertValid(validate(RawCertificates.identity(ca, ALICE)));
    }

    // ---- the identity certificate itself ----

    @Test
    void identityCertificateWithoutDigitalSignatureIsRefused() {
        Issuer ca = organizationCa();

        assertRejected(validate(RawCertificates.identity(ca, ALICE, KeyUsage.keyEncipherment, b -> {})),
                RejectionReason.UNSUITABLE_CERTIFICATE, "CN=alice", "does not allow digital signatures (key usage)");
        assertRejected(validate(RawCertificates.identity(ca, ALICE, KeyUsage.nonRepudiation | KeyUsage.keyAgreement, b -> {})),
                RejectionReason.UNSUITABLE_CERTIFICATE, "does not allow digital signatures");
    }

    @Test
    void identityCertificateWithDigitalSignatureAmongOtherUsagesOrWithoutKeyUsageIsAccepted() {
        Issuer ca = organizationCa();

        assertValid(validate(RawCertificates.identity(ca, ALICE,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment, b -> {})));
        assertValid(validate(RawCertificates.identity(ca, ALICE, NO_KEY_USAGE, b -> {})));
    }

    @Test
    void unknownCriticalExtensionIsRefused() {
        Issuer ca = organizationCa();
        ASN1ObjectIdentifier unknown = new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1");

        X509Certificate certificate = RawCertificates.identity(ca, ALICE, KeyUsage.digitalSignature,
                b -> b.addExtension(unknown, true, new DEROctetString(new byte[] {1})));

        assertRejected(validate(certificate), RejectionReason.UNSUITABLE_CERTIFICATE,
                "CN=alice", "has a critical extension 1.3.6.1.4.1.99999.1 that Charter does not understand");
    }

    @Test
    void unknownNonCriticalExtensionAndEveryUnderstoodCriticalOneAreAccepted() {
        Issuer ca = organizationCa();
        ASN1ObjectIdentifier unknown = new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1");

        X509Certificate certificate = RawCertificates.identity(ca, ALICE, KeyUsage.digitalSignature, b -> {
            b.addExtension(unknown, false, new DEROctetString(new byte[] {1}));
            b.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            b.addExtension(Extension.subjectAlternativeName, true,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, "alice.example")));
        });

        assertThat(certificate.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId(),
                Extension.keyUsage.getId(), Extension.extendedKeyUsage.getId(), Extension.subjectAlternativeName.getId());
        assertValid(validate(certificate));
    }

    @Test
    void subjectWithoutExactlyOneCommonNameIsMalformed() {
        Issuer ca = organizationCa();

        assertRejected(validate(RawCertificates.identity(ca, new X500Name("OU=client, O=" + MSP))),
                RejectionReason.MALFORMED_CERTIFICATE, "needs exactly one CN (the enrollment id)");
        assertRejected(validate(RawCertificates.identity(ca, new X500Name("CN=a, CN=b, OU=client, O=" + MSP))),
                RejectionReason.MALFORMED_CERTIFICATE, "needs exactly one CN");
        assertRejected(validate(RawCertificates.identity(ca, new X500Name("CN=a, OU=client, O=" + MSP + ", O=Org2MSP"))),
                RejectionReason.NOT_ISSUED_BY_ORGANIZATION, "its subject names organization [");
    }

    @Test
    void noCertificateInAnyFormIsMalformed() {
        organizationCa();

        assertRejected(validator.validate(MSP, (com.google.protobuf.ByteString) null), RejectionReason.MALFORMED_CERTIFICATE,
                "no certificate");
        assertRejected(validator.validate(MSP, (X509Certificate) null, Role.CLIENT), RejectionReason.MALFORMED_CERTIFICATE,
                "no certificate");
        assertRejected(validator.validate(MSP, (X509Certificate) null), RejectionReason.MALFORMED_CERTIFICATE,
                "not a usable X.509 certificate (no certificate)");
    }

    // ---- revocation along the chain ----

    @Test
    void revokedIntermediateBelowAnotherIntermediateIsRefused() {
        Issuer policyCa = RawCertificates.ca(root, "policy." + MSP, MSP, 1, CA_KEY_USAGE);
        Issuer issuingCa = RawCertificates.ca(policyCa, "ca." + MSP, MSP, 0, CA_KEY_USAGE);
        define(List.of(root), List.of(issuingCa, policyCa));
        X509Certificate identity = RawCertificates.identity(issuingCa, ALICE);
        assertValid(validate(identity));

        revoke(policyCa, issuingCa.certificate());

        assertRejected(validate(identity), RejectionReason.REVOKED, "its issuing CA CN=ca." + MSP,
                "(serial " + issuingCa.certificate().getSerialNumber().toString(16) + ")",
                "every certificate it issued must be re-issued");
    }

    @Test
    void revokedPolicyCaTwoLevelsUpIsRefused() {
        Issuer policyCa = RawCertificates.ca(root, "policy." + MSP, MSP, 1, CA_KEY_USAGE);
        Issuer issuingCa = RawCertificates.ca(policyCa, "ca." + MSP, MSP, 0, CA_KEY_USAGE);
        define(List.of(root), List.of(issuingCa, policyCa));

        revoke(root, policyCa.certificate());

        assertRejected(validate(RawCertificates.identity(issuingCa, ALICE)), RejectionReason.REVOKED,
                "its issuing CA CN=policy." + MSP);
    }

    @Test
    void revokedIdentityNamesTheCertificateAndAsksToEnrollAgain() {
        Issuer ca = organizationCa();
        X509Certificate identity = RawCertificates.identity(ca, ALICE);
        revoke(ca, identity);

        assertRejected(validate(identity), RejectionReason.REVOKED, "the certificate of CN=alice",
                "the holder must enroll again");
    }

    @Test
    void theConfiguredRootIsTrustedEvenIfACrlListsItsSerial() {
        // the root is an anchor: revoking it means removing it from the configuration, not a CRL entry
        Issuer ca = organizationCa();
        revoke(root, root.certificate());

        assertValid(validate(RawCertificates.identity(ca, ALICE)));
    }

    // ---- the chain's shape ----

    @Test
    void chainOfEightCertificatesIsAccepted() {
        Issuer issuing = chainOfCas(6); // identity + 6 CAs + root = 8

        ValidationResult result = validate(RawCertificates.identity(issuing, ALICE));

        assertValid(result);
    }

    @Test
    void chainLongerThanEightCertificatesIsRefused() {
        Issuer issuing = chainOfCas(7); // identity + 7 CAs + root = 9

        assertRejected(validate(RawCertificates.identity(issuing, ALICE)), RejectionReason.NOT_ISSUED_BY_ORGANIZATION,
                "its chain is longer than 8 certificates");
    }

    @Test
    void listedCaThatDoesNotReachARootIsNamed() {
        Issuer otherRoot = RawCertificates.root("elsewhere", "Else");
        Issuer stray = RawCertificates.ca(otherRoot, "ca." + MSP, MSP, 0, CA_KEY_USAGE);
        define(List.of(root), List.of(stray));

        assertRejected(validate(RawCertificates.identity(stray, ALICE)), RejectionReason.NOT_ISSUED_BY_ORGANIZATION,
                "its CA CN=ca." + MSP + ", O=" + MSP + " does not chain to a root of " + MSP);
    }

    @Test
    void selfSignedCaListedAsAnIntermediateIsNotItsOwnIssuer() {
        Issuer selfSignedCa = RawCertificates.ca(null, "ca." + MSP, MSP, null, CA_KEY_USAGE);
        define(List.of(root), List.of(selfSignedCa));

        assertRejected(validate(RawCertificates.identity(selfSignedCa, ALICE)),
                RejectionReason.NOT_ISSUED_BY_ORGANIZATION, "does not chain to a root of " + MSP);
    }

    // ---- the signatures of the chain ----

    @Test
    void p256LinksAreCheckedWithTheConfiguredVerifier() {
        Issuer ca = organizationCa();
        X509Certificate identity = RawCertificates.identity(ca, ALICE);
        AtomicInteger calls = new AtomicInteger();
        IdentityValidator refusing = new IdentityValidator(registry, CertificatePurpose.SIGNING, clock, 0,
                (key, data, signature) -> {
                    calls.incrementAndGet();
                    return false;
                });

        assertRejected(refusing.validate(MSP, identity), RejectionReason.NOT_ISSUED_BY_ORGANIZATION,
                "it was not issued by one of " + MSP + "'s issuing (intermediate) CAs");
        assertThat(calls).hasValue(1);
    }

    @Test
    void organizationWithItsOwnRsaRootIsCheckedWithThatAlgorithm() {
        Issuer rsaRoot = RawCertificates.rsaRoot("root." + MSP, MSP);
        define(List.of(rsaRoot), List.of());
        AtomicInteger calls = new AtomicInteger();
        IdentityValidator counting = new IdentityValidator(registry, CertificatePurpose.SIGNING, clock, 0,
                (key, data, signature) -> calls.incrementAndGet() < 0);

        assertValid(counting.validate(MSP, RawCertificates.identity(rsaRoot, ALICE)));
        assertThat(calls).as("not an ECDSA P-256 link: the certificate verifies itself").hasValue(0);

        Issuer impostor = RawCertificates.rsaRoot("root." + MSP, MSP); // the same name, another key
        assertRejected(counting.validate(MSP, RawCertificates.identity(impostor, ALICE)),
                RejectionReason.NOT_ISSUED_BY_ORGANIZATION, "root CAs");
    }

    // ---- helpers ----

    /** root -> CA 1 (no limit) -> ... -> CA n, all listed; returns CA n. */
    private Issuer chainOfCas(int n) {
        List<Issuer> cas = new ArrayList<>();
        Issuer above = root;
        for (int i = 1; i <= n; i++) {
            above = RawCertificates.ca(above, "ca" + i + "." + MSP, MSP, null, CA_KEY_USAGE);
            cas.add(0, above);
        }
        define(List.of(root), cas);
        return above;
    }

    private Issuer organizationCa() {
        Issuer ca = RawCertificates.ca(root, "ca." + MSP, MSP, 0, CA_KEY_USAGE);
        define(List.of(root), List.of(ca));
        return ca;
    }

    private void define(List<Issuer> roots, List<Issuer> intermediates) {
        registry.put(MspDefinition.of(MSP, roots.stream().map(Issuer::certificate).toList(),
                intermediates.stream().map(Issuer::certificate).toList()));
    }

    private void revoke(Issuer crlIssuer, X509Certificate revoked) {
        CertificateAuthority authority = CertificateAuthority.of(crlIssuer.key(), List.of(crlIssuer.certificate()));
        Instant now = clock.instant();
        X509CRL crl = authority.issueCrl(List.of(new RevokedCertificate(revoked.getSerialNumber(), now, 1)),
                BigInteger.ONE, now, now.plus(Duration.ofDays(7)));
        registry.updateCrls(MSP, List.of(crl));
    }

    private ValidationResult validate(X509Certificate certificate) {
        return validator.validate(MSP, certificate);
    }

    private static void assertValid(ValidationResult result) {
        assertThat(result).as(() -> result instanceof ValidationResult.Rejected r ? r.message() : "valid")
                .isInstanceOf(ValidationResult.Valid.class);
    }

    private static void assertRejected(ValidationResult result, RejectionReason reason, String... messageParts) {
        assertThat(result).isInstanceOfSatisfying(ValidationResult.Rejected.class, rejected -> {
            assertThat(rejected.reason()).as(rejected.message()).isEqualTo(reason);
            assertThat(rejected.message()).contains(messageParts);
        });
    }
}
