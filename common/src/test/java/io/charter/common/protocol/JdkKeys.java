package io.charter.common.protocol;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.SignatureVerifier;
import io.charter.common.crypto.Signer;
import io.charter.protocol.SerializedIdentity;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;

/**
 * Test-only ECDSA P-256 keys straight from the JDK, so these tests depend on neither the crypto
 * package's implementations nor certificates (the "certificate" in identities is a placeholder).
 */
final class JdkKeys {

    private JdkKeys() {}

    static KeyPair newKeyPair() {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Signer signer(KeyPair keys) {
        return new Signer() {
            @Override
            public byte[] sign(byte[] data) {
                try {
                    var signature = Signature.getInstance("SHA256withECDSA");
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
        };
    }

    static final SignatureVerifier VERIFIER = JdkKeys::verify;

    static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        try {
            var verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A serialized identity for {@code mspId} whose certificate field holds the encoded public key. */
    static ByteString identity(String mspId, KeyPair keys) {
        return SerializedIdentity.newBuilder()
                .setMspId(mspId)
                .setCertificate(ByteString.copyFrom(keys.getPublic().getEncoded()))
                .build()
                .toByteString();
    }
}
