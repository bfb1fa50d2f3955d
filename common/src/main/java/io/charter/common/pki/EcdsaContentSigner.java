package io.charter.common.pki;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentSigner;

/**
 * Lets Bouncy Castle's builders (certificates, CRLs, CSRs) sign with ECDSA and SHA-256 through any signing
 * function: they write the to-be-signed bytes into the stream, then ask for the DER signature once.
 */
final class EcdsaContentSigner implements ContentSigner {

    static final AlgorithmIdentifier ECDSA_WITH_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);

    private final UnaryOperator<byte[]> sign;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

    /** @param sign signs the bytes given with SHA256withECDSA and answers the DER signature */
    EcdsaContentSigner(UnaryOperator<byte[]> sign) {
        this.sign = sign;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return ECDSA_WITH_SHA256;
    }

    @Override
    public OutputStream getOutputStream() {
        return buffer;
    }

    @Override
    public byte[] getSignature() {
        return sign.apply(buffer.toByteArray());
    }
}
