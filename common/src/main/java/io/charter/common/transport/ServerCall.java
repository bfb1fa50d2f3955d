package io.charter.common.transport;

import com.google.protobuf.ByteString;
import io.charter.common.transport.frame.FrameEncoder;
import io.charter.common.transport.frame.Frames;
import io.charter.protocol.Frame;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call being served. It ends exactly once (answer, error, or cancellation); whichever comes
 * first wins and the others do nothing, so the handler, the deadline timer and the network thread
 * can race freely.
 */
abstract sealed class ServerCall implements CallContext permits ServerCall.Unary, ServerStreamCall {

    private static final Logger log = LoggerFactory.getLogger(ServerCall.class);

    final ServerConnection connection;
    final long requestId;
    private final String method;
    private final Optional<Instant> deadline;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final CopyOnWriteArrayList<Runnable> cancelListeners = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;
    private volatile ScheduledFuture<?> deadlineTimer;

    ServerCall(ServerConnection connection, long requestId, String method, Optional<Instant> deadline) {
        this.connection = connection;
        this.requestId = requestId;
        this.method = method;
        this.deadline = deadline;
    }

    /** Runs the handler; called on the handler executor. */
    abstract void start(ByteString request);

    void deadlineTimer(ScheduledFuture<?> timer) {
        this.deadlineTimer = timer;
        if (finished.get()) {
            timer.cancel(false);
        }
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return connection.peerCertificates();
    }

    @Override
    public String peerAddress() {
        return connection.peerAddress();
    }

    @Override
    public Optional<Instant> deadline() {
        return deadline;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void onCancel(Runnable listener) {
        cancelListeners.add(listener);
        if (cancelled && cancelListeners.remove(listener)) {
            listener.run();
        }
    }

    boolean isFinished() {
        return finished.get();
    }

    /** Claims the right to end the call; true for exactly one caller. */
    final boolean finish() {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        connection.forget(this);
        ScheduledFuture<?> timer = deadlineTimer;
        if (timer != null) {
            timer.cancel(false);
        }
        return true;
    }

    /** Ends the call because nobody waits for it any more; tells the caller only if it still listens. */
    final void cancel(ErrorCode code, String message, boolean tellCaller) {
        if (!finish()) {
            return;
        }
        cancelled = true;
        for (Runnable listener : cancelListeners) {
            if (cancelListeners.remove(listener)) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    log.warn("a cancellation listener of {} failed", method, e);
                }
            }
        }
        if (tellCaller) {
            connection.write(Frames.error(requestId, code, message));
        }
    }

    final void failWith(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof TransportException transportFailure) {
            if (finish()) {
                connection.write(Frames.error(requestId, transportFailure.code(), transportFailure.reason().orElse(""),
                        transportFailure.detail()));
            }
        } else {
            if (finished.get()) {
                return;
            }
            log.warn("handler of {} failed for {}", method, connection.peerAddress(), cause);
            sendError(ErrorCode.INTERNAL, "the handler of " + method + " failed (" + cause.getClass().getSimpleName() + ")");
        }
    }

    final void sendError(ErrorCode code, String message) {
        if (finish()) {
            connection.write(Frames.error(requestId, code, message));
        }
    }

    /** Writes a frame that ends the call, or an error if the frame is too large to send. */
    final void sendFinal(Frame frame) {
        if (!finish()) {
            return;
        }
        int size = FrameEncoder.encodedSize(frame) - FrameEncoder.LENGTH_PREFIX_BYTES;
        if (size > connection.limits().maxFrameBytes()) {
            connection.write(Frames.error(requestId, ErrorCode.RESOURCE_EXHAUSTED, "the answer of " + method
                    + " is " + size + " bytes, above the frame limit of " + connection.limits().maxFrameBytes()));
            return;
        }
        connection.write(frame);
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static final class Unary extends ServerCall {

        private final UnaryHandler handler;

        Unary(ServerConnection connection, long requestId, String method, Optional<Instant> deadline, UnaryHandler handler) {
            super(connection, requestId, method, deadline);
            this.handler = handler;
        }

        @Override
        void start(ByteString request) {
            if (isFinished()) {
                return; // cancelled or expired while queued: do not run work nobody waits for
            }
            var answer = handler.handle(this, request);
            if (answer == null) {
                sendError(ErrorCode.INTERNAL, "the handler of " + method() + " returned no answer");
                return;
            }
            onCancel(() -> answer.cancel(true));
            answer.whenComplete((response, failure) -> {
                if (failure != null) {
                    failWith(failure);
                } else if (response == null) {
                    sendError(ErrorCode.INTERNAL, "the handler of " + method() + " answered null");
                } else {
                    sendFinal(Frames.response(requestId, response));
                }
            });
        }
    }
}
