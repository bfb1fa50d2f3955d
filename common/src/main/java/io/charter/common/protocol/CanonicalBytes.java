package io.charter.common.protocol;

import com.google.protobuf.ByteString;
import java.util.Arrays;

/**
 * Builds the byte strings that are hashed or signed. One rule keeps every concatenation unambiguous:
 * each variable-length part is preceded by its length as 4 bytes big-endian, except a final part,
 * whose end is the end of the input. Integers are fixed-width big-endian.
 *
 * <p>Writes straight into one array sized by the caller (validators build these for every signature
 * they check), so each part is copied once.
 */
final class CanonicalBytes {

    private byte[] bytes;
    private int size;

    private CanonicalBytes(int expectedSize) {
        bytes = new byte[Math.max(expectedSize, 16)];
    }

    static CanonicalBytes withCapacity(int expectedSize) {
        return new CanonicalBytes(expectedSize);
    }

    CanonicalBytes uint64(long value) {
        ensure(Long.BYTES);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    CanonicalBytes uint32(int value) {
        ensure(Integer.BYTES);
        bytes[size++] = (byte) (value >>> 24);
        bytes[size++] = (byte) (value >>> 16);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
        return this;
    }

    CanonicalBytes lengthPrefixed(ByteString part) {
        uint32(part.size());
        return raw(part);
    }

    CanonicalBytes raw(ByteString part) {
        ensure(part.size());
        part.copyTo(bytes, size);
        size += part.size();
        return this;
    }

    CanonicalBytes raw(byte[] part) {
        ensure(part.length);
        System.arraycopy(part, 0, bytes, size, part.length);
        size += part.length;
        return this;
    }

    /** The bytes written; the internal array itself when it was sized exactly. */
    byte[] toByteArray() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (bytes.length - size < more) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
