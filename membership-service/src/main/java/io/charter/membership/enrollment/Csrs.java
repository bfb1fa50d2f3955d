package io.charter.membership.enrollment;

import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/** Parses and checks PKCS#10 requests (PEM or DER): signature verified, key EC P-256. */
final class Csrs {

    private static final int MAX_CSR_BYTES = 16 * 1024;

    /** A CSR whose self-signature verified. */
    record ParsedCsr(X500Name subject, PublicKey publicKey) {}

    private Csrs() {}

    static ParsedCsr parse(byte[] bytes) {
        if (bytes.length == 0 || bytes.length > MAX_CSR_BYTES) {
            throw malformed("it is empty or larger than " + MAX_CSR_BYTES + " bytes");
        }
        PKCS10CertificationRequest request;
        try {
            request = new PKCS10CertificationRequest(der(bytes));
        } catch (IOException | RuntimeException e) {
            throw malformed("it is not a DER or PEM PKCS#10 certification request");
        }
        SubjectPublicKeyInfo keyInfo = request.getSubjectPublicKeyInfo();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(keyInfo.getAlgorithm().getAlgorithm())
                || !SECObjectIdentifiers.secp256r1.equals(keyInfo.getAlgorithm().getParameters())) {
            throw new MembershipException(ErrorCode.CSR_UNSUPPORTED_KEY,
                    "The CSR's key is not an EC P-256 (secp256r1) key; generate a P-256 key pair and sign the CSR with SHA256withECDSA.");
        }
        if (!X9ObjectIdentifiers.ecdsa_with_SHA256.equals(request.getSignatureAlgorithm().getAlgorithm())) {
            throw new MembershipException(ErrorCode.CSR_UNSUPPORTED_KEY,
                    "The CSR is not signed with SHA256withECDSA; sign it with that algorithm.");
        }
        PublicKey publicKey;
        try {
            publicKey = new JcaPKCS10CertificationRequest(request).getPublicKey();
        } catch (Exception e) {
            throw malformed("its public key cannot be decoded");
        }
        boolean valid;
        try {
            valid = request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(keyInfo));
        } catch (Exception e) {
            valid = false;
        }
        if (!valid) {
            throw new MembershipException(ErrorCode.CSR_BAD_SIGNATURE,
                    "The CSR's signature does not verify with the key it carries; sign it with the private key of that public key.");
        }
        return new ParsedCsr(request.getSubject(), publicKey);
    }

    private static byte[] der(byte[] bytes) throws IOException {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (!text.stripLeading().startsWith("-----BEGIN")) {
            return bytes;
        }
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            Object object = parser.readObject();
            if (object instanceof PKCS10CertificationRequest csr) {
                return csr.getEncoded();
            }
            throw new IOException("PEM block is not a CERTIFICATE REQUEST");
        }
    }

    private static MembershipException malformed(String why) {
        return new MembershipException(ErrorCode.CSR_MALFORMED,
                "The CSR is malformed: " + why + ". Send a PKCS#10 request, PEM (-----BEGIN CERTIFICATE REQUEST-----) or DER.");
    }
}
