package io.charter.membership.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThrottleLimitsTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void aBurstOrCapOfOneIsTheLeastThereIs() {
        ThrottleLimits least = new ThrottleLimits(1, SECOND, 1, SECOND, 1, 1);
        assertThat(least.failuresPerSource()).isEqualTo(1);

        assertThatThrownBy(() -> new ThrottleLimits(0, SECOND, 1, SECOND, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ThrottleLimits(1, SECOND, 0, SECOND, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ThrottleLimits(1, SECOND, 1, SECOND, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ThrottleLimits(1, SECOND, 1, SECOND, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refillPeriodsArePositive() {
        for (Duration period : new Duration[] {null, Duration.ZERO, Duration.ofNanos(-1)}) {
            assertThatThrownBy(() -> new ThrottleLimits(1, period, 1, SECOND, 1, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ThrottleLimits(1, SECOND, 1, period, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new ThrottleLimits(1, Duration.ofNanos(1), 1, Duration.ofNanos(1), 1, 1).sourceRefill()).isPositive();
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        // docs/membership-service.md, enrollment.* settings; docs/security.md
        assertThat(ThrottleLimits.defaults()).isEqualTo(
                new ThrottleLimits(20, Duration.ofSeconds(3), 5, Duration.ofMinutes(1), 10_000, 10_000));
    }
}
