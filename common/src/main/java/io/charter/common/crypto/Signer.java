package io.charter.common.crypto;

import java.security.PublicKey;

/** Signs bytes with one private key (ECDSA P-256 with SHA-256). The key itself never leaves the signer. */
public interface Signer {

    /** Returns a DER-encoded ECDSA signature over exactly {@code data}. */
    byte[] sign(byte[] data);

    PublicKey publicKey();
}
