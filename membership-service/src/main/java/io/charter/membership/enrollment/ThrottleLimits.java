package io.charter.membership.enrollment;

import java.time.Duration;

/**
 * How many failed enrollments (wrong or unknown id, wrong secret) the service takes before it answers
 * {@code TOO_MANY_ATTEMPTS}, as two token buckets: one per source address, one per source address and
 * enrollment id. A bucket holds at most its burst and regains one attempt per refill period, so a
 * penalty never exceeds one refill period of waiting per attempt and is never a lock.
 *
 * @param failuresPerSource burst of failures one source address may make (any ids)
 * @param sourceRefill one more attempt for a source address per this period
 * @param failuresPerSourceAndId burst of failures one source address may make for one enrollment id
 * @param sourceAndIdRefill one more attempt for a source address and id per this period
 * @param maxTrackedSources source addresses remembered; past it the least recently seen is forgotten
 * @param maxTrackedSourceIds (source address, id) pairs remembered; likewise
 */
public record ThrottleLimits(
        int failuresPerSource,
        Duration sourceRefill,
        int failuresPerSourceAndId,
        Duration sourceAndIdRefill,
        int maxTrackedSources,
        int maxTrackedSourceIds) {

    public ThrottleLimits {
        if (failuresPerSource < 1 || failuresPerSourceAndId < 1 || maxTrackedSources < 1 || maxTrackedSourceIds < 1) {
            throw new IllegalArgumentException("enrollment throttle bursts and tracked counts must be at least 1");
        }
        for (Duration d : new Duration[] {sourceRefill, sourceAndIdRefill}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("enrollment throttle refill periods must be positive");
            }
        }
    }

    /**
     * 20 failures per source address, then one every 3 s (20 a minute); 5 per source address and id, then one
     * a minute; 10,000 addresses and 10,000 pairs remembered (a few MB at most).
     */
    public static ThrottleLimits defaults() {
        return new ThrottleLimits(20, Duration.ofSeconds(3), 5, Duration.ofMinutes(1), 10_000, 10_000);
    }
}
