package io.charter.membership.enrollment;

import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.util.IPAddress;

/**
 * Throttles enrollment attempts by where they come from, never by which identity they name alone: a
 * bucket per source address and one per (source address, enrollment id), both of {@link ThrottleLimits}.
 * Whether the id exists plays no part, so the answer tells nobody which ids exist; and since another
 * address has buckets of its own, nobody can lock an identity out for its legitimate holder. Penalties
 * decay (token buckets), so even the attacker's own address waits one refill period per attempt, not
 * forever. State is in memory and bounded: past the caps the least recently seen entries are forgotten
 * (which can only give an attacker back a few attempts, each paid for from its address's bucket).
 *
 * <p>Per service instance: N replicas behind one address allow N times the attempts. The secrets the
 * service generates (256 bits) cannot be guessed at any rate; the throttle protects the one chosen secret
 * (the bootstrap admin's) and the service's CPU.
 */
public final class EnrollmentThrottle {

    /** Enrollment ids are at most 128 characters; anything longer cannot exist and is keyed by its prefix. */
    private static final int MAX_KEYED_ID = 128;

    private final ThrottleLimits limits;
    private final Clock clock;
    private final Map<String, Bucket> sources;
    private final Map<String, Bucket> sourceIds;
    /** The most time a bucket banks: its burst of refill periods. */
    private final Duration sourceCapacity;
    private final Duration sourceAndIdCapacity;

    public EnrollmentThrottle(ThrottleLimits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sourceCapacity = limits.sourceRefill().multipliedBy(limits.failuresPerSource());
        this.sourceAndIdCapacity = limits.sourceAndIdRefill().multipliedBy(limits.failuresPerSourceAndId());
        this.sources = lru(limits.maxTrackedSources());
        this.sourceIds = lru(limits.maxTrackedSourceIds());
    }

    /**
     * Takes one attempt from the source's bucket and from the (source, id) bucket, or refuses when either is
     * empty. Call before the secret is checked; give the attempt back with {@link #forgive} when the secret
     * was right, so that only failures count.
     *
     * @throws MembershipException TOO_MANY_ATTEMPTS, with the time after which an attempt is possible again
     */
    public synchronized void admit(String source, String enrollmentId) {
        Instant now = clock.instant();
        String sourceKey = sourceKey(source);
        Bucket bySource = sources.computeIfAbsent(sourceKey,
                k -> new Bucket(limits.sourceRefill(), sourceCapacity, now));
        Bucket bySourceAndId = sourceIds.computeIfAbsent(pairKey(sourceKey, enrollmentId),
                k -> new Bucket(limits.sourceAndIdRefill(), sourceAndIdCapacity, now));
        bySource.refill(now);
        bySourceAndId.refill(now);
        Duration wait = max(bySource.untilNext(), bySourceAndId.untilNext());
        if (!wait.isZero()) {
            throw tooManyAttempts(wait);
        }
        bySource.take();
        bySourceAndId.take();
    }

    /** Gives back the attempt {@link #admit} took: the secret was right. */
    public synchronized void forgive(String source, String enrollmentId) {
        String sourceKey = sourceKey(source);
        Bucket bySource = sources.get(sourceKey);
        if (bySource != null) {
            bySource.giveBack();
        }
        Bucket bySourceAndId = sourceIds.get(pairKey(sourceKey, enrollmentId));
        if (bySourceAndId != null) {
            bySourceAndId.giveBack();
        }
    }

    /** Source addresses remembered now (at most {@link ThrottleLimits#maxTrackedSources()}). */
    public synchronized int trackedSources() {
        return sources.size();
    }

    /** (source, id) pairs remembered now (at most {@link ThrottleLimits#maxTrackedSourceIds()}). */
    public synchronized int trackedSourceIds() {
        return sourceIds.size();
    }

    /**
     * The key of a source address. An IPv6 client usually has a whole /64 to itself, so IPv6 addresses count
     * by their /64: otherwise one host could take 2^64 fresh buckets.
     */
    static String sourceKey(String source) {
        if (source != null && IPAddress.isValidIPv6(source)) {
            try {
                byte[] address = InetAddress.getByName(source).getAddress();
                StringBuilder prefix = new StringBuilder();
                for (int i = 0; i < 8; i += 2) {
                    prefix.append(Integer.toHexString(((address[i] & 0xff) << 8) | (address[i + 1] & 0xff))).append(':');
                }
                return prefix.append(":/64").toString();
            } catch (UnknownHostException e) {
                return source;
            }
        }
        return String.valueOf(source);
    }

    private static String pairKey(String sourceKey, String enrollmentId) {
        String id = String.valueOf(enrollmentId);
        return sourceKey + '\n' + (id.length() > MAX_KEYED_ID ? id.substring(0, MAX_KEYED_ID) : id);
    }

    private static MembershipException tooManyAttempts(Duration wait) {
        // whole seconds (HTTP Retry-After), rounded up: waiting that long is always enough
        long seconds = Math.max(1, wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0));
        return MembershipException.retryAfter(ErrorCode.TOO_MANY_ATTEMPTS, "too many failed enrollments from your"
                + " address; try again in " + seconds + " s, with the enrollment id and the secret returned at registration",
                Duration.ofSeconds(seconds));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static <V> Map<String, V> lru(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * A token bucket kept as the time it has banked: an attempt costs one refill period, and at most the burst's
     * worth of periods is banked. Durations, not a count of attempts in floating point, so that the arithmetic is
     * exact: a client that waits the Retry-After it was told is admitted, however its earlier attempts fell.
     */
    private static final class Bucket {
        private final Duration period;
        private final Duration capacity;
        private Duration banked;
        private Instant refilledAt;

        Bucket(Duration period, Duration capacity, Instant now) {
            this.period = period;
            this.capacity = capacity;
            this.banked = capacity;
            this.refilledAt = now;
        }

        void refill(Instant now) {
            if (now.isAfter(refilledAt)) {
                banked = min(capacity, banked.plus(Duration.between(refilledAt, now)));
                refilledAt = now;
            }
        }

        /** How long until one attempt is available: zero when one is. */
        Duration untilNext() {
            Duration wait = period.minus(banked);
            return wait.isNegative() ? Duration.ZERO : wait;
        }

        void take() {
            banked = banked.minus(period);
        }

        void giveBack() {
            banked = min(capacity, banked.plus(period));
        }
    }
}
