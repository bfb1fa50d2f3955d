package io.charter.common.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, which every JDK must provide; a missing implementation is a broken runtime, not an input error. */
final class Sha256 {

    static final int LENGTH = 32;

    private Sha256() {}

    /** One digest per thread, reset before each use: looking the algorithm up costs more than hashing a header. */
    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK provides no SHA-256", e);
        }
    });

    /** This thread's digest, reset; use it to completion before calling this again on the same thread. */
    static MessageDigest newDigest() {
        MessageDigest digest = DIGESTS.get();
        digest.reset();
        return digest;
    }

    static byte[] digest(byte[] data) {
        return newDigest().digest(data);
    }
}
