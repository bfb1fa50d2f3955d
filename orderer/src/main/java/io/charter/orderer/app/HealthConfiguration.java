package io.charter.orderer.app;

import io.charter.orderer.service.OrdererReadiness;
import io.charter.orderer.service.OrdererServer;
import io.charter.shell.ReadinessHealth;
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
        return ReadinessHealth.indicator(() -> OrdererReadiness.of(server, maxLag));
    }
}
