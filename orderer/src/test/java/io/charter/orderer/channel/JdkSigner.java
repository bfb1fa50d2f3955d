package io.charter.orderer.channel;

import io.charter.common.crypto.SignatureVerifier;
import io.charter.common.crypto.Signer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;

/** A test signer and verifier on the JDK's SHA256withECDSA (the crypto implementations live in common). */
record JdkSigner(KeyPair keys) implements Signer {

    @Override
    public byte[] sign(byte[] data) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(keys.getPrivate());
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public PublicKey publicKey() {
        return keys.getPublic();
    }

    static final SignatureVerifier VERIFIER = (key, data, sig) -> {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initVerify(key);
            signature.update(data);
            return signature.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    };
}
