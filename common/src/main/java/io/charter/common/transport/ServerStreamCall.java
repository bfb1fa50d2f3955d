package io.charter.common.transport;

import com.google.protobuf.ByteString;
import io.charter.common.transport.frame.FrameEncoder;
import io.charter.common.transport.frame.Frames;
import io.charter.protocol.Frame;
import java.time.Instant;
import java.util.Optional;

/** A server stream being served: the call and the {@link StreamSink} its handler writes to. */
final class ServerStreamCall extends ServerCall implements StreamSink {

    private final ServerStreamHandler handler;
    private long credit; // guarded by this
    private Runnable readyTask; // guarded by this
    private long itemsSent; // guarded by this

    ServerStreamCall(ServerConnection connection, long requestId, String method, Optional<Instant> deadline,
                     ServerStreamHandler handler, int initialCredit) {
        super(connection, requestId, method, deadline);
        this.handler = handler;
        this.credit = initialCredit;
    }

    @Override
    void start(ByteString request) {
        if (isFinished()) {
            return;
        }
        handler.handle(this, request, this);
    }

    @Override
    public boolean isReady() {
        synchronized (this) {
            return readyNow();
        }
    }

    private boolean readyNow() {
        return credit > 0 && !isFinished() && connection.isWritable();
    }

    @Override
    public void onReady(Runnable task) {
        synchronized (this) {
            readyTask = task;
        }
        fireReadyIfReady();
    }

    @Override
    public void send(ByteString item) {
        Frame frame = Frames.streamItem(requestId, item);
        int size = FrameEncoder.encodedSize(frame) - FrameEncoder.LENGTH_PREFIX_BYTES;
        if (size > connection.limits().maxFrameBytes()) {
            TransportException tooLarge = new TransportException(ErrorCode.RESOURCE_EXHAUSTED, "an item of "
                    + method() + " is " + size + " bytes, above the frame limit of " + connection.limits().maxFrameBytes());
            fail(tooLarge);
            throw tooLarge;
        }
        synchronized (this) {
            if (isFinished()) {
                throw new TransportException(ErrorCode.CANCELLED, "the stream " + method() + " is over");
            }
            if (credit <= 0) {
                throw new IllegalStateException("the caller granted no credit for another item of " + method()
                        + "; send only while isReady()");
            }
            credit--;
            itemsSent++;
            // Written under the lock so that items keep the order in which they were counted.
            connection.write(frame);
        }
    }

    @Override
    public void complete() {
        sendFinal(Frames.streamEnd(requestId));
    }

    @Override
    public void fail(TransportException error) {
        sendError(error.code(), error.detail());
    }

    @Override
    public synchronized long itemsSent() {
        return itemsSent;
    }

    @Override
    public long pendingOutboundBytes() {
        return connection.pendingOutboundBytes();
    }

    /** The caller made room for {@code more} items; called on the network thread. */
    void addCredit(int more) {
        synchronized (this) {
            credit = Math.min(Long.MAX_VALUE / 2, credit + Integer.toUnsignedLong(more));
        }
        fireReadyIfReady();
    }

    /** The connection's writability changed; called on the network thread. */
    void writabilityChanged() {
        fireReadyIfReady();
    }

    private void fireReadyIfReady() {
        Runnable task;
        synchronized (this) {
            if (readyTask == null || !readyNow()) {
                return;
            }
            task = readyTask;
            readyTask = null;
        }
        connection.runHandlerTask(this, task);
    }
}
