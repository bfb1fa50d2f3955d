package io.charter.common.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.crypto.EcKeys;
import io.charter.common.testing.TestPki;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

    private final TestPki pki = TestPki.create("Org1MSP");
    private final TestPki.Organization org1 = pki.organization("Org1MSP");

    @Test
    void issuedChainPassesJdkPathValidation() throws Exception {
        TestPki.Credential peer = org1.enroll("peer0", Role.PEER);

        var path = CertificateFactory.getInstance("X.509").generateCertPath(peer.chain().subList(0, 2));
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(pki.root().certificate(), null)));
        parameters.setRevocationEnabled(false);

        CertPathValidator.getInstance("PKIX").validate(path, parameters);
    }

    @Test
    void subjectCarriesOrganizationAndRole() {
        X509Certificate admin = org1.enroll("alice", Role.ADMIN).certificate();

        assertThat(SubjectName.from(admin)).contains(SubjectName.of("alice", "Org1MSP", Role.ADMIN));
        assertThat(SubjectName.from(org1.signingCa().certificate())).contains(SubjectName.ca("ca.Org1MSP", "Org1MSP"));
    }

    @Test
    void signingAndTlsCertificatesHaveDistinctUsages() throws Exception {
        X509Certificate signing = org1.enroll("peer0", Role.PEER).certificate();
        X509Certificate tls = org1.enrollTls("peer0", Role.PEER).certificate();

        assertThat(signing.getKeyUsage()[0]).isTrue();
        assertThat(signing.getExtendedKeyUsage()).isNull();
        assertThat(signing.getBasicConstraints()).isEqualTo(-1);
        assertThat(tls.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(tls.getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1))
                .containsExactly((Object) "localhost", "127.0.0.1");
    }

    @Test
    void clientOnlyTlsCertificateHasClientAuthAndNoHost() throws Exception {
        KeyPair keys = EcKeys.generate();
        X509Certificate tls = org1.tlsCa().issue(CertificateTemplate.tlsClient(
                SubjectName.of("alice", "Org1MSP", Role.CLIENT), keys.getPublic(),
                Validity.starting(Instant.now(), Duration.ofDays(1))));

        assertThat(tls.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(tls.getSubjectAlternativeNames()).isNull();
        assertThatThrownBy(() -> new CertificateTemplate(SubjectName.of("alice", "Org1MSP", Role.CLIENT), keys.getPublic(),
                CertificatePurpose.TLS, Validity.starting(Instant.now(), Duration.ofDays(1)), List.of("localhost"), Map.of(),
                false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void attributesRoundTripThroughTheExtension() {
        KeyPair keys = EcKeys.generate();
        Map<String, String> attributes = Map.of("department", "trading", "hf.Revoker", "true", "ünïcode", "värde");
        X509Certificate certificate = org1.signingCa().issue(CertificateTemplate
                .signing(SubjectName.of("bob", "Org1MSP", Role.CLIENT), keys.getPublic(),
                        Validity.starting(Instant.now(), Duration.ofDays(1)))
                .withAttributes(attributes));

        assertThat(CertificateAttributes.read(certificate)).contains(attributes);
        assertThat(CertificateAttributes.read(org1.enroll("carol", Role.CLIENT).certificate())).contains(Map.of());
    }

    @Test
    void issuedCertificateNeverOutlivesItsIssuer() {
        KeyPair keys = EcKeys.generate();
        Instant now = Instant.now();
        X509Certificate certificate = org1.signingCa().issue(CertificateTemplate.signing(
                SubjectName.of("long", "Org1MSP", Role.CLIENT), keys.getPublic(),
                Validity.starting(now, Duration.ofDays(365 * 50))));

        assertThat(certificate.getNotAfter()).isEqualTo(org1.signingCa().certificate().getNotAfter());
    }

    @Test
    void crlListsRevokedSerialsAndIsSignedByTheCa() throws Exception {
        X509Certificate revoked = org1.enroll("mallory", Role.CLIENT).certificate();
        X509Certificate kept = org1.enroll("alice", Role.CLIENT).certificate();
        Instant now = Instant.now();

        X509CRL crl = org1.signingCa().issueCrl(
                List.of(new RevokedCertificate(revoked.getSerialNumber(), now, 1)), BigInteger.TWO, now,
                now.plus(Duration.ofHours(1)));

        crl.verify(org1.signingCa().certificate().getPublicKey());
        assertThat(crl.isRevoked(revoked)).isTrue();
        assertThat(crl.isRevoked(kept)).isFalse();
        assertThat(crl.getNextUpdate()).isAfter(crl.getThisUpdate());
    }

    @Test
    void certificateFromAnotherOrganizationFailsPathValidationAgainstItsIssuer() throws Exception {
        pki.addOrganization("Org2MSP");
        X509Certificate foreign = pki.organization("Org2MSP").enroll("peer0", Role.PEER).certificate();
        var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(foreign));
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(org1.signingCa().certificate(), null)));
        parameters.setRevocationEnabled(false);

        assertThatThrownBy(() -> CertPathValidator.getInstance("PKIX").validate(path, parameters))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void rejectsImpossibleInputs() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> new Validity(now, now)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RevokedCertificate(BigInteger.ONE, now, 7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubjectName.of(" ", "Org1MSP", Role.PEER)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validityTimesAreEncodedAsBouncyCastleEncodesThem() throws Exception {
        for (String at : List.of("2026-11-25T17:20:51.123Z", "1950-01-01T00:00:00Z", "2049-12-31T23:59:59.999Z",
                "2050-01-01T00:00:00Z", "2070-06-30T12:00:01Z", "1949-12-31T23:59:59Z")) {
            Instant instant = Instant.parse(at);
            assertThat(CertificateAuthority.time(instant).getEncoded())
                    .as(at).isEqualTo(new org.bouncycastle.asn1.x509.Time(java.util.Date.from(instant)).getEncoded());
        }
    }
}
