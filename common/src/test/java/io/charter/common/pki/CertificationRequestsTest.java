package io.charter.common.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.crypto.EcKeys;
import io.charter.common.crypto.EcdsaSigner;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class CertificationRequestsTest {

    private static final SubjectName PEER0 = SubjectName.of("peer0", "Org1MSP", Role.PEER);

    @Test
    void createdRequestParsesBackWithSubjectKeyAndNames() {
        KeyPair keys = EcKeys.generate();

        CertificationRequest created = CertificationRequests.create(PEER0, keys, List.of("peer0.org1.example", "10.0.0.7"));
        CertificationRequest parsed = CertificationRequests.parse(created.encoded());

        assertThat(parsed.subjectName()).contains(PEER0);
        assertThat(parsed.publicKey().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
        assertThat(parsed.subjectAlternativeNames()).containsExactly("peer0.org1.example", "10.0.0.7");
        assertThat(parsed.encoded()).isEqualTo(created.encoded());
    }

    @Test
    void requestWithoutNamesHasNone() {
        CertificationRequest request = CertificationRequests.create(PEER0, EcdsaSigner.of(EcKeys.generate()), List.of());

        assertThat(CertificationRequests.parse(request.encoded()).subjectAlternativeNames()).isEmpty();
    }

    @Test
    void aCaCanIssueACertificateFromARequest() {
        TestCa ca = new TestCa();
        CertificationRequest request = CertificationRequests.create(PEER0, EcKeys.generate(), List.of("localhost"));

        var certificate = ca.authority.issue(CertificateTemplate.tls(request.subjectName().orElseThrow(),
                request.publicKey(), Validity.starting(Instant.now(), Duration.ofDays(1)), request.subjectAlternativeNames()));

        assertThat(certificate.getPublicKey().getEncoded()).isEqualTo(request.publicKey().getEncoded());
        assertThat(SubjectName.from(certificate)).contains(PEER0);
    }

    @Test
    void malformedBytesAreCsrMalformed() {
        byte[] valid = CertificationRequests.create(PEER0, EcKeys.generate(), List.of()).encoded();
        byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 5);
        byte[] trailing = java.util.Arrays.copyOf(valid, valid.length + 1);

        for (byte[] bad : List.of(new byte[0], "hello".getBytes(StandardCharsets.US_ASCII), truncated, trailing,
                new byte[] {0x30, 0x03, 0x02, 0x01, 0x01})) {
            assertThatThrownBy(() -> CertificationRequests.parse(bad))
                    .isInstanceOfSatisfying(PkiFormatException.class,
                            e -> assertThat(e.code()).isEqualTo(PkiFormatException.Code.CSR_MALFORMED));
        }
        assertThatThrownBy(() -> CertificationRequests.parse(null)).isInstanceOf(PkiFormatException.class);
    }

    @Test
    void aSignatureWithUnusedBitsIsCsrMalformed() throws Exception {
        // Found by ParsersNeverThrowUntypedTest: Bouncy Castle cannot give octets of such a BIT STRING.
        byte[] valid = CertificationRequests.create(PEER0, EcKeys.generate(), List.of()).encoded();
        var structure = org.bouncycastle.asn1.pkcs.CertificationRequest.getInstance(valid);
        byte[] unaligned = new org.bouncycastle.asn1.pkcs.CertificationRequest(structure.getCertificationRequestInfo(),
                structure.getSignatureAlgorithm(),
                new org.bouncycastle.asn1.DERBitString(structure.getSignature().getBytes(), 3)).getEncoded();

        assertThatThrownBy(() -> CertificationRequests.parse(unaligned))
                .isInstanceOfSatisfying(PkiFormatException.class,
                        e -> assertThat(e.code()).isEqualTo(PkiFormatException.Code.CSR_MALFORMED));
    }

    @Test
    void alteredRequestIsCsrBadSignature() {
        byte[] der = CertificationRequests.create(PEER0, EcKeys.generate(), List.of()).encoded();
        int at = indexOf(der, "peer0".getBytes(StandardCharsets.US_ASCII));
        der[at + 4] = '1'; // the request now asks for peer1, but was signed for peer0

        assertThatThrownBy(() -> CertificationRequests.parse(der))
                .isInstanceOfSatisfying(PkiFormatException.class,
                        e -> assertThat(e.code()).isEqualTo(PkiFormatException.Code.CSR_BAD_SIGNATURE));
    }

    @Test
    void requestSignedWithAnotherKeyIsCsrBadSignature() throws Exception {
        KeyPair claimed = EcKeys.generate();
        KeyPair actual = EcKeys.generate();
        byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=mallory,O=Org1MSP"), claimed.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(actual.getPrivate()))
                .getEncoded();

        assertThatThrownBy(() -> CertificationRequests.parse(der))
                .isInstanceOfSatisfying(PkiFormatException.class,
                        e -> assertThat(e.code()).isEqualTo(PkiFormatException.Code.CSR_BAD_SIGNATURE));
    }

    @Test
    void rsaOrOtherCurveRequestIsCsrUnsupportedKey() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsaKeys = rsa.generateKeyPair();
        byte[] rsaCsr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=rsa,O=Org1MSP"), rsaKeys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(rsaKeys.getPrivate()))
                .getEncoded();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair p384 = ec.generateKeyPair();
        byte[] p384Csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=p384,O=Org1MSP"), p384.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(p384.getPrivate()))
                .getEncoded();
        KeyPair p256 = EcKeys.generate();
        byte[] sha512Csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=sha512,O=Org1MSP"), p256.getPublic())
                .build(new JcaContentSignerBuilder("SHA512withECDSA").build(p256.getPrivate()))
                .getEncoded();

        for (byte[] csr : List.of(rsaCsr, p384Csr, sha512Csr)) {
            assertThatThrownBy(() -> CertificationRequests.parse(csr))
                    .isInstanceOfSatisfying(PkiFormatException.class,
                            e -> assertThat(e.code()).isEqualTo(PkiFormatException.Code.CSR_UNSUPPORTED_KEY));
        }
    }

    @Test
    void requestFromAnotherToolWithAPlainSubjectParses() throws Exception {
        KeyPair keys = EcKeys.generate();
        byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=someone,OU=unit,O=Acme"), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                .getEncoded();

        CertificationRequest request = CertificationRequests.parse(der);

        assertThat(request.subject().getName()).contains("CN=someone").contains("OU=unit").contains("O=Acme");
        assertThat(request.subjectName()).isEmpty(); // 'unit' is no Charter role
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /** A bare CA for the issuance test. */
    private static final class TestCa {
        final CertificateAuthority authority = CertificateAuthority.createRoot(
                SubjectName.ca("ca", "Org1MSP"), EcKeys.generate(), Validity.starting(Instant.now(), Duration.ofDays(2)));
    }
}
