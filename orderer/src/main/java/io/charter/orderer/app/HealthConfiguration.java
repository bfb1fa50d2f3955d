package io.charter.orderer.app;

import io.charter.orderer.channel.ChannelInfo;
import io.charter.orderer.channel.RaftStatus;
import io.charter.orderer.service.OrdererServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code ordering} health indicator, part of the readiness group: UP when every joined channel
 * has a Raft leader and this orderer has applied the committed log up to
 * {@code charter.orderer.readiness.max-lag} entries (it is caught up); DOWN otherwise, with each
 * channel's role, leader, height and lag.
 */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

    @Bean
    HealthIndicator orderingHealthIndicator(OrdererServer server, OrdererProperties properties) {
        long maxLag = properties.readiness().maxLag();
        return () -> {
            boolean ready = true;
            Map<String, Object> channels = new LinkedHashMap<>();
            for (ChannelInfo info : server.channels()) {
                Map<String, Object> detail = new LinkedHashMap<>();
                try {
                    RaftStatus status = server.node().channel(info.channelId()).orElseThrow().raftStatus();
                    boolean caughtUp = status.caughtUp(maxLag);
                    ready &= caughtUp;
                    detail.put("role", status.role());
                    detail.put("leader", status.leader());
                    detail.put("height", status.height());
                    detail.put("lag", Math.max(0, status.commitIndex() - status.lastAppliedIndex()));
                    detail.put("ready", caughtUp);
                } catch (RuntimeException e) {
                    ready = false;
                    detail.put("ready", false);
                    detail.put("error", e.getMessage());
                }
                channels.put(info.channelId(), detail);
            }
            return (ready ? Health.up() : Health.down()).withDetail("channels", channels).build();
        };
    }
}
