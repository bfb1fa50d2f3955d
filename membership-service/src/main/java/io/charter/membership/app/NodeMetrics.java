package io.charter.membership.app;

import io.charter.common.pki.Role;
import io.charter.membership.MembershipCore;
import io.charter.membership.index.NodeState;
import io.charter.membership.index.NodeView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The gauge {@code charter.nodes{role, state}}: registered peers and orderers, UP or DOWN. Counted from
 * the database (shared by every replica) at most every {@link #REFRESH}, when scraped.
 */
@Component
public class NodeMetrics implements SmartInitializingSingleton {

    static final Duration REFRESH = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(NodeMetrics.class);

    private final Supplier<List<NodeView>> nodes;
    private final MeterRegistry registry;
    private final Clock clock;
    private volatile Map<Role, Map<NodeState, Long>> counts = Map.of();
    private volatile Optional<Long> refreshedAt = Optional.empty();

    @Autowired
    public NodeMetrics(MembershipCore core, CoreConfiguration.SystemCaller system, MeterRegistry registry, Clock clock) {
        this(() -> core.index().nodes(system.caller()), registry, clock);
    }

    NodeMetrics(Supplier<List<NodeView>> nodes, MeterRegistry registry, Clock clock) {
        this.nodes = nodes;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (Role role : List.of(Role.PEER, Role.ORDERER)) {
            for (NodeState state : NodeState.values()) {
                Gauge.builder("charter.nodes", this, m -> m.count(role, state))
                        .description("Registered nodes by role and state")
                        .tag("role", role.label())
                        .tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
                        .register(registry);
            }
        }
    }

    double count(Role role, NodeState state) {
        refreshIfStale();
        return counts.getOrDefault(role, Map.of()).getOrDefault(state, 0L);
    }

    private synchronized void refreshIfStale() {
        long now = clock.millis();
        // no "never refreshed" sentinel such as Long.MIN_VALUE: now minus it overflows and no scrape would ever count
        if (refreshedAt.isPresent() && now - refreshedAt.get() < REFRESH.toMillis()) {
            return;
        }
        try {
            Map<Role, Map<NodeState, Long>> fresh = new EnumMap<>(Role.class);
            for (NodeView node : nodes.get()) {
                fresh.computeIfAbsent(node.role(), r -> new EnumMap<>(NodeState.class))
                        .merge(node.state(), 1L, Long::sum);
            }
            counts = fresh;
        } catch (RuntimeException e) {
            log.warn("cannot count nodes for metrics: {}", e.toString());
        }
        refreshedAt = Optional.of(now);
    }
}
