package io.charter.peer.app;

import io.charter.peer.node.ChannelPeer;
import io.charter.peer.node.PeerNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code peer} health indicator, part of the readiness group: UP when every joined channel has a
 * known leader in the organization and this peer is within {@value #MAX_LAG} blocks of the leader's
 * height (as the leader's last heartbeat reported it); DOWN otherwise, with each channel's height,
 * leader and lag. Liveness is the process only.
 */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

    /** Blocks this peer may be behind its organization's leader and still be ready. */
    public static final long MAX_LAG = 5;

    @Bean
    HealthIndicator peerHealthIndicator(PeerNode node) {
        return () -> {
            boolean ready = true;
            Map<String, Object> channels = new LinkedHashMap<>();
            for (ChannelPeer channel : node.channels()) {
                Map<String, Object> detail = new LinkedHashMap<>();
                long height = channel.height();
                Optional<String> leader = channel.leader();
                long lag = leader.map(l -> channel.isLeader() ? 0L
                        : Math.max(0L, channel.election().aliveHeights().getOrDefault(l, height) - height)).orElse(-1L);
                boolean channelReady = leader.isPresent() && lag <= MAX_LAG;
                ready &= channelReady;
                detail.put("height", height);
                detail.put("leader", leader.orElse(""));
                detail.put("isLeader", channel.isLeader());
                detail.put("lag", lag);
                detail.put("ready", channelReady);
                channels.put(channel.channelId(), detail);
            }
            return (ready ? Health.up() : Health.down()).withDetail("channels", channels).build();
        };
    }
}
