package io.charter.orderer.channel;

import io.charter.orderer.blockstore.BlockStore;
import io.charter.protocol.Block;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams a channel's blocks from a number on: the stored ones, then each new one as it is
 * committed, never more than the subscriber requested (back-pressure by demand, as in
 * {@link Flow}). Signals run on the given executor, one at a time per subscription.
 */
final class BlockPublisher implements Flow.Publisher<Block> {

    private final BlockStore store;
    private final long from;
    private final Executor executor;
    private final Set<Runnable> newBlockListeners;

    BlockPublisher(BlockStore store, long from, Executor executor, Set<Runnable> newBlockListeners) {
        this.store = store;
        this.from = from;
        this.executor = executor;
        this.newBlockListeners = newBlockListeners;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Block> subscriber) {
        Subscription subscription = new Subscription(subscriber);
        subscription.listener = subscription::signal;
        newBlockListeners.add(subscription.listener);
        subscriber.onSubscribe(subscription);
    }

    private final class Subscription implements Flow.Subscription {
        private final Flow.Subscriber<? super Block> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger work = new AtomicInteger();
        private volatile boolean cancelled;
        private long next = from;
        Runnable listener;

        Subscription(Flow.Subscriber<? super Block> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancel();
                subscriber.onError(new IllegalArgumentException("non-positive request " + n + " (rule 3.9)"));
                return;
            }
            demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            signal();
        }

        @Override
        public void cancel() {
            cancelled = true;
            newBlockListeners.remove(listener);
        }

        void signal() {
            if (!cancelled && work.getAndIncrement() == 0) {
                executor.execute(this::drain);
            }
        }

        private void drain() {
            do {
                try {
                    while (!cancelled && demand.get() > 0 && next < store.height()) {
                        Block block = store.get(next);
                        next++;
                        demand.decrementAndGet();
                        subscriber.onNext(block);
                    }
                } catch (Throwable e) {
                    cancel();
                    subscriber.onError(e);
                    return;
                }
            } while (work.decrementAndGet() != 0);
        }
    }
}
