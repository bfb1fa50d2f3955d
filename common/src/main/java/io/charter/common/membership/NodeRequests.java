package io.charter.common.membership;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical encodings of the signed index requests (version 1), the only encoder of them: nodes sign
 * these bytes and the membership core's {@code NodeRegistration.encode()} and {@code Heartbeat.encode()}
 * delegate here. Big-endian integers, strings as an unsigned 16-bit length then UTF-8 (at most
 * {@value #MAX_STRING_BYTES} bytes), blocks as a 32-bit length then the bytes (at most
 * {@value #MAX_BLOCK_BYTES} bytes), counts as int32 (at most {@value #MAX_ITEMS}), channels in increasing
 * order of name.
 */
public final class NodeRequests {

    public static final int MAX_STRING_BYTES = 1024;
    public static final int MAX_BLOCK_BYTES = 16 * 1024;
    public static final int MAX_ITEMS = 1024;

    /** A node's network endpoint as registered in the index. */
    public record Endpoint(String host, int port) {}

    private NodeRequests() {}

    /**
     * {@code CNR1}; nodeId, mspId, role label; endpoints (host, port); channels (name, height); anchor
     * byte; signing certificate DER; TLS certificate DER; sentAt millis.
     *
     * @param roleLabel {@code peer} or {@code orderer}
     */
    public static byte[] registration(String nodeId, String mspId, String roleLabel, List<Endpoint> endpoints,
            Map<String, Long> channelHeights, boolean anchor, X509Certificate signing, X509Certificate tls,
            Instant sentAt) {
        Writer w = new Writer().magic("CNR1").string(nodeId).string(mspId).string(roleLabel).count(endpoints.size());
        for (Endpoint e : endpoints) {
            w.string(e.host()).int32(e.port());
        }
        w.count(channelHeights.size());
        new TreeMap<>(channelHeights).forEach((channel, height) -> w.string(channel).int64(height));
        try {
            return w.bool(anchor).block(signing.getEncoded()).block(tls.getEncoded())
                    .int64(sentAt.toEpochMilli()).toByteArray();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    /** {@code CHB1}; nodeId, mspId; channels (name, height); sentAt millis. */
    public static byte[] heartbeat(String nodeId, String mspId, Map<String, Long> channelHeights, Instant sentAt) {
        Writer w = new Writer().magic("CHB1").string(nodeId).string(mspId).count(channelHeights.size());
        new TreeMap<>(channelHeights).forEach((channel, height) -> w.string(channel).int64(height));
        return w.int64(sentAt.toEpochMilli()).toByteArray();
    }

    private static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        Writer magic(String magic) {
            return raw(magic.getBytes(StandardCharsets.US_ASCII));
        }

        Writer string(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > MAX_STRING_BYTES) {
                throw new IllegalArgumentException("string longer than " + MAX_STRING_BYTES + " bytes");
            }
            try {
                out.writeShort(utf8.length);
                out.write(utf8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Writer block(byte[] value) {
            if (value.length > MAX_BLOCK_BYTES) {
                throw new IllegalArgumentException("block longer than " + MAX_BLOCK_BYTES + " bytes");
            }
            try {
                out.writeInt(value.length);
                out.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Writer count(int value) {
            if (value < 0 || value > MAX_ITEMS) {
                throw new IllegalArgumentException("more than " + MAX_ITEMS + " items");
            }
            return int32(value);
        }

        Writer int32(int value) {
            try {
                out.writeInt(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Writer int64(long value) {
            try {
                out.writeLong(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Writer bool(boolean value) {
            return raw(new byte[] {(byte) (value ? 1 : 0)});
        }

        private Writer raw(byte[] value) {
            try {
                out.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
