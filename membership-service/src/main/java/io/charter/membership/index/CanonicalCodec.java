package io.charter.membership.index;

import io.charter.common.membership.NodeRequests;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.nio.ByteBuffer;

/**
 * Decoding of the fixed binary encoding of signed index requests, which common's {@link NodeRequests}
 * writes: big-endian integers, strings as an unsigned 16-bit length then UTF-8 bytes, byte blocks as a
 * 32-bit length then the bytes. No optional fields, no field tags, no trailing bytes: one value has
 * exactly one encoding, and decoding checks that by re-encoding.
 */
final class CanonicalCodec {

    static final int MAX_STRING_BYTES = NodeRequests.MAX_STRING_BYTES;
    static final int MAX_BLOCK_BYTES = NodeRequests.MAX_BLOCK_BYTES;
    static final int MAX_ITEMS = NodeRequests.MAX_ITEMS;

    private CanonicalCodec() {}

    static final class Reader {
        private final DataInputStream in;
        private final ByteArrayInputStream source;

        Reader(byte[] bytes) {
            this.source = new ByteArrayInputStream(bytes);
            this.in = new DataInputStream(source);
        }

        void magic(String magic) {
            byte[] expected = magic.getBytes(StandardCharsets.US_ASCII);
            byte[] actual = read(expected.length);
            if (!java.util.Arrays.equals(expected, actual)) {
                throw malformed("it does not start with " + magic + " (wrong request kind or encoding version)");
            }
        }

        String string() {
            int length = unsignedShort();
            if (length > MAX_STRING_BYTES) {
                throw malformed("a string is longer than " + MAX_STRING_BYTES + " bytes");
            }
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(read(length))).toString();
            } catch (CharacterCodingException e) {
                throw malformed("a string is not valid UTF-8");
            }
        }

        byte[] block() {
            int length = int32();
            if (length < 0 || length > MAX_BLOCK_BYTES) {
                throw malformed("a byte block has length " + length);
            }
            return read(length);
        }

        X509Certificate certificate() {
            byte[] der = block();
            try {
                return (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der));
            } catch (CertificateException | RuntimeException e) {
                throw malformed("a certificate is not a DER X.509 certificate");
            }
        }

        int count() {
            int value = int32();
            if (value < 0 || value > MAX_ITEMS) {
                throw malformed("a list has " + value + " items (at most " + MAX_ITEMS + ")");
            }
            return value;
        }

        int int32() {
            try {
                return in.readInt();
            } catch (IOException e) {
                throw truncated();
            }
        }

        long int64() {
            try {
                return in.readLong();
            } catch (IOException e) {
                throw truncated();
            }
        }

        boolean bool() {
            byte b = read(1)[0];
            if (b != 0 && b != 1) {
                throw malformed("a flag is neither 0 nor 1");
            }
            return b == 1;
        }

        void end() {
            if (source.available() != 0) {
                throw malformed("it has " + source.available() + " trailing bytes");
            }
        }

        private int unsignedShort() {
            try {
                return in.readUnsignedShort();
            } catch (IOException e) {
                throw truncated();
            }
        }

        private byte[] read(int length) {
            try {
                byte[] value = new byte[length];
                in.readFully(value);
                return value;
            } catch (EOFException e) {
                throw truncated();
            } catch (IOException e) {
                throw truncated();
            }
        }

        private static MembershipException truncated() {
            return malformed("it is truncated");
        }
    }

    static MembershipException malformed(String why) {
        return new MembershipException(ErrorCode.NODE_REQUEST_MALFORMED,
                "The index request is malformed: " + why + ". Encode it with NodeRegistration.encode() or Heartbeat.encode().");
    }
}
