package io.charter.membership.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Enrollment secrets. The service generates them (32 random bytes, base64url without padding: 256
 * bits of entropy), so a salted SHA-256 is enough to store them: nobody can guess or brute-force such a
 * secret from its hash, which is why a slow password hash is not needed, and why callers cannot choose
 * secrets (the bootstrap admin's, from settings, is the one exception). Internal to the membership core.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SECRET_BYTES = 32;
    private static final int SALT_BYTES = 16;

    private Secrets() {}

    /**
     * A fresh secret. Never one that starts with {@code -}: people pass it on a command line
     * ({@code charter enroll alice --secret ...}), where a leading dash reads as an option (1 in 64 secrets
     * otherwise; drawing again costs a negligible fraction of a bit).
     */
    public static String generate() {
        byte[] bytes = new byte[SECRET_BYTES];
        String secret;
        do {
            RANDOM.nextBytes(bytes);
            secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (secret.startsWith("-"));
        return secret;
    }

    public static byte[] salt() {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return salt;
    }

    public static byte[] hash(byte[] salt, String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt);
            digest.update(secret.getBytes(StandardCharsets.UTF_8));
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Constant-time comparison of {@code secret} with a stored hash. */
    public static boolean matches(byte[] salt, byte[] storedHash, String secret) {
        return secret != null && MessageDigest.isEqual(hash(salt, secret), storedHash);
    }
}
