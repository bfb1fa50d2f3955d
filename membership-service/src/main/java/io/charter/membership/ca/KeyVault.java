package io.charter.membership.ca;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts CA private keys at rest: AES-256-GCM under a key derived from the configured passphrase with
 * PBKDF2-HMAC-SHA256, with a fresh random salt (16 bytes) and nonce (12 bytes) per key, stored beside the
 * ciphertext. The key's label (the CA id) is the additional authenticated data, so a ciphertext moved
 * to another CA's row does not open. A wrong passphrase and a tampered ciphertext both fail the GCM tag
 * check and are reported as {@link KeyVaultException}.
 */
public final class KeyVault {

    private static final int SALT_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final char[] passphrase;
    private final int iterations;

    public KeyVault(String passphrase, int iterations) {
        Objects.requireNonNull(passphrase, "passphrase");
        if (passphrase.isEmpty()) {
            throw new IllegalArgumentException("the CA key passphrase must not be empty");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        this.passphrase = passphrase.toCharArray();
        this.iterations = iterations;
    }

    /** An encrypted private key with everything needed to decrypt it but the passphrase. */
    public record SealedKey(byte[] salt, byte[] nonce, int iterations, byte[] ciphertext) {}

    public SealedKey seal(PrivateKey key, String label) {
        byte[] salt = random(SALT_BYTES);
        byte[] nonce = random(NONCE_BYTES);
        byte[] plaintext = key.getEncoded();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, derive(salt, iterations), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(label.getBytes(StandardCharsets.UTF_8));
            return new SealedKey(salt, nonce, iterations, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a CA key with AES-256-GCM", e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * @throws KeyVaultException when the passphrase is wrong or the stored key was altered
     */
    public PrivateKey open(SealedKey sealed, String label) {
        byte[] plaintext = null;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, derive(sealed.salt(), sealed.iterations()),
                    new GCMParameterSpec(TAG_BITS, sealed.nonce()));
            cipher.updateAAD(label.getBytes(StandardCharsets.UTF_8));
            plaintext = cipher.doFinal(sealed.ciphertext());
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(plaintext));
        } catch (AEADBadTagException e) {
            throw new KeyVaultException("the CA key '" + label + "' cannot be decrypted: the key passphrase is wrong"
                    + " or the stored key was altered. Start with the passphrase the keys were stored under.", e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new KeyVaultException("the CA key '" + label + "' cannot be decrypted: " + e.getMessage(), e);
        } finally {
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    private SecretKeySpec derive(byte[] salt, int rounds) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, rounds, 256);
        try {
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return new SecretKeySpec(key, "AES");
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A CA key could not be decrypted. */
    public static final class KeyVaultException extends RuntimeException {
        public KeyVaultException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
