package io.charter.common.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/** Key pairs on the one curve Charter uses: NIST P-256 (secp256r1). */
public final class EcKeys {

    public static final String CURVE = "secp256r1";

    /** The order n of the P-256 base point. */
    static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
    private static final BigInteger P256_PRIME =
            new BigInteger("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF", 16);

    private EcKeys() {}

    /** Generates a fresh P-256 key pair with the JDK's provider (key generation is not a hot path). */
    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(CURVE));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate " + CURVE + " keys", e);
        }
    }

    /** Whether {@code key} is an elliptic-curve key on P-256 (from any provider). */
    public static boolean isP256(Key key) {
        return key instanceof ECKey ec && isP256(ec.getParams());
    }

    static boolean isP256(ECParameterSpec params) {
        return params != null
                && params.getCurve().getField() instanceof ECFieldFp field
                && P256_PRIME.equals(field.getP())
                && P256_ORDER.equals(params.getOrder());
    }

    /**
     * Reads a PKCS#8 {@code PrivateKeyInfo} holding a P-256 key.
     *
     * @throws InvalidKeySpecException when the bytes are not a PKCS#8 EC key, or the key is on another curve
     */
    public static PrivateKey privateKeyFromPkcs8(byte[] der) throws InvalidKeySpecException {
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw e;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new InvalidKeySpecException("not a PKCS#8 EC private key: " + e.getMessage(), e);
        }
        if (!isP256(key)) {
            throw new InvalidKeySpecException("the private key is not on " + CURVE);
        }
        return key;
    }

    /**
     * Reads an X.509 {@code SubjectPublicKeyInfo} holding a P-256 key.
     *
     * @throws InvalidKeySpecException when the bytes are not an EC public key, or the key is on another curve
     */
    public static PublicKey publicKeyFromX509(byte[] der) throws InvalidKeySpecException {
        return publicKeyFromX509(der, null);
    }

    /**
     * Reads an X.509 {@code SubjectPublicKeyInfo} holding a P-256 key into a key object of {@code provider}
     * (the JVM's default providers when null), so that verifying with that provider needs no translation.
     *
     * @throws InvalidKeySpecException when the bytes are not an EC public key, or the key is on another curve
     */
    public static PublicKey publicKeyFromX509(byte[] der, CryptoProvider provider) throws InvalidKeySpecException {
        PublicKey key;
        try {
            KeyFactory factory = provider == null
                    ? KeyFactory.getInstance("EC") : KeyFactory.getInstance("EC", provider.jcaProvider());
            key = factory.generatePublic(new X509EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw e;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new InvalidKeySpecException("not an X.509 EC public key: " + e.getMessage(), e);
        }
        if (!isP256(key)) {
            throw new InvalidKeySpecException("the public key is not on " + CURVE);
        }
        return key;
    }
}
