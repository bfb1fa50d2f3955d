package io.charter.common.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long a client waits before its next connection attempt: exponential growth from {@code
 * initialDelay} by {@code multiplier} per failed attempt, capped at {@code maxDelay}, then reduced
 * by a random fraction of up to {@code jitter} so that the clients of a restarted node do not all
 * come back in the same instant.
 */
public record ReconnectBackoff(Duration initialDelay, Duration maxDelay, double multiplier, double jitter) {

    public ReconnectBackoff {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 < initialDelay <= maxDelay");
        }
        if (!(multiplier >= 1.0) || !(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("need multiplier >= 1 and 0 <= jitter < 1");
        }
    }

    /** 100 ms, doubling, capped at 10 s, up to 20% jitter. */
    public static ReconnectBackoff defaults() {
        return new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(10), 2.0, 0.2);
    }

    /**
     * The delay before attempt {@code failedAttempts + 1}: never above {@code maxDelay}, never below
     * {@code (1 - jitter)} times the un-jittered delay.
     */
    public Duration delay(int failedAttempts, RandomGenerator random) {
        double capMillis = maxDelay.toMillis();
        double millis = Math.min(capMillis, initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts)));
        double jittered = millis * (1.0 - jitter * random.nextDouble());
        return Duration.ofMillis(Math.max(1, Math.round(jittered)));
    }
}
