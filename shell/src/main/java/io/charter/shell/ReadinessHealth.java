package io.charter.shell;

import io.charter.common.health.Readiness;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A node's readiness as an actuator health indicator (in each shell's readiness group): UP when every channel is
 * ready, DOWN otherwise, with each channel's details as the node's core computed them.
 */
public final class ReadinessHealth {

    private ReadinessHealth() {}

    /** Asks {@code readiness} again at every health request. */
    public static HealthIndicator indicator(Supplier<Readiness> readiness) {
        return () -> {
            Readiness now = readiness.get();
            return (now.ready() ? Health.up() : Health.down()).withDetail("channels", now.channels()).build();
        };
    }
}
