package io.charter.common.transport.frame;

import io.charter.protocol.Frame;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/** Feeds bytes through a {@link FrameDecoder} exactly as a connection would, and collects what comes out. */
final class DecodedStream {

    private DecodedStream() {}

    /**
     * Writes {@code bytes} in pieces split at {@code cuts} (offsets, any order, out-of-range ignored),
     * then closes the channel. Any exception escaping the decoder propagates from here.
     */
    static List<Object> decode(byte[] bytes, List<Integer> cuts, int maxFrameBytes) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(maxFrameBytes));
        List<Object> out = new ArrayList<>();
        int start = 0;
        for (int cut : cuts.stream().filter(c -> c > 0 && c < bytes.length).sorted().distinct().toList()) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, start, cut - start));
            drain(channel, out);
            start = cut;
        }
        if (start < bytes.length) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, start, bytes.length - start));
        }
        channel.finish();
        drain(channel, out);
        channel.checkException();
        return out;
    }

    static byte[] encode(Frame... frames) {
        var buffer = Unpooled.buffer();
        for (Frame frame : frames) {
            FrameEncoder.encode(frame, buffer);
        }
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        buffer.release();
        return bytes;
    }

    private static void drain(EmbeddedChannel channel, List<Object> out) {
        for (Object message = channel.readInbound(); message != null; message = channel.readInbound()) {
            out.add(message);
        }
    }
}
