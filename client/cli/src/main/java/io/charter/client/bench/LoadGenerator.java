package io.charter.client.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator in the manner of Hyperledger Caliper, over transactions prepared before the clock
 * starts: it only sends them and waits for each one's outcome, in one of two modes:
 *
 * <ul>
 *   <li><b>fixed backlog</b>: keeps {@code backlog} transactions outstanding, sending the next as soon as one
 *       finishes (measures the maximum rate);
 *   <li><b>fixed rate</b>: sends at {@code rate} per second whatever the outcomes (measures latency at a
 *       chosen load, e.g. 75 % of the maximum).
 * </ul>
 *
 * Each send runs on a virtual thread; the clock covers sending and committing only.
 *
 * @param <T> a prepared transaction
 */
public final class LoadGenerator<T> {

    /** What one send ended in. */
    public enum Outcome { SUCCEEDED, MVCC_INVALID, FAILED }

    /** Sends one prepared transaction and waits for its outcome (never throws: failures are outcomes). */
    @FunctionalInterface
    public interface Sender<T> {
        Outcome send(T transaction);
    }

    /** How to pace the sends. */
    public sealed interface Mode permits FixedBacklog, FixedRate {}

    public record FixedBacklog(int backlog) implements Mode {
        public FixedBacklog {
            if (backlog < 1) {
                throw new IllegalArgumentException("the backlog is at least 1, not " + backlog);
            }
        }
    }

    public record FixedRate(double perSecond) implements Mode {
        public FixedRate {
            if (!(perSecond > 0)) {
                throw new IllegalArgumentException("the rate is above 0, not " + perSecond);
            }
        }
    }

    private final Sender<T> sender;

    public LoadGenerator(Sender<T> sender) {
        this.sender = sender;
    }

    /** Sends every transaction of {@code prepared} in {@code mode} and reports. */
    public BenchReport run(List<T> prepared, Mode mode) throws InterruptedException {
        int count = prepared.size();
        long[] latencies = new long[count];
        Outcome[] outcomes = new Outcome[count];
        AtomicLong lastDone = new AtomicLong();
        long start = System.nanoTime();
        long lastSent;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore outstanding = mode instanceof FixedBacklog backlog ? new Semaphore(backlog.backlog()) : null;
            long sent = start;
            for (int i = 0; i < count; i++) {
                if (outstanding != null) {
                    outstanding.acquire();
                } else {
                    long due = start + (long) (i * 1e9 / ((FixedRate) mode).perSecond());
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                int index = i;
                sent = System.nanoTime();
                long sentAt = sent;
                threads.execute(() -> {
                    Outcome outcome;
                    try {
                        outcome = sender.send(prepared.get(index));
                    } catch (RuntimeException e) {
                        outcome = Outcome.FAILED;
                    }
                    long done = System.nanoTime();
                    latencies[index] = done - sentAt;
                    outcomes[index] = outcome;
                    lastDone.accumulateAndGet(done, Math::max);
                    if (outstanding != null) {
                        outstanding.release();
                    }
                });
            }
            lastSent = sent;
        }
        return BenchReport.of(mode, outcomes, latencies, Duration.ofNanos(lastSent - start),
                Duration.ofNanos(lastDone.get() - start));
    }
}
