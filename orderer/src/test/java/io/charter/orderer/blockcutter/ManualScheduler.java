package io.charter.orderer.blockcutter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A scheduler whose clock moves only when the test says so. Tasks run on the test's thread. */
public final class ManualScheduler implements Scheduler {

    private final List<Task> tasks = new ArrayList<>();
    private long nowNanos;
    private long sequence;

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Task scheduled = new Task(nowNanos + delay.toNanos(), sequence++, task);
        tasks.add(scheduled);
        return () -> tasks.remove(scheduled);
    }

    /** Moves the clock forward, running every task that falls due, in due order. */
    public void advance(Duration duration) {
        long target = nowNanos + duration.toNanos();
        while (true) {
            Task next = tasks.stream()
                    .filter(t -> t.dueNanos <= target)
                    .min(Comparator.comparingLong((Task t) -> t.dueNanos).thenComparingLong(t -> t.sequence))
                    .orElse(null);
            if (next == null) {
                break;
            }
            tasks.remove(next);
            nowNanos = next.dueNanos;
            next.task.run();
        }
        nowNanos = target;
    }

    public int scheduledCount() {
        return tasks.size();
    }

    private record Task(long dueNanos, long sequence, Runnable task) {}
}
