package io.charter.membership.app;

import org.flywaydb.core.Flyway;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code migrations} health indicator: UP when the database answers and no Flyway migration is
 * pending. Part of the readiness group with {@code db} (see application.yaml), so a replica whose
 * database is unreachable or not migrated is taken out of the load balancer.
 */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

    @Bean
    HealthIndicator migrationsHealthIndicator(Flyway flyway) {
        return () -> {
            try {
                var info = flyway.info();
                int pending = info.pending().length;
                var current = info.current();
                Health.Builder health = pending == 0 ? Health.up() : Health.down();
                return health.withDetail("pending", pending)
                        .withDetail("version", current == null ? "none" : current.getVersion().toString())
                        .build();
            } catch (RuntimeException e) {
                return Health.down().withDetail("error", e.getClass().getSimpleName()).build();
            }
        };
    }
}
