package io.charter.membership.enrollment;

import io.charter.common.pki.CertificationRequest;
import io.charter.common.pki.CertificationRequests;
import io.charter.common.pki.Pem;
import io.charter.common.pki.PkiFormatException;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * Parses PKCS#10 requests (PEM or DER) with common's {@link CertificationRequests} (signature verified,
 * key EC P-256) and maps its typed errors to the service's error codes.
 */
final class Csrs {

    private static final int MAX_CSR_BYTES = 16 * 1024;

    /** A CSR whose self-signature verified. */
    record ParsedCsr(X500Name subject, java.security.PublicKey publicKey) {}

    private Csrs() {}

    static ParsedCsr parse(byte[] bytes) {
        if (bytes.length == 0 || bytes.length > MAX_CSR_BYTES) {
            throw malformed("it is empty or larger than " + MAX_CSR_BYTES + " bytes");
        }
        try {
            String text = new String(bytes, StandardCharsets.US_ASCII);
            CertificationRequest request = text.stripLeading().startsWith("-----BEGIN")
                    ? Pem.decodeCsr(text)
                    : CertificationRequests.parse(bytes);
            return new ParsedCsr(X500Name.getInstance(request.subject().getEncoded()), request.publicKey());
        } catch (PkiFormatException e) {
            throw switch (e.code()) {
                case CSR_BAD_SIGNATURE -> new MembershipException(ErrorCode.CSR_BAD_SIGNATURE,
                        "The CSR's signature does not verify with the key it carries; sign it with the private key of that public key.");
                case CSR_UNSUPPORTED_KEY, KEY_UNSUPPORTED -> new MembershipException(ErrorCode.CSR_UNSUPPORTED_KEY,
                        "The CSR's key or signature algorithm is not supported: generate an EC P-256 key and sign the CSR with SHA256withECDSA.");
                default -> malformed(e.getMessage());
            };
        }
    }

    private static MembershipException malformed(String why) {
        return new MembershipException(ErrorCode.CSR_MALFORMED,
                "The CSR is malformed: " + why + ". Send a PKCS#10 request, PEM (-----BEGIN CERTIFICATE REQUEST-----) or DER.");
    }
}
