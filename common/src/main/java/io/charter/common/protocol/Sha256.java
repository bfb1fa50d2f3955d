package io.charter.common.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, which every JDK must provide; a missing implementation is a broken runtime, not an input error. */
final class Sha256 {

    static final int LENGTH = 32;

    private Sha256() {}

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK provides no SHA-256", e);
        }
    }

    static byte[] digest(byte[] data) {
        return newDigest().digest(data);
    }
}
