package io.charter.common.transport.frame;

import io.charter.common.transport.ErrorCode;
import java.util.Objects;

/**
 * What {@link FrameDecoder} emits instead of a frame when the bytes are not one. The decoder never
 * throws; it hands this to the next handler, which answers the peer with an ERROR frame.
 *
 * @param requestId the request the bad frame belonged to when it could be read, else 0
 * @param connectionUsable false when the byte stream can no longer be split into frames (oversized
 *     length prefix, too many malformed frames, connection closed mid-frame): the decoder then
 *     discards every later byte and the connection must be closed after the error is sent
 */
public record FramingError(ErrorCode code, String message, long requestId, boolean connectionUsable) {

    public FramingError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
