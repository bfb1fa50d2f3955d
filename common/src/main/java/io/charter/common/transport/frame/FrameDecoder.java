package io.charter.common.transport.frame;

import io.charter.common.transport.ErrorCode;
import io.charter.protocol.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the inbound byte stream into {@link Frame}s (4-byte big-endian length, then that many
 * bytes of protobuf). It never throws: every input yields frames, and at worst one or more
 * {@link FramingError}s, which the next handler turns into ERROR frames.
 *
 * <ul>
 *   <li>A length above the limit is refused as soon as its 4 bytes arrive, before any memory is set
 *       aside for the body: {@link ErrorCode#FRAME_TOO_LARGE}, and the stream is unusable from there.
 *   <li>Bytes inside a sound length prefix that are not a well-formed frame: {@link
 *       ErrorCode#MALFORMED_FRAME}, and decoding goes on with the next frame, since the length
 *       prefix still tells where it starts. After {@value #MAX_CONSECUTIVE_MALFORMED} malformed
 *       frames in a row the peer is clearly not speaking this protocol and the stream is given up.
 *   <li>The connection closing with part of a frame buffered: {@link ErrorCode#MALFORMED_FRAME},
 *       unusable (there is nobody left to answer, but the next handler logs it).
 * </ul>
 *
 * <p>Once the stream is unusable, every later byte is discarded unread.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    static final int MAX_CONSECUTIVE_MALFORMED = 16;

    private final int maxFrameBytes;
    private boolean unusable;
    private int consecutiveMalformed;

    public FrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    public FrameDecoder() {
        this(DEFAULT_MAX_FRAME_BYTES);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (unusable) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < FrameEncoder.LENGTH_PREFIX_BYTES) {
            return;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        if (length > maxFrameBytes) {
            giveUp(in, out, new FramingError(ErrorCode.FRAME_TOO_LARGE,
                    "frame of " + length + " bytes exceeds the limit of " + maxFrameBytes + " bytes", 0, false));
            return;
        }
        if (in.readableBytes() < FrameEncoder.LENGTH_PREFIX_BYTES + length) {
            return;
        }
        in.skipBytes(FrameEncoder.LENGTH_PREFIX_BYTES);
        ByteBuf body = in.readSlice((int) length);
        Frame frame;
        try {
            frame = Frame.parseFrom(body.nioBuffer());
        } catch (Exception e) {
            // InvalidProtocolBufferException in practice; anything else is a parser bug that must
            // not escape into the pipeline either.
            malformed(in, out, "frame of " + length + " bytes is not a protobuf Frame: " + e.getMessage(), 0);
            return;
        }
        String problem = Frames.problemWith(frame);
        if (!problem.isEmpty()) {
            malformed(in, out, problem, frame.getRequestId());
            return;
        }
        consecutiveMalformed = 0;
        out.add(frame);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.isReadable()) {
            decode(ctx, in, out);
        }
        if (!unusable && in.isReadable()) {
            int buffered = in.readableBytes();
            String expected = buffered >= FrameEncoder.LENGTH_PREFIX_BYTES
                    ? " of " + (FrameEncoder.LENGTH_PREFIX_BYTES + in.getUnsignedInt(in.readerIndex()))
                    : "";
            giveUp(in, out, new FramingError(ErrorCode.MALFORMED_FRAME,
                    "connection closed in the middle of a frame (" + buffered + expected + " bytes received)", 0, false));
        }
    }

    /** Whether the stream has become unusable; every later byte is discarded. */
    public boolean isUnusable() {
        return unusable;
    }

    private void malformed(ByteBuf in, List<Object> out, String message, long requestId) {
        if (++consecutiveMalformed >= MAX_CONSECUTIVE_MALFORMED) {
            giveUp(in, out, new FramingError(ErrorCode.MALFORMED_FRAME,
                    message + "; " + consecutiveMalformed + " malformed frames in a row, giving up on the connection",
                    requestId, false));
            return;
        }
        out.add(new FramingError(ErrorCode.MALFORMED_FRAME, message, requestId, true));
    }

    private void giveUp(ByteBuf in, List<Object> out, FramingError error) {
        unusable = true;
        in.skipBytes(in.readableBytes());
        out.add(error);
    }
}
