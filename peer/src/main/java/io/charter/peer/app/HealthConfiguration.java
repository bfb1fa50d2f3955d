package io.charter.peer.app;

import io.charter.peer.node.PeerNode;
import io.charter.peer.node.PeerReadiness;
import io.charter.shell.ReadinessHealth;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code peer} health indicator, part of the readiness group: {@link PeerReadiness}, with the orderers' height
 * the highest an orderer of the channel last reported to the membership index (with discovered neighbours). UP
 * when every channel is ready, DOWN otherwise, with each channel's height, leader, lag and what the lag was
 * measured against. Liveness is the process only.
 */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

    @Bean
    HealthIndicator peerHealthIndicator(PeerNode node, PeerChannels peerChannels) {
        return ReadinessHealth.indicator(() -> PeerReadiness.of(node, peerChannels::ordererHeight));
    }
}
