package io.charter.orderer.app;

import io.charter.common.health.Readiness;
import io.charter.orderer.service.OrdererReadiness;
import io.charter.orderer.service.OrdererServer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code ordering} health indicator, part of the readiness group: {@link OrdererReadiness} with
 * {@code charter.orderer.readiness.max-lag}; UP when every joined channel is ready, DOWN otherwise, with each
 * channel's role, leader, height and lag.
 */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

    @Bean
    HealthIndicator orderingHealthIndicator(OrdererServer server, OrdererProperties properties) {
        long maxLag = properties.readiness().maxLag();
        return () -> {
            Readiness readiness = OrdererReadiness.of(server, maxLag);
            return (readiness.ready() ? Health.up() : Health.down()).withDetail("channels", readiness.channels()).build();
        };
    }
}
