package io.charter.common.transport.frame;

import io.charter.common.transport.ErrorCode;
import io.charter.protocol.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

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
 *   <li>With a frame deadline (servers): a frame whose first bytes arrived longer ago than the
 *       deadline and that is still incomplete: {@link ErrorCode#DEADLINE_EXCEEDED}, unusable.
 *   <li>With a {@link FrameBudget} (servers): a frame still arriving whose declared length does not
 *       fit in the budget shared by all connections: {@link ErrorCode#RESOURCE_EXHAUSTED}, unusable.
 * </ul>
 *
 * <p>Once the stream is unusable, every later byte is discarded unread.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    static final int MAX_CONSECUTIVE_MALFORMED = 16;

    private final int maxFrameBytes;
    private final Optional<Duration> frameDeadline;
    private final Optional<FrameBudget> budget;
    private boolean unusable;
    private int consecutiveMalformed;
    /** Frames completed so far: tells a deadline timer whether the frame it watches is still the same. */
    private long framesCompleted;
    private ScheduledFuture<?> deadlineTimer;
    private long reservedBytes;

    public FrameDecoder(int maxFrameBytes) {
        this(maxFrameBytes, Optional.empty(), Optional.empty());
    }

    /**
     * @param frameDeadline how long a frame may take to arrive once its first bytes did
     * @param budget bytes of incomplete frames that all connections sharing it may hold together
     */
    public FrameDecoder(int maxFrameBytes, Optional<Duration> frameDeadline, Optional<FrameBudget> budget) {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
        this.frameDeadline = frameDeadline;
        this.budget = budget;
    }

    public FrameDecoder() {
        this(DEFAULT_MAX_FRAME_BYTES);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        super.channelRead(ctx, msg);
        if (!unusable && actualReadableBytes() > 0) {
            watchIncompleteFrame(ctx);
        }
    }

    /** Starts the deadline of the incomplete frame now buffered, unless it already runs for it. */
    private void watchIncompleteFrame(ChannelHandlerContext ctx) {
        if (frameDeadline.isEmpty() || deadlineTimer != null) {
            return;
        }
        long watched = framesCompleted;
        long millis = frameDeadline.get().toMillis();
        deadlineTimer = ctx.executor().schedule(() -> {
            deadlineTimer = null;
            if (unusable || !ctx.channel().isActive()) {
                return;
            }
            if (framesCompleted != watched) {
                // that frame completed; the bytes buffered now belong to a later one, which gets its own time
                if (actualReadableBytes() > 0) {
                    watchIncompleteFrame(ctx);
                }
                return;
            }
            if (actualReadableBytes() > 0) {
                unusable = true;
                releaseReservation();
                ctx.fireChannelRead(new FramingError(ErrorCode.DEADLINE_EXCEEDED, "a frame took longer than "
                        + millis + " ms to arrive (" + actualReadableBytes() + " bytes received)", 0, false));
                internalBuffer().skipBytes(actualReadableBytes());
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
            deadlineTimer = null;
        }
        releaseReservation();
    }

    private void releaseReservation() {
        if (reservedBytes > 0) {
            budget.ifPresent(b -> b.release(reservedBytes));
            reservedBytes = 0;
        }
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
            if (budget.isPresent() && reservedBytes == 0 && length > 0) {
                if (!budget.get().tryReserve(length)) {
                    giveUp(in, out, new FramingError(ErrorCode.RESOURCE_EXHAUSTED, "the server is receiving "
                            + budget.get().reserved() + " bytes of frames already; a frame of " + length
                            + " bytes does not fit in its budget of " + budget.get().capacity() + " bytes; retry later", 0,
                            false));
                    return;
                }
                reservedBytes = length;
            }
            return;
        }
        releaseReservation();
        framesCompleted++;
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
        releaseReservation();
        in.skipBytes(in.readableBytes());
        out.add(error);
    }
}
