package io.charter.common.protocol;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Builds the byte strings that are hashed or signed. One rule keeps every concatenation unambiguous:
 * each variable-length part is preceded by its length as 4 bytes big-endian, except a final part,
 * whose end is the end of the input. Integers are fixed-width big-endian.
 */
final class CanonicalBytes {

    private final ByteArrayOutputStream out;

    private CanonicalBytes(int expectedSize) {
        out = new ByteArrayOutputStream(expectedSize);
    }

    static CanonicalBytes withCapacity(int expectedSize) {
        return new CanonicalBytes(expectedSize);
    }

    CanonicalBytes uint64(long value) {
        out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(value).array());
        return this;
    }

    CanonicalBytes uint32(int value) {
        out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(value).array());
        return this;
    }

    CanonicalBytes lengthPrefixed(ByteString bytes) {
        uint32(bytes.size());
        return raw(bytes);
    }

    CanonicalBytes raw(ByteString bytes) {
        try {
            bytes.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("a ByteArrayOutputStream does not fail", e);
        }
        return this;
    }

    CanonicalBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
