package io.charter.common.transport.frame;

import com.google.protobuf.CodedOutputStream;
import io.charter.protocol.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a {@link Frame} as a 4-byte big-endian length followed by the frame's protobuf bytes.
 *
 * <p>The header fields are protobuf too rather than a hand-rolled binary header: the encoding is
 * already compact (varints) and self-describing, one schema serves every language that may ever
 * speak the protocol, and the benchmark shows the codec far below the cost of TLS. Callers keep
 * frames within the peer's size limit; this encoder does not police it.
 */
@Sharable
public final class FrameEncoder extends MessageToByteEncoder<Frame> {

    public static final int LENGTH_PREFIX_BYTES = 4;

    public FrameEncoder() {
        super(Frame.class);
    }

    /** Appends the length prefix and the frame to {@code out}, growing it as needed. */
    public static void encode(Frame frame, ByteBuf out) {
        int size = frame.getSerializedSize();
        out.ensureWritable(LENGTH_PREFIX_BYTES + size);
        out.writeInt(size);
        int start = out.writerIndex();
        try {
            // Serialize straight into the buffer's memory: no intermediate byte[].
            CodedOutputStream coded = CodedOutputStream.newInstance(out.nioBuffer(start, size));
            frame.writeTo(coded);
            coded.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize a frame into memory", e);
        }
        out.writerIndex(start + size);
    }

    /** The bytes {@link #encode} writes for {@code frame}. */
    public static int encodedSize(Frame frame) {
        return LENGTH_PREFIX_BYTES + frame.getSerializedSize();
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Frame frame, boolean preferDirect) {
        int size = encodedSize(frame);
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
        encode(frame, out);
    }
}
