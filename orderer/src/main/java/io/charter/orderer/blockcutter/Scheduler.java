package io.charter.orderer.blockcutter;

import java.time.Duration;

/**
 * Runs a task after a delay. The block cutter takes its timer from here so that tests drive time
 * by hand instead of sleeping.
 */
@FunctionalInterface
public interface Scheduler {

    Cancellable schedule(Duration delay, Runnable task);

    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
