package io.charter.membership.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.charter.common.testing.MutableClock;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnrollmentThrottleTest {

    private final MutableClock clock = MutableClock.atNow();
    private final ThrottleLimits limits = new ThrottleLimits(10, Duration.ofSeconds(3), 3, Duration.ofMinutes(1), 100, 100);
    private final EnrollmentThrottle throttle = new EnrollmentThrottle(limits, clock);

    @Test
    void failuresForOneIdFromOneAddressAreRefusedAfterTheBurstThenAdmittedAgainAsTheBucketRefills() {
        for (int i = 0; i < 3; i++) {
            throttle.admit("10.0.0.1", "alice");
        }
        MembershipException refused = refused("10.0.0.1", "alice");
        assertThat(refused.retryAfter()).contains(Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(30));
        assertThat(refused("10.0.0.1", "alice").retryAfter()).contains(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        throttle.admit("10.0.0.1", "alice");
        refused("10.0.0.1", "alice");
    }

    @Test
    void theRetryAfterIsTheWaitRoundedUpToAWholeSecond() {
        for (int i = 0; i < 3; i++) {
            throttle.admit("10.0.0.1", "alice");
        }
        clock.advance(Duration.ofMillis(30_500));
        assertThat(refused("10.0.0.1", "alice").retryAfter()).contains(Duration.ofSeconds(30));
        clock.advance(Duration.ofMillis(29_499));
        assertThat(refused("10.0.0.1", "alice").retryAfter()).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofMillis(1));
        throttle.admit("10.0.0.1", "alice");
    }

    @Test
    void anotherAddressIsNotLockedOutByFailuresFromTheFirst() {
        for (int i = 0; i < 3; i++) {
            throttle.admit("10.0.0.1", "alice");
        }
        refused("10.0.0.1", "alice");
        throttle.admit("10.0.0.2", "alice");
    }

    @Test
    void anAddressTryingManyIdsIsRefusedOnceItsOwnBucketIsEmptyWhateverTheId() {
        for (int i = 0; i < 10; i++) {
            throttle.admit("10.0.0.1", "id" + i);
        }
        refused("10.0.0.1", "never-tried");
        throttle.admit("10.0.0.2", "never-tried");
        clock.advance(Duration.ofSeconds(3));
        throttle.admit("10.0.0.1", "never-tried");
    }

    @Test
    void aRightSecretGivesItsAttemptBackSoOnlyFailuresCount() {
        for (int i = 0; i < 50; i++) {
            throttle.admit("10.0.0.1", "alice");
            throttle.forgive("10.0.0.1", "alice");
        }
        throttle.admit("10.0.0.1", "alice");
    }

    @Test
    void theAddressesOfOneIpv6SlashSixtyFourShareABucket() {
        assertThat(EnrollmentThrottle.sourceKey("2001:db8:1:2::1")).isEqualTo(EnrollmentThrottle.sourceKey("2001:db8:1:2:ffff::9"));
        assertThat(EnrollmentThrottle.sourceKey("2001:db8:1:2::1")).isNotEqualTo(EnrollmentThrottle.sourceKey("2001:db8:1:3::1"));
        for (int i = 0; i < 3; i++) {
            throttle.admit("2001:db8:1:2::" + (i + 1), "alice");
        }
        refused("2001:db8:1:2::99", "alice");
    }

    @Test
    void addressesInDifferentSlashSixtyFoursHaveBucketsOfTheirOwnWhicheverBitsTellThemApart() {
        // the high byte of a group, and the low byte
        assertThat(EnrollmentThrottle.sourceKey("2001:db8:1:2::1")).isNotEqualTo(EnrollmentThrottle.sourceKey("2101:db8:1:2::1"));
        assertThat(EnrollmentThrottle.sourceKey("2001:db8:1:2::1")).isNotEqualTo(EnrollmentThrottle.sourceKey("2001:db8:1:102::1"));
        assertThat(EnrollmentThrottle.sourceKey("2001:db8:1:2::1")).isNotEqualTo(EnrollmentThrottle.sourceKey("2001:db8:1:3::1"));
        for (int i = 0; i < 3; i++) {
            throttle.admit("2001:db8:1:2::1", "alice");
        }
        throttle.admit("2101:db8:1:2::1", "alice");
    }

    @Test
    void noScheduleOfFailuresGetsMoreAttemptsThanTheBurstAndWhatItsWaitingRefilled() {
        Instant start = clock.instant();
        qt().withExamples(300).forAll(lists().of(integers().between(0, 90_000)).ofSizeBetween(1, 40)).checkAssert(gaps -> {
            MutableClock schedule = new MutableClock(start);
            EnrollmentThrottle fresh = new EnrollmentThrottle(limits, schedule);
            long admitted = admittedAfter(fresh, schedule, gaps);
            long refills = Duration.between(start, schedule.instant()).toMillis() / limits.sourceAndIdRefill().toMillis();
            assertThat(admitted).isLessThanOrEqualTo(limits.failuresPerSourceAndId() + refills);
        });
    }

    @Test
    void waitingTheRetryAfterAlwaysAdmitsTheNextAttempt() {
        Instant start = clock.instant();
        qt().withExamples(300).forAll(lists().of(integers().between(0, 90_000)).ofSizeBetween(1, 40)).checkAssert(gaps -> {
            MutableClock schedule = new MutableClock(start);
            EnrollmentThrottle fresh = new EnrollmentThrottle(limits, schedule);
            for (int gap : gaps) {
                schedule.advance(Duration.ofMillis(gap));
                try {
                    fresh.admit("10.0.0.1", "alice");
                } catch (MembershipException e) {
                    schedule.advance(e.retryAfter().orElseThrow());
                    fresh.admit("10.0.0.1", "alice");
                }
            }
        });
    }

    @Test
    void stateStaysWithinItsCapsForgettingTheLeastRecentlySeen() {
        for (int i = 0; i < 1_000; i++) {
            throttle.admit("10.0." + (i / 250) + "." + (i % 250), "id" + i);
        }
        assertThat(throttle.trackedSources()).isEqualTo(100);
        assertThat(throttle.trackedSourceIds()).isEqualTo(100);
        // the most recent ones are still tracked, with their spent attempt
        for (int i = 0; i < 2; i++) {
            throttle.admit("10.0.3.249", "id999");
        }
        refused("10.0.3.249", "id999");
    }

    @Test
    void anOverlongIdIsTrackedByItsPrefixOnly() {
        String huge = "x".repeat(100_000);
        for (int i = 0; i < 3; i++) {
            throttle.admit("10.0.0.1", huge + i);
        }
        refused("10.0.0.1", huge);
    }

    /** Failed attempts for one id from one address after each gap, in milliseconds: how many were admitted. */
    private static long admittedAfter(EnrollmentThrottle throttle, MutableClock clock, List<Integer> gaps) {
        long admitted = 0;
        for (int gap : gaps) {
            clock.advance(Duration.ofMillis(gap));
            try {
                throttle.admit("10.0.0.1", "alice");
                admitted++;
            } catch (MembershipException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_ATTEMPTS);
            }
        }
        return admitted;
    }

    private MembershipException refused(String source, String id) {
        try {
            throttle.admit(source, id);
        } catch (MembershipException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_ATTEMPTS);
            assertThat(e.getMessage()).doesNotContain(id.length() > 20 ? id.substring(0, 20) : id);
            return e;
        }
        throw new AssertionError("expected TOO_MANY_ATTEMPTS for " + source);
    }
}
