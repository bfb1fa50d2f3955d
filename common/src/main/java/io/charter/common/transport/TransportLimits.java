package io.charter.common.transport;

import io.charter.common.transport.frame.FrameDecoder;
import java.time.Duration;
import java.util.Objects;

/**
 * The bounds that keep what one caller can hold on a node in check: bytes, connections, calls and
 * time. Every refusal they cause is counted by {@link TransportRefusals}. Defaults are documented in
 * docs/security.md ("Transport limits").
 *
 * @param maxFrameBytes the largest frame accepted or sent (length prefix excluded); both ends of a
 *     connection should agree on it
 * @param writeBufferLowWaterMark outbound bytes below which a connection becomes writable again
 * @param writeBufferHighWaterMark outbound bytes above which a connection stops being writable and
 *     server streams pause
 * @param streamWindow stream items a client buffers per server stream before it stops granting
 *     credit; the server never sends more than that ahead of consumption
 * @param maxCallsPerConnection calls (unary and streams) a server serves at once on one connection
 *     before refusing more with {@link ErrorCode#RESOURCE_EXHAUSTED}
 * @param maxStreamsPerConnection server streams open at once on one connection, within {@code
 *     maxCallsPerConnection}
 * @param maxConnections connections a server holds at once; one more is closed before its TLS handshake
 * @param maxConnectionsPerIdentity connections one identity (organization and enrollment id of its TLS
 *     certificate) holds at once on a server; one more is answered RESOURCE_EXHAUSTED and closed
 * @param idleTimeout a server closes a connection that has no call in flight and has sent nothing
 *     for this long
 * @param handshakeTimeout time a TLS handshake may take before the connection is closed
 * @param frameDeadline time a frame may take to arrive once its first bytes did; a slower frame
 *     closes the connection (a caller cannot hold a half-sent frame's memory)
 * @param inFlightFrameBudgetBytes bytes of frames still arriving that a server sets aside across all
 *     its connections; a frame that would exceed it closes its connection with RESOURCE_EXHAUSTED
 * @param defaultDeadline the deadline a server applies to a unary call that sets none (deadline 0)
 * @param maxDeadline the longest deadline a server grants a unary call; a longer one is shortened
 *     to it (server streams are bounded by credit and {@code maxStreamsPerConnection} instead)
 */
public record TransportLimits(
        int maxFrameBytes,
        int writeBufferLowWaterMark,
        int writeBufferHighWaterMark,
        int streamWindow,
        int maxCallsPerConnection,
        int maxStreamsPerConnection,
        int maxConnections,
        int maxConnectionsPerIdentity,
        Duration idleTimeout,
        Duration handshakeTimeout,
        Duration frameDeadline,
        long inFlightFrameBudgetBytes,
        Duration defaultDeadline,
        Duration maxDeadline) {

    public static final int DEFAULT_MAX_CALLS_PER_CONNECTION = 4096;
    public static final int DEFAULT_MAX_STREAMS_PER_CONNECTION = 256;
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IDENTITY = 16;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_FRAME_DEADLINE = Duration.ofSeconds(30);
    public static final long DEFAULT_IN_FLIGHT_FRAME_BUDGET_BYTES = 256L * 1024 * 1024;
    public static final Duration DEFAULT_CALL_DEADLINE = Duration.ofMinutes(1);
    public static final Duration DEFAULT_MAX_CALL_DEADLINE = Duration.ofMinutes(10);

    public TransportLimits {
        requirePositive(maxFrameBytes, "maxFrameBytes");
        requirePositive(writeBufferLowWaterMark, "writeBufferLowWaterMark");
        requirePositive(streamWindow, "streamWindow");
        requirePositive(maxCallsPerConnection, "maxCallsPerConnection");
        requirePositive(maxStreamsPerConnection, "maxStreamsPerConnection");
        requirePositive(maxConnections, "maxConnections");
        requirePositive(maxConnectionsPerIdentity, "maxConnectionsPerIdentity");
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(handshakeTimeout, "handshakeTimeout");
        requirePositive(frameDeadline, "frameDeadline");
        requirePositive(defaultDeadline, "defaultDeadline");
        requirePositive(maxDeadline, "maxDeadline");
        if (writeBufferHighWaterMark < writeBufferLowWaterMark) {
            throw new IllegalArgumentException("writeBufferHighWaterMark must not be below writeBufferLowWaterMark");
        }
        if (inFlightFrameBudgetBytes < maxFrameBytes) {
            throw new IllegalArgumentException("inFlightFrameBudgetBytes (" + inFlightFrameBudgetBytes
                    + ") must hold at least one frame of maxFrameBytes (" + maxFrameBytes + ")");
        }
        if (maxDeadline.compareTo(defaultDeadline) < 0) {
            throw new IllegalArgumentException("maxDeadline must not be below defaultDeadline");
        }
    }

    /**
     * 16 MiB frames, 32/64 KiB water marks, 64-item stream windows, 4,096 calls and 256 streams per
     * connection, 1,024 connections and 16 per identity, 5 min idle timeout, 10 s handshakes, 30 s per
     * frame, 256 MiB of frames in flight, unary deadlines 1 min by default and 10 min at most.
     */
    public static TransportLimits defaults() {
        return new TransportLimits(FrameDecoder.DEFAULT_MAX_FRAME_BYTES, 32 * 1024, 64 * 1024, 64,
                DEFAULT_MAX_CALLS_PER_CONNECTION, DEFAULT_MAX_STREAMS_PER_CONNECTION, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_CONNECTIONS_PER_IDENTITY, DEFAULT_IDLE_TIMEOUT, DEFAULT_HANDSHAKE_TIMEOUT,
                DEFAULT_FRAME_DEADLINE, DEFAULT_IN_FLIGHT_FRAME_BUDGET_BYTES, DEFAULT_CALL_DEADLINE,
                DEFAULT_MAX_CALL_DEADLINE);
    }

    /**
     * The deadline a server applies to a unary call that asked for {@code requestedMillis} (0: none
     * asked): the default when none, never above the maximum.
     */
    public Duration unaryDeadline(long requestedMillis) {
        if (requestedMillis <= 0) {
            return defaultDeadline;
        }
        return requestedMillis >= maxDeadline.toMillis() ? maxDeadline : Duration.ofMillis(requestedMillis);
    }

    public TransportLimits withMaxFrameBytes(int value) {
        return new TransportLimits(value, writeBufferLowWaterMark, writeBufferHighWaterMark, streamWindow,
                maxCallsPerConnection, maxStreamsPerConnection, maxConnections, maxConnectionsPerIdentity, idleTimeout,
                handshakeTimeout, frameDeadline, Math.max(value, inFlightFrameBudgetBytes), defaultDeadline, maxDeadline);
    }

    public TransportLimits withWriteBufferWaterMarks(int low, int high) {
        return new TransportLimits(maxFrameBytes, low, high, streamWindow, maxCallsPerConnection,
                maxStreamsPerConnection, maxConnections, maxConnectionsPerIdentity, idleTimeout, handshakeTimeout,
                frameDeadline, inFlightFrameBudgetBytes, defaultDeadline, maxDeadline);
    }

    public TransportLimits withStreamWindow(int value) {
        return new TransportLimits(maxFrameBytes, writeBufferLowWaterMark, writeBufferHighWaterMark, value,
                maxCallsPerConnection, maxStreamsPerConnection, maxConnections, maxConnectionsPerIdentity, idleTimeout,
                handshakeTimeout, frameDeadline, inFlightFrameBudgetBytes, defaultDeadline, maxDeadline);
    }

    public TransportLimits withMaxCallsPerConnection(int value) {
        return new TransportLimits(maxFrameBytes, writeBufferLowWaterMark, writeBufferHighWaterMark, streamWindow,
                value, Math.min(value, maxStreamsPerConnection), maxConnections, maxConnectionsPerIdentity,
                idleTimeout, handshakeTimeout, frameDeadline, inFlightFrameBudgetBytes, defaultDeadline, maxDeadline);
    }

    public TransportLimits withMaxStreamsPerConnection(int value) {
        return new TransportLimits(maxFrameBytes, writeBufferLowWaterMark, writeBufferHighWaterMark, streamWindow,
                maxCallsPerConnection, value, maxConnections, maxConnectionsPerIdentity, idleTimeout, handshakeTimeout,
                frameDeadline, inFlightFrameBudgetBytes, defaultDeadline, maxDeadline);
    }

    public TransportLimits withConnectionCaps(int total, int perIdentity) {
        return new TransportLimits(maxFrameBytes, writeBufferLowWaterMark, writeBufferHighWaterMark, streamWindow,
                maxCallsPerConnection, maxStreamsPerConnection, total, perIdentity, idleTimeout, handshakeTimeout,
                frameDeadline, inFlightFrameBudgetBytes, defaultDeadline, maxDeadline);
    }

    public TransportLimits withTimeouts(Duration idle, Duration handshake, Duration frame) {
        return new TransportLimits(maxFrameBytes, writeBufferLowWaterMark, writeBufferHighWaterMark, streamWindow,
                maxCallsPerConnection, maxStreamsPerConnection, maxConnections, maxConnectionsPerIdentity, idle,
                handshake, frame, inFlightFrameBudgetBytes, defaultDeadline, maxDeadline);
    }

    public TransportLimits withInFlightFrameBudgetBytes(long value) {
        return new TransportLimits(maxFrameBytes, writeBufferLowWaterMark, writeBufferHighWaterMark, streamWindow,
                maxCallsPerConnection, maxStreamsPerConnection, maxConnections, maxConnectionsPerIdentity, idleTimeout,
                handshakeTimeout, frameDeadline, value, defaultDeadline, maxDeadline);
    }

    public TransportLimits withDeadlines(Duration defaultValue, Duration maximum) {
        return new TransportLimits(maxFrameBytes, writeBufferLowWaterMark, writeBufferHighWaterMark, streamWindow,
                maxCallsPerConnection, maxStreamsPerConnection, maxConnections, maxConnectionsPerIdentity, idleTimeout,
                handshakeTimeout, frameDeadline, inFlightFrameBudgetBytes, defaultValue, maximum);
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
