package io.charter.common.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

    private final ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(5), 2.0, 0.2);
    private static final RandomGenerator NO_JITTER = () -> 0L;
    private static final RandomGenerator FULL_JITTER = new RandomGenerator() {
        @Override
        public long nextLong() {
            return -1L;
        }

        @Override
        public double nextDouble() {
            return Math.nextDown(1.0);
        }
    };

    @Test
    void delaysDoubleFromTheInitialDelayUntilTheCap() {
        assertThat(backoff.delay(0, NO_JITTER)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delay(1, NO_JITTER)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delay(4, NO_JITTER)).isEqualTo(Duration.ofMillis(1600));
        assertThat(backoff.delay(6, NO_JITTER)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.delay(10_000, NO_JITTER)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void jitterOnlyShortensTheDelayAndByAtMostItsFraction() {
        assertThat(backoff.delay(1, FULL_JITTER)).isBetween(Duration.ofMillis(160), Duration.ofMillis(200));
        assertThat(backoff.delay(20, FULL_JITTER)).isBetween(Duration.ofMillis(4000), Duration.ofSeconds(5));
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ZERO, Duration.ofSeconds(1), 2, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
