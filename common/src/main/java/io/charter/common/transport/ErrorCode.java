package io.charter.common.transport;

import io.charter.protocol.FrameErrorCode;

/**
 * Why a call or a connection failed. The names and wire numbers are those of {@link FrameErrorCode}
 * and are stable: callers branch on them.
 */
public enum ErrorCode {
    /** A frame's length prefix exceeds the configured maximum; the connection is closed. */
    FRAME_TOO_LARGE(FrameErrorCode.FRAME_TOO_LARGE),
    /** The bytes are not a well-formed frame (bad protobuf, missing fields, truncated frame). */
    MALFORMED_FRAME(FrameErrorCode.MALFORMED_FRAME),
    /** No handler is registered under the requested method. */
    UNKNOWN_METHOD(FrameErrorCode.UNKNOWN_METHOD),
    /** The call's deadline passed before it completed. */
    DEADLINE_EXCEEDED(FrameErrorCode.DEADLINE_EXCEEDED),
    /** The peer's identity could not be established (TLS refused its certificate). */
    UNAUTHENTICATED(FrameErrorCode.UNAUTHENTICATED),
    /** The peer is known but may not do this. */
    PERMISSION_DENIED(FrameErrorCode.PERMISSION_DENIED),
    /** A bug or unexpected failure on the side that reports it. */
    INTERNAL(FrameErrorCode.INTERNAL),
    /** The call was cancelled by its caller or by a shutdown. */
    CANCELLED(FrameErrorCode.CANCELLED),
    /** No connection: the peer is down, unreachable, or the connection dropped mid-call. */
    UNAVAILABLE(FrameErrorCode.UNAVAILABLE),
    /** A limit was hit: frame or message size, calls per connection, stream credit. */
    RESOURCE_EXHAUSTED(FrameErrorCode.RESOURCE_EXHAUSTED),
    /** The request is well framed but its content is unacceptable to the handler. */
    INVALID_ARGUMENT(FrameErrorCode.INVALID_ARGUMENT);

    private final FrameErrorCode wire;

    ErrorCode(FrameErrorCode wire) {
        this.wire = wire;
    }

    public FrameErrorCode toWire() {
        return wire;
    }

    /** Maps a received code; one this version does not know (or none) reads as {@link #INTERNAL}. */
    public static ErrorCode fromWire(FrameErrorCode code) {
        for (ErrorCode candidate : values()) {
            if (candidate.wire == code) {
                return candidate;
            }
        }
        return INTERNAL;
    }
}
