package io.charter.common.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * Waiting in tests for what happens on other threads or in other processes: polls a condition until it holds.
 * The patience only keeps a broken test from hanging the build; no test asserts on how long anything took.
 */
public final class Await {

    /** Enough for a leader election or a block on a busy 2-core machine, with room to spare. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 20;

    private Await() {}

    /** Waits until {@code condition} holds, at most {@link #PATIENCE}; fails with {@code what} otherwise. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, PATIENCE);
    }

    public static void until(String what, BooleanSupplier condition, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            pause(POLL_MILLIS);
        }
    }

    /**
     * As {@link #until}, for a condition that asks something that may not answer yet (a node still starting): an
     * exception counts as "not yet", and the last one is the cause of the failure if the condition never holds.
     */
    public static void untilAnswered(String what, Callable<Boolean> condition, Duration patience, Duration interval) {
        long deadline = System.nanoTime() + patience.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what, last);
            }
            pause(interval.toMillis());
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
