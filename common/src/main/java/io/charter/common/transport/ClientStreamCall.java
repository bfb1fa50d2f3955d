package io.charter.common.transport;

import com.google.protobuf.ByteString;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server stream consumed through a {@link Flow.Subscriber}, with credit-based flow control: the
 * server may send only as many items as this call has room for ({@code window}), and room is granted
 * again only as the subscriber finishes with items. So the client buffers at most {@code window}
 * items and the server never produces more than {@code window} ahead of the subscriber, however slow
 * it is. Signals reach the subscriber one at a time on the callback executor, never on a network
 * thread, in the order they arrived: a failure (the server's error, a lost connection, the deadline)
 * is signalled after the items received before it, as the subscriber requests them.
 */
final class ClientStreamCall extends ClientCall implements Flow.Subscription {

    private static final Logger log = LoggerFactory.getLogger(ClientStreamCall.class);

    private final Flow.Subscriber<? super ByteString> subscriber;
    private final Executor callbackExecutor;
    private final int window;
    private final Object lock = new Object();
    private final ArrayDeque<ByteString> queue = new ArrayDeque<>(); // guarded by lock
    private long demand; // guarded by lock
    private int creditInFlight; // guarded by lock: granted, not yet used by the server
    private boolean ended; // guarded by lock: STREAM_END received
    private TransportException error; // guarded by lock
    private boolean terminated; // guarded by lock: the subscriber got its last signal or cancelled
    private boolean draining; // guarded by lock

    ClientStreamCall(String method, ByteString request, long deadlineMillis,
                     Flow.Subscriber<? super ByteString> subscriber, Executor callbackExecutor, int window) {
        super(method, request, deadlineMillis);
        this.subscriber = subscriber;
        this.callbackExecutor = callbackExecutor;
        this.window = window;
        this.creditInFlight = window;
    }

    @Override
    int initialCredit() {
        return window;
    }

    // Flow.Subscription, called by the subscriber

    @Override
    public void request(long n) {
        synchronized (lock) {
            if (n <= 0 && error == null) {
                error = new TransportException(ErrorCode.INTERNAL,
                        "the subscriber requested " + n + " items (rule 3.9: must be positive)");
                queue.clear();
            } else {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            }
        }
        if (n <= 0) {
            cancelByCaller();
        }
        scheduleDrain();
    }

    @Override
    public void cancel() {
        synchronized (lock) {
            terminated = true;
            queue.clear();
        }
        cancelByCaller();
    }

    // From the connection, on the network thread

    @Override
    void onStreamItem(ByteString body) {
        boolean overrun;
        synchronized (lock) {
            overrun = creditInFlight == 0;
            if (!overrun) {
                creditInFlight--;
                queue.add(body);
            }
        }
        if (overrun) {
            fail(ErrorCode.RESOURCE_EXHAUSTED, "the server sent more items of " + method + " than it had credit for");
            sendCancel();
            return;
        }
        scheduleDrain();
    }

    @Override
    void onStreamEnd() {
        if (finish()) {
            synchronized (lock) {
                ended = true;
            }
            scheduleDrain();
        }
    }

    @Override
    void onResponse(ByteString body) {
        fail(ErrorCode.INTERNAL, "the server answered the stream call " + method + " as if it were unary");
    }

    @Override
    void failed(TransportException failure) {
        synchronized (lock) {
            if (error == null) {
                // the items that arrived before the failure are still delivered first, in order (as gRPC delivers
                // messages before the status): a stream that failed after block 3 has still delivered block 3
                error = failure;
            }
        }
        scheduleDrain();
    }

    private void scheduleDrain() {
        synchronized (lock) {
            if (draining || terminated) {
                return;
            }
            draining = true;
        }
        try {
            callbackExecutor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                draining = false;
                terminated = true;
            }
        }
    }

    private void drain() {
        while (true) {
            ByteString item = null;
            TransportException failure = null;
            boolean complete = false;
            synchronized (lock) {
                if (terminated) {
                    draining = false;
                    return;
                }
                if (demand > 0 && !queue.isEmpty()) {
                    item = queue.poll();
                    demand--;
                } else if (error != null && queue.isEmpty()) {
                    failure = error;
                    terminated = true;
                } else if (ended && queue.isEmpty()) {
                    complete = true;
                    terminated = true;
                } else {
                    draining = false;
                    return;
                }
            }
            try {
                if (failure != null) {
                    subscriber.onError(failure);
                } else if (complete) {
                    subscriber.onComplete();
                } else {
                    subscriber.onNext(item);
                    grantCreditForConsumedItems();
                }
            } catch (RuntimeException e) {
                log.warn("the subscriber of {} threw (rule 2.13); cancelling the stream", method, e);
                cancel();
            }
        }
    }

    /** Tops the server's credit back up to the window once half of it is free, not item by item. */
    private void grantCreditForConsumedItems() {
        int grant = 0;
        synchronized (lock) {
            int free = window - queue.size() - creditInFlight;
            if (!ended && free >= Math.max(1, window / 2)) {
                creditInFlight += free;
                grant = free;
            }
        }
        if (grant > 0) {
            sendCredit(grant);
        }
    }
}
