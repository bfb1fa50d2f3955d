package io.charter.common.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.charter.common.crypto.EcKeys;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

/**
 * Details of the PKI layer that other components rely on without testing them: the exact PEM layout,
 * line numbers and key descriptions in errors, the extensions Charter's CAs write, and the value rules
 * of subjects, validity windows and CRL entries.
 */
class PkiDetailsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void pemBodiesAreCutIntoLinesOfSixtyFourCharactersWithNoEmptyLine() {
        byte[] fortyEight = new byte[48]; // exactly 64 Base64 characters
        byte[] fortyNine = new byte[49];

        assertThat(Pem.encode("X", fortyEight))
                .isEqualTo("-----BEGIN X-----\n" + "A".repeat(64) + "\n-----END X-----\n");
        assertThat(Pem.encode("X", fortyNine))
                .isEqualTo("-----BEGIN X-----\n" + "A".repeat(64) + "\nAA==\n-----END X-----\n");
        assertThat(Pem.encode("X", new byte[0])).isEqualTo("-----BEGIN X-----\n-----END X-----\n");
    }

    @Test
    void pemErrorsNameTheLine() {
        String text = "\n\n-----END CERTIFICATE-----\n";

        assertThatThrownBy(() -> Pem.decodeAll(text)).isInstanceOf(PkiFormatException.class)
                .hasMessageContaining("line 3: END without BEGIN");
    }

    @Test
    void privateKeysOfOtherAlgorithmsAreRefusedNamingTheirParametersWithoutPrintingThem() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");

        assertThat(keyError(ec.generateKeyPair())).contains("(1.3.132.0.34)");
        assertThat(keyError(rsa.generateKeyPair())).contains("(parameters of type DERNull)");
        assertThat(keyError(ed.generateKeyPair())).contains("(no parameters)");
    }

    @Test
    void rootsHaveNoPathLengthLimitAndIntermediatesMayIssueOnlyEndEntities() {
        CertificateAuthority root = root();
        CertificateAuthority intermediate = root.createIntermediate(
                SubjectName.ca("ca.Org1MSP", "Org1MSP"), EcKeys.generate(), Validity.starting(NOW, Duration.ofDays(30)));

        assertThat(root.certificate().getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(intermediate.certificate().getBasicConstraints()).isZero();
        assertThat(intermediate.root()).isEqualTo(root.certificate());
        assertThat(intermediate.chain()).containsExactly(intermediate.certificate(), root.certificate());
    }

    @Test
    void issuedCertificatesNameTheirIssuerKeyByItsSha1() throws Exception {
        CertificateAuthority root = root();
        X509Certificate leaf = root.issue(CertificateTemplate.signing(
                SubjectName.of("alice", "Org1MSP", Role.CLIENT), EcKeys.generate().getPublic(), Validity.starting(NOW, Duration.ofDays(1))));

        byte[] expected = MessageDigest.getInstance("SHA-1").digest(SubjectPublicKeyInfo
                .getInstance(root.certificate().getPublicKey().getEncoded()).getPublicKeyData().getBytes());
        assertThat(authorityKeyId(leaf)).isEqualTo(expected);
        assertThat(authorityKeyId(root.certificate())).isEqualTo(expected);
    }

    @Test
    void tlsCertificatesNameIpAddressesAsAddressesAndHostsAsDnsNames() throws Exception {
        CertificateAuthority root = root();
        X509Certificate tls = root.issue(CertificateTemplate.tls(SubjectName.of("peer0", "Org1MSP", Role.PEER),
                EcKeys.generate().getPublic(), Validity.starting(NOW, Duration.ofDays(1)), List.of("localhost", "127.0.0.1")));

        assertThat(tls.getSubjectAlternativeNames()).containsExactly(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
    }

    @Test
    void aCaRestoredFromItsKeyAndChainIssuesAsBefore() throws Exception {
        CertificateAuthority original = root();
        CertificateAuthority restored = CertificateAuthority.of(original.privateKey(), original.chain());
        X509Certificate leaf = restored.issue(CertificateTemplate.signing(SubjectName.of("bob", "Org1MSP", Role.CLIENT),
                EcKeys.generate().getPublic(), Validity.starting(NOW, Duration.ofDays(1))));

        leaf.verify(original.certificate().getPublicKey());
        assertThat(restored.privateKey()).isEqualTo(original.privateKey());
        assertThat(restored.root()).isEqualTo(original.certificate());
        assertThatThrownBy(() -> CertificateAuthority.of(original.privateKey(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least its own certificate");
    }

    @Test
    void aCaWhoseKeyCannotBeExportedSignsThroughTheKeysOwnProvider() throws Exception {
        CertificateAuthority original = root();
        ECPrivateKey key = (ECPrivateKey) original.privateKey();
        ECPrivateKey opaque = new ECPrivateKey() { // as a key held in a token: usable, never exported
            @Override
            public BigInteger getS() {
                return key.getS();
            }

            @Override
            public ECParameterSpec getParams() {
                return key.getParams();
            }

            @Override
            public String getAlgorithm() {
                return "EC";
            }

            @Override
            public String getFormat() {
                return null;
            }

            @Override
            public byte[] getEncoded() {
                return null;
            }
        };
        CertificateAuthority restored = CertificateAuthority.of(opaque, original.chain());

        X509Certificate first = restored.issue(CertificateTemplate.signing(SubjectName.of("dave", "Org1MSP", Role.CLIENT),
                EcKeys.generate().getPublic(), Validity.starting(NOW, Duration.ofDays(1))));
        X509Certificate second = restored.issue(CertificateTemplate.signing(SubjectName.of("erin", "Org1MSP", Role.CLIENT),
                EcKeys.generate().getPublic(), Validity.starting(NOW, Duration.ofDays(1))));

        first.verify(original.certificate().getPublicKey());
        second.verify(original.certificate().getPublicKey());
    }

    @Test
    void csrSignedWithEcdsaSha256CarryingParametersIsRefusedAndExplicitNullParametersAccepted() throws Exception {
        KeyPair keys = EcKeys.generate();

        byte[] withParameters = csr(keys, new ASN1Integer(1));
        byte[] withNull = csr(keys, DERNull.INSTANCE);

        PkiFormatException error = catchThrowableOfType(PkiFormatException.class, () -> CertificationRequests.parse(withParameters));
        assertThat(error).isNotNull();
        assertThat(error.getMessage()).contains("sign it with ECDSA and SHA-256");
        assertThat(CertificationRequests.parse(withNull).publicKey()).isEqualTo(keys.getPublic());
        assertThat(CertificationRequests.parse(withNull))
                .hasToString("CertificationRequest[CN=carol,OU=client,O=Org1MSP, names=[]]");
    }

    @Test
    void subjectNamesNeedACommonNameAndAnOrganization() {
        assertThatThrownBy(() -> SubjectName.of(" ", "Org1MSP", Role.PEER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commonName");
        assertThatThrownBy(() -> SubjectName.of("peer0", "", Role.PEER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("organization");
        assertThatThrownBy(() -> SubjectName.ca(null, "Org1MSP"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commonName");
    }

    @Test
    void validityContainsBothEndsAndNothingOutside() {
        Validity validity = Validity.starting(NOW, Duration.ofHours(1));

        assertThat(validity.contains(NOW)).isTrue();
        assertThat(validity.contains(NOW.plus(Duration.ofHours(1)))).isTrue();
        assertThat(validity.contains(NOW.minusMillis(1))).isFalse();
        assertThat(validity.contains(NOW.plus(Duration.ofHours(1)).plusMillis(1))).isFalse();
    }

    @Test
    void crlReasonCodesAreThoseOfRfc5280() {
        for (int code : new int[] {0, 1, 6, 8, 10}) {
            assertThat(new RevokedCertificate(BigInteger.ONE, NOW, code).reasonCode()).isEqualTo(code);
        }
        for (int code : new int[] {-1, 7, 11}) {
            assertThatThrownBy(() -> new RevokedCertificate(BigInteger.ONE, NOW, code))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(code));
        }
    }

    private static CertificateAuthority root() {
        return CertificateAuthority.createRoot(SubjectName.ca("root", "Consortium"), EcKeys.generate(),
                Validity.starting(NOW.minus(Duration.ofDays(1)), Duration.ofDays(365)));
    }

    private static String keyError(KeyPair keys) {
        String pem = Pem.encode(Pem.PRIVATE_KEY, keys.getPrivate().getEncoded());
        PkiFormatException error = catchThrowableOfType(PkiFormatException.class, () -> Pem.decodePrivateKey(pem));
        assertThat(error).as("refused").isNotNull();
        return error.getMessage();
    }

    private static byte[] authorityKeyId(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifierOctets();
    }

    /** A CSR signed with ECDSA-SHA256 whose algorithm identifier carries {@code parameters}. */
    private static byte[] csr(KeyPair keys, org.bouncycastle.asn1.ASN1Encodable parameters) throws Exception {
        ContentSigner real = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
        ContentSigner withParameters = new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256, parameters);
            }

            @Override
            public OutputStream getOutputStream() {
                return real.getOutputStream();
            }

            @Override
            public byte[] getSignature() {
                return real.getSignature();
            }
        };
        return new JcaPKCS10CertificationRequestBuilder(
                SubjectName.of("carol", "Org1MSP", Role.CLIENT).toX500Name(), keys.getPublic())
                .build(withParameters).getEncoded();
    }

}
