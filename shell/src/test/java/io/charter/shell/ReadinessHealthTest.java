package io.charter.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.health.Readiness;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

class ReadinessHealthTest {

    @Test
    void theIndicatorFollowsTheCoresReadinessAtEveryRequestWithEachChannelsDetails() {
        Map<String, Map<String, Object>> channels = Map.of("trade", Map.of("lag", 0L));
        AtomicReference<Readiness> readiness = new AtomicReference<>(new Readiness(true, channels));
        HealthIndicator indicator = ReadinessHealth.indicator(readiness::get);

        Health up = indicator.health(true);
        assertThat(up.getStatus()).isEqualTo(Status.UP);
        assertThat(up.getDetails()).containsEntry("channels", channels);

        readiness.set(new Readiness(false, channels));
        assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
    }
}
