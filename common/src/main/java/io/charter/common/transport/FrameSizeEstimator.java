package io.charter.common.transport;

import io.charter.common.transport.frame.FrameEncoder;
import io.charter.protocol.Frame;
import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.MessageSizeEstimator;

/**
 * Tells Netty how many bytes a {@link Frame} will take. Without it a frame written from a handler
 * thread counts as 8 bytes until the network thread encodes it, so the connection would look
 * writable while megabytes of frames wait in its task queue, and back-pressure would come too late.
 */
final class FrameSizeEstimator implements MessageSizeEstimator {

    static final FrameSizeEstimator INSTANCE = new FrameSizeEstimator();

    private static final Handle HANDLE = new Handle() {
        private final Handle fallback = DefaultMessageSizeEstimator.DEFAULT.newHandle();

        @Override
        public int size(Object message) {
            // getSerializedSize() is memoized by protobuf: the encoder reuses it.
            return message instanceof Frame frame ? FrameEncoder.encodedSize(frame) : fallback.size(message);
        }
    };

    private FrameSizeEstimator() {}

    @Override
    public Handle newHandle() {
        return HANDLE;
    }
}
