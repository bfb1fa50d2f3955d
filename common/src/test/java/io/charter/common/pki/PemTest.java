package io.charter.common.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.crypto.EcKeys;
import io.charter.common.testing.TestPki;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class PemTest {

    private static final TestPki PKI = TestPki.create("Org1MSP");
    private static final TestPki.Credential PEER = PKI.organization("Org1MSP").enroll("peer0", Role.PEER);

    @Test
    void certificateAndChainRoundTrip() {
        String one = Pem.encodeCertificate(PEER.certificate());
        String chain = Pem.encodeCertificates(PEER.chain());

        assertThat(one).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(one.lines().filter(line -> !line.startsWith("-----"))).allMatch(line -> line.length() <= 64);
        assertThat(Pem.decodeCertificate(one)).isEqualTo(PEER.certificate());
        assertThat(Pem.decodeCertificates(chain)).containsExactlyElementsOf(PEER.chain());
    }

    @Test
    void crlRoundTrips() {
        X509CRL crl = PKI.organization("Org1MSP").signingCa().issueCrl(
                List.of(new RevokedCertificate(PEER.certificate().getSerialNumber(), Instant.now(), 1)),
                BigInteger.ONE, Instant.now(), Instant.now().plus(Duration.ofDays(1)));

        X509CRL decoded = Pem.decodeCrl(Pem.encodeCrl(crl));

        assertThat(decoded).isEqualTo(crl);
        assertThat(decoded.isRevoked(PEER.certificate())).isTrue();
    }

    @Test
    void privateAndPublicKeysRoundTrip() {
        KeyPair keys = EcKeys.generate();

        assertThat(Pem.decodePrivateKey(Pem.encodePrivateKey(keys.getPrivate())).getEncoded())
                .isEqualTo(keys.getPrivate().getEncoded());
        assertThat(Pem.decodePublicKey(Pem.encodePublicKey(keys.getPublic()))).isEqualTo(keys.getPublic());
    }

    @Test
    void sec1EcPrivateKeyIsRead() throws Exception {
        KeyPair keys = EcKeys.generate();
        // as `openssl ecparam -name prime256v1 -genkey` writes it: the curve named inside the SEC1 structure
        var sec1Key = new org.bouncycastle.asn1.sec.ECPrivateKey(256,
                ((java.security.interfaces.ECPrivateKey) keys.getPrivate()).getS(),
                org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1);
        String sec1 = Pem.encode(Pem.EC_PRIVATE_KEY, sec1Key.getEncoded());

        assertThat(((java.security.interfaces.ECPrivateKey) Pem.decodePrivateKey(sec1)).getS())
                .isEqualTo(((java.security.interfaces.ECPrivateKey) keys.getPrivate()).getS());
    }

    @Test
    void csrRoundTrips() {
        CertificationRequest request = CertificationRequests.create(
                SubjectName.of("alice", "Org1MSP", Role.CLIENT), EcKeys.generate(), List.of());

        CertificationRequest decoded = Pem.decodeCsr(Pem.encodeCsr(request));

        assertThat(decoded.encoded()).isEqualTo(request.encoded());
        String legacyLabel = Pem.encode(Pem.NEW_CERTIFICATE_REQUEST, request.encoded());
        assertThat(Pem.decodeCsr(legacyLabel).encoded()).isEqualTo(request.encoded());
    }

    @Test
    void textAroundBlocksAndWindowsLineEndingsAreAccepted() {
        String text = "subject=CN=peer0\r\n" + Pem.encodeCertificate(PEER.certificate()).replace("\n", "\r\n") + "trailer\n";

        assertThat(Pem.decodeCertificate(text)).isEqualTo(PEER.certificate());
    }

    @Test
    void badPemIsPemMalformedWithTheReason() {
        String cert = Pem.encodeCertificate(PEER.certificate());
        assertCode(() -> Pem.decodeAll(""), PkiFormatException.Code.PEM_MALFORMED, "no '-----BEGIN");
        assertCode(() -> Pem.decodeAll(null), PkiFormatException.Code.PEM_MALFORMED, "no PEM text");
        assertCode(() -> Pem.decodeAll(cert.replace("-----END CERTIFICATE-----\n", "")),
                PkiFormatException.Code.PEM_MALFORMED, "no END line");
        assertCode(() -> Pem.decodeAll(cert.replace("END CERTIFICATE", "END X509 CRL")),
                PkiFormatException.Code.PEM_MALFORMED, "closed by END X509 CRL");
        assertCode(() -> Pem.decodeAll("-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----\n"),
                PkiFormatException.Code.PEM_MALFORMED, "not Base64");
        assertCode(() -> Pem.decodeAll("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"),
                PkiFormatException.Code.PEM_MALFORMED, "empty");
        assertCode(() -> Pem.decodeAll("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END EC PRIVATE KEY-----\n"),
                PkiFormatException.Code.PEM_MALFORMED, "encrypted");
        assertCode(() -> Pem.decodeCertificate(cert + cert), PkiFormatException.Code.PEM_MALFORMED, "expected one certificate");
    }

    @Test
    void wrongBlockTypeIsPemUnexpectedType() {
        String key = Pem.encodePrivateKey(EcKeys.generate().getPrivate());

        assertCode(() -> Pem.decodeCertificate(key), PkiFormatException.Code.PEM_UNEXPECTED_TYPE, "expected a 'CERTIFICATE'");
        assertCode(() -> Pem.decodePrivateKey(Pem.encodeCertificate(PEER.certificate())),
                PkiFormatException.Code.PEM_UNEXPECTED_TYPE, "found 'CERTIFICATE'");
        assertCode(() -> Pem.decodeCsr(key), PkiFormatException.Code.PEM_UNEXPECTED_TYPE, "CERTIFICATE REQUEST");
    }

    @Test
    void wellFormedPemWithBadContentCarriesTheContentCode() {
        String junk = Pem.encode(Pem.CERTIFICATE, new byte[] {0x30, 0x03, 0x02, 0x01, 0x05});

        assertCode(() -> Pem.decodeCertificate(junk), PkiFormatException.Code.CERTIFICATE_MALFORMED, "");
        assertCode(() -> Pem.decodeCrl(Pem.encode(Pem.CRL, new byte[] {1, 2, 3})), PkiFormatException.Code.CRL_MALFORMED, "");
        assertCode(() -> Pem.decodePrivateKey(Pem.encode(Pem.PRIVATE_KEY, new byte[] {1, 2, 3})),
                PkiFormatException.Code.KEY_MALFORMED, "");
        assertCode(() -> Pem.decodeCsr(Pem.encode(Pem.CERTIFICATE_REQUEST, new byte[] {0x30, 0})),
                PkiFormatException.Code.CSR_MALFORMED, "");
    }

    @Test
    void keysOfOtherAlgorithmsOrCurvesAreKeyUnsupported() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));

        assertCode(() -> Pem.decodePrivateKey(Pem.encodePrivateKey(rsa.generateKeyPair().getPrivate())),
                PkiFormatException.Code.KEY_UNSUPPORTED, "secp256r1");
        assertCode(() -> Pem.decodePrivateKey(Pem.encodePrivateKey(ec.generateKeyPair().getPrivate())),
                PkiFormatException.Code.KEY_UNSUPPORTED, "secp256r1");
        assertCode(() -> Pem.decodePublicKey(Pem.encodePublicKey(ec.generateKeyPair().getPublic())),
                PkiFormatException.Code.KEY_UNSUPPORTED, "secp256r1");
    }

    @Test
    void aKeyWhoseParametersAreAnInvalidUtf8StringIsKeyUnsupported() throws Exception {
        // Found by ParsersNeverThrowUntypedTest: printing such parameters in the message threw an untyped error.
        var invalidUtf8 = org.bouncycastle.asn1.ASN1Primitive.fromByteArray(new byte[] {0x0C, 0x02, (byte) 0xC3, 0x28});
        byte[] pkcs8 = new org.bouncycastle.asn1.pkcs.PrivateKeyInfo(
                new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                        org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey, invalidUtf8),
                org.bouncycastle.asn1.ASN1Integer.ONE).getEncoded();

        assertCode(() -> Pem.decodePrivateKey(Pem.encode(Pem.PRIVATE_KEY, pkcs8)),
                PkiFormatException.Code.KEY_UNSUPPORTED, "secp256r1");
    }

    @Test
    void certificateParsingIsStrictDer() throws Exception {
        byte[] der = PEER.certificate().getEncoded();
        X509Certificate parsed = Certificates.parseCertificate(der);

        assertThat(parsed).isEqualTo(PEER.certificate());
        byte[] withTrailer = java.util.Arrays.copyOf(der, der.length + 2);
        assertCode(() -> Certificates.parseCertificate(withTrailer), PkiFormatException.Code.CERTIFICATE_MALFORMED, "more or other");
        byte[] pemBytes = Pem.encodeCertificate(PEER.certificate()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertCode(() -> Certificates.parseCertificate(pemBytes), PkiFormatException.Code.CERTIFICATE_MALFORMED, "SEQUENCE");
        assertCode(() -> Certificates.parseCertificate(Base64.getDecoder().decode("MAA=")),
                PkiFormatException.Code.CERTIFICATE_MALFORMED, "");
    }

    private static void assertCode(ThrowingCallable call, PkiFormatException.Code code, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PkiFormatException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }
}
