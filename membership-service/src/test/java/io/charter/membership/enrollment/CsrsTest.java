package io.charter.membership.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.CertificationRequest;
import io.charter.common.pki.CertificationRequests;
import io.charter.common.pki.Pem;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

/** The enrollment's CSR intake, without a database: each refusal with the error code a client acts on. */
class CsrsTest {

    private static final SubjectName ALICE = SubjectName.of("alice", "Org1MSP", Role.CLIENT);
    private static final KeyPair KEYS = EcKeys.generate();
    private static final CertificationRequest REQUEST = CertificationRequests.create(ALICE, KEYS, List.of());

    @Test
    void aPemOrDerRequestGivesItsSubjectAndKey() {
        Csrs.ParsedCsr fromPem = Csrs.parse(Pem.encodeCsr(REQUEST).getBytes(StandardCharsets.US_ASCII));
        Csrs.ParsedCsr fromIndentedPem = Csrs.parse(("\n  " + Pem.encodeCsr(REQUEST)).getBytes(StandardCharsets.US_ASCII));
        Csrs.ParsedCsr fromDer = Csrs.parse(REQUEST.encoded());

        assertThat(fromPem.subject()).isEqualTo(ALICE.toX500Name());
        assertThat(fromPem.publicKey()).isEqualTo(KEYS.getPublic());
        assertThat(fromIndentedPem).isEqualTo(fromPem);
        assertThat(fromDer.subject()).isEqualTo(new X500Name("CN=alice,OU=client,O=Org1MSP"));
        assertThat(fromDer.publicKey()).isEqualTo(KEYS.getPublic());
    }

    @Test
    void emptyOrOversizedInputIsMalformedBeforeAnyParsing() {
        assertThat(error(new byte[0])).isEqualTo(ErrorCode.CSR_MALFORMED);
        MembershipException oversized = catchThrowableOfType(MembershipException.class, () -> Csrs.parse(new byte[16 * 1024 + 1]));
        assertThat(oversized.code()).isEqualTo(ErrorCode.CSR_MALFORMED);
        assertThat(oversized.getMessage()).contains("empty or larger than 16384 bytes");
        MembershipException largest = catchThrowableOfType(MembershipException.class, () -> Csrs.parse(new byte[16 * 1024]));
        assertThat(largest.code()).isEqualTo(ErrorCode.CSR_MALFORMED);
        assertThat(largest.getMessage()).as("16384 bytes are parsed").doesNotContain("larger than")
                .endsWith("Send a PKCS#10 request, PEM (-----BEGIN CERTIFICATE REQUEST-----) or DER.");
    }

    @Test
    void aRequestWhoseSignatureDoesNotVerifyIsABadSignature() {
        byte[] tampered = REQUEST.encoded().clone();
        int cn = indexOf(tampered, "alice".getBytes(StandardCharsets.US_ASCII));
        tampered[cn] = 'b'; // the signed subject changes, the signature stays

        assertThat(error(tampered)).isEqualTo(ErrorCode.CSR_BAD_SIGNATURE);
    }

    @Test
    void aRequestForAnotherKindOfKeyIsUnsupported() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        KeyPair keys = rsa.generateKeyPair();
        byte[] der = new JcaPKCS10CertificationRequestBuilder(ALICE.toX500Name(), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())).getEncoded();

        assertThat(error(der)).isEqualTo(ErrorCode.CSR_UNSUPPORTED_KEY);
        assertThat(error(Pem.encode(Pem.CERTIFICATE_REQUEST, der).getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(ErrorCode.CSR_UNSUPPORTED_KEY);
    }

    @Test
    void textThatIsNeitherPemNorDerIsMalformed() {
        assertThat(error("hello".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ErrorCode.CSR_MALFORMED);
        assertThat(error("-----BEGIN CERTIFICATE REQUEST-----\n!!\n-----END CERTIFICATE REQUEST-----\n"
                .getBytes(StandardCharsets.US_ASCII))).isEqualTo(ErrorCode.CSR_MALFORMED);
        assertThat(error(Arrays.copyOf(REQUEST.encoded(), 40))).isEqualTo(ErrorCode.CSR_MALFORMED);
    }

    private static ErrorCode error(byte[] bytes) {
        MembershipException error = catchThrowableOfType(MembershipException.class, () -> Csrs.parse(bytes));
        assertThat(error).as("refused").isNotNull();
        return error.code();
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
}
