package io.charter.common.crypto;

import java.security.PublicKey;

/** Checks ECDSA P-256 / SHA-256 signatures. Implementations are thread-safe. */
public interface SignatureVerifier {

    /**
     * Returns whether {@code signature} (DER-encoded) is a valid signature of {@code data} under
     * {@code key}. A malformed signature is simply invalid: this method does not throw for bad input.
     */
    boolean verify(PublicKey key, byte[] data, byte[] signature);
}
