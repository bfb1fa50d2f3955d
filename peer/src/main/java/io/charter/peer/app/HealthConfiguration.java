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
 * The {@code peer} health indicator, part of the readiness group. A joined channel is ready when it is
 * within {@value #MAX_LAG} blocks of the orderers' height, where that is known (the highest height
 * an orderer of the channel last reported to the membership index, with discovered neighbours); else
 * when its organization has a known leader and it is within {@value #MAX_LAG} blocks of the leader's
 * height (as the leader's last heartbeat reported it). UP when every channel is ready, DOWN otherwise,
 * with each channel's height, leader, lag and what the lag was measured against. Liveness is the
 * process only.
 */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

    /** Blocks this peer may be behind the orderers (or its organization's leader) and still be ready. */
    public static final long MAX_LAG = 5;

    @Bean
    HealthIndicator peerHealthIndicator(PeerNode node, PeerChannels peerChannels) {
        return () -> {
            boolean ready = true;
            Map<String, Object> channels = new LinkedHashMap<>();
            for (ChannelPeer channel : node.channels()) {
                Map<String, Object> detail = new LinkedHashMap<>();
                long height = channel.height();
                Optional<String> leader = channel.leader();
                Optional<Long> ordererHeight = peerChannels.ordererHeight(channel.channelId());
                long lag;
                boolean channelReady;
                if (ordererHeight.isPresent()) {
                    lag = Math.max(0L, ordererHeight.get() - height);
                    channelReady = lag <= MAX_LAG;
                    detail.put("ordererHeight", ordererHeight.get());
                } else {
                    lag = leader.map(l -> channel.isLeader() ? 0L
                            : Math.max(0L, channel.election().aliveHeights().getOrDefault(l, height) - height)).orElse(-1L);
                    channelReady = leader.isPresent() && lag <= MAX_LAG;
                }
                ready &= channelReady;
                detail.put("height", height);
                detail.put("leader", leader.orElse(""));
                detail.put("isLeader", channel.isLeader());
                detail.put("lag", lag);
                detail.put("lagFrom", ordererHeight.isPresent() ? "orderers" : "leader");
                detail.put("ready", channelReady);
                channels.put(channel.channelId(), detail);
            }
            return (ready ? Health.up() : Health.down()).withDetail("channels", channels).build();
        };
    }
}
