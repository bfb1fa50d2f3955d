package io.charter.common.transport;

import io.charter.common.transport.frame.FrameDecoder;

/**
 * The bounds that keep a connection's memory in check.
 *
 * @param maxFrameBytes the largest frame accepted or sent (length prefix excluded); both ends of a
 *     connection should agree on it
 * @param writeBufferLowWaterMark outbound bytes below which a connection becomes writable again
 * @param writeBufferHighWaterMark outbound bytes above which a connection stops being writable and
 *     server streams pause
 * @param streamWindow stream items a client buffers per server stream before it stops granting
 *     credit; the server never sends more than that ahead of consumption
 * @param maxCallsPerConnection calls a server serves at once on one connection before refusing
 *     more with {@link ErrorCode#RESOURCE_EXHAUSTED}
 */
public record TransportLimits(
        int maxFrameBytes,
        int writeBufferLowWaterMark,
        int writeBufferHighWaterMark,
        int streamWindow,
        int maxCallsPerConnection) {

    public TransportLimits {
        requirePositive(maxFrameBytes, "maxFrameBytes");
        requirePositive(writeBufferLowWaterMark, "writeBufferLowWaterMark");
        requirePositive(streamWindow, "streamWindow");
        requirePositive(maxCallsPerConnection, "maxCallsPerConnection");
        if (writeBufferHighWaterMark < writeBufferLowWaterMark) {
            throw new IllegalArgumentException("writeBufferHighWaterMark must not be below writeBufferLowWaterMark");
        }
    }

    /** 16 MiB frames, 32/64 KiB water marks, 64-item stream windows, 65,536 calls per connection. */
    public static TransportLimits defaults() {
        return new TransportLimits(FrameDecoder.DEFAULT_MAX_FRAME_BYTES, 32 * 1024, 64 * 1024, 64, 65_536);
    }

    public TransportLimits withMaxFrameBytes(int value) {
        return new TransportLimits(value, writeBufferLowWaterMark, writeBufferHighWaterMark, streamWindow, maxCallsPerConnection);
    }

    public TransportLimits withWriteBufferWaterMarks(int low, int high) {
        return new TransportLimits(maxFrameBytes, low, high, streamWindow, maxCallsPerConnection);
    }

    public TransportLimits withStreamWindow(int value) {
        return new TransportLimits(maxFrameBytes, writeBufferLowWaterMark, writeBufferHighWaterMark, value, maxCallsPerConnection);
    }

    public TransportLimits withMaxCallsPerConnection(int value) {
        return new TransportLimits(maxFrameBytes, writeBufferLowWaterMark, writeBufferHighWaterMark, streamWindow, value);
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
