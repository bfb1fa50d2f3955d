package io.charter.common.transport.frame;

import com.google.protobuf.ByteString;
import io.charter.common.transport.ErrorCode;
import io.charter.protocol.Frame;
import io.charter.protocol.FrameError;
import io.charter.protocol.FrameKind;

/** Builds the frames of the protocol, so that each kind carries exactly the fields it should. */
public final class Frames {

    private Frames() {}

    public static Frame request(long requestId, String method, ByteString body, long deadlineMillis, int credit) {
        return Frame.newBuilder()
                .setRequestId(requestId)
                .setKind(FrameKind.FRAME_KIND_REQUEST)
                .setMethod(method)
                .setBody(body)
                .setDeadlineMillis(deadlineMillis)
                .setCredit(credit)
                .build();
    }

    public static Frame response(long requestId, ByteString body) {
        return Frame.newBuilder().setRequestId(requestId).setKind(FrameKind.FRAME_KIND_RESPONSE).setBody(body).build();
    }

    public static Frame streamItem(long requestId, ByteString body) {
        return Frame.newBuilder().setRequestId(requestId).setKind(FrameKind.FRAME_KIND_STREAM_ITEM).setBody(body).build();
    }

    public static Frame streamEnd(long requestId) {
        return Frame.newBuilder().setRequestId(requestId).setKind(FrameKind.FRAME_KIND_STREAM_END).build();
    }

    public static Frame cancel(long requestId) {
        return Frame.newBuilder().setRequestId(requestId).setKind(FrameKind.FRAME_KIND_CANCEL).build();
    }

    public static Frame credit(long requestId, int credit) {
        return Frame.newBuilder().setRequestId(requestId).setKind(FrameKind.FRAME_KIND_CREDIT).setCredit(credit).build();
    }

    public static Frame error(long requestId, ErrorCode code, String message) {
        return error(requestId, code, "", message);
    }

    /** An ERROR frame with the method's own stable {@code reason} (empty for none). */
    public static Frame error(long requestId, ErrorCode code, String reason, String message) {
        return Frame.newBuilder()
                .setRequestId(requestId)
                .setKind(FrameKind.FRAME_KIND_ERROR)
                .setError(FrameError.newBuilder().setCode(code.toWire()).setMessage(message).setReason(reason))
                .build();
    }

    /**
     * Checks what protobuf cannot: that the kind is known and the fields the kind needs are there.
     *
     * @return the problem, or an empty string when the frame is well formed
     */
    public static String problemWith(Frame frame) {
        FrameKind kind = frame.getKind();
        if (kind == FrameKind.FRAME_KIND_UNSPECIFIED || kind == FrameKind.UNRECOGNIZED) {
            return "unknown frame kind " + frame.getKindValue();
        }
        if (frame.getRequestId() == 0 && kind != FrameKind.FRAME_KIND_ERROR) {
            return kind + " frame without a request id";
        }
        if (kind == FrameKind.FRAME_KIND_REQUEST && frame.getMethod().isEmpty()) {
            return "request " + frame.getRequestId() + " names no method";
        }
        if (kind == FrameKind.FRAME_KIND_ERROR && !frame.hasError()) {
            return "error frame without an error";
        }
        return "";
    }
}
