package io.charter.common.transport;

import com.google.protobuf.ByteString;
import io.charter.common.transport.frame.Frames;
import io.charter.protocol.Frame;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call made by a {@link TransportClient}. It ends exactly once: answer, error, deadline,
 * cancellation or lost connection, whichever comes first.
 */
abstract sealed class ClientCall permits ClientUnaryCall, ClientStreamCall {

    final String method;
    final ByteString request;
    private final long deadlineNanos;
    private final long deadlineMillis;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile ClientConnection connection;
    private volatile long requestId;
    private volatile ScheduledFuture<?> deadlineTimer;

    ClientCall(String method, ByteString request, long deadlineMillis) {
        this.method = method;
        this.request = request;
        this.deadlineMillis = deadlineMillis;
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
    }

    /** Stream items the server may send before the first CREDIT frame; 0 for unary calls. */
    abstract int initialCredit();

    /** The request frame, with the time the caller still waits, measured now. */
    Frame requestFrame(long id) {
        long remainingMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        return Frames.request(id, method, request, remainingMillis, initialCredit());
    }

    long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }

    void deadlineTimer(ScheduledFuture<?> timer) {
        deadlineTimer = timer;
        if (finished.get()) {
            timer.cancel(false);
        }
    }

    /** Binds the call to the connection that carries it; false when the call already ended. */
    boolean attach(ClientConnection carrier, long id) {
        this.requestId = id;
        this.connection = carrier;
        return !finished.get();
    }

    boolean isFinished() {
        return finished.get();
    }

    /** Claims the right to end the call; true for exactly one caller. */
    final boolean finish() {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> timer = deadlineTimer;
        if (timer != null) {
            timer.cancel(false);
        }
        ClientConnection carrier = connection;
        if (carrier != null) {
            carrier.forget(requestId, this);
        }
        return true;
    }

    final void fail(ErrorCode code, String message) {
        if (finish()) {
            failed(new TransportException(code, message));
        }
    }

    /** The deadline passed: give up and tell the server to stop working on it. */
    final void expire() {
        if (finish()) {
            sendCancel();
            failed(new TransportException(ErrorCode.DEADLINE_EXCEEDED,
                    "no complete answer to " + method + " within " + deadlineMillis + " ms"));
        }
    }

    /** The caller gave up. */
    final void cancelByCaller() {
        if (finish()) {
            sendCancel();
            failed(new TransportException(ErrorCode.CANCELLED, method + " was cancelled by the caller"));
        }
    }

    final void sendCancel() {
        ClientConnection carrier = connection;
        if (carrier != null) {
            carrier.write(Frames.cancel(requestId));
        }
    }

    final void sendCredit(int credit) {
        ClientConnection carrier = connection;
        if (carrier != null && !isFinished()) {
            carrier.write(Frames.credit(requestId, credit));
        }
    }

    /** Reports the failure to whoever waits; called once, after {@link #finish()}. */
    abstract void failed(TransportException failure);

    abstract void onResponse(ByteString body);

    abstract void onStreamItem(ByteString body);

    abstract void onStreamEnd();

    final void onError(ErrorCode code, String reason, String message) {
        if (finish()) {
            failed(TransportException.fromWire(code, reason, message));
        }
    }
}
