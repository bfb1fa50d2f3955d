package io.charter.common.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** Key pairs on the one curve Charter uses: NIST P-256 (secp256r1). */
public final class EcKeys {

    public static final String CURVE = "secp256r1";

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
}
