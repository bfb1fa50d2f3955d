package io.charter.membership.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.pki.Role;
import io.charter.membership.index.NodeState;
import io.charter.membership.index.NodeView;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The {@code charter.nodes{role, state}} gauge counts the index's nodes, at most once per refresh interval. */
class NodeMetricsTest {

    private final List<NodeView> index = new ArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private NodeMetrics metrics; // held: a gauge keeps only a weak reference to what it reads

    @Test
    void theFirstScrapeCountsTheNodesOfTheIndexByRoleAndState() {
        index.addAll(List.of(node("peer0", Role.PEER, NodeState.UP), node("peer1", Role.PEER, NodeState.UP),
                node("peer2", Role.PEER, NodeState.DOWN), node("orderer1", Role.ORDERER, NodeState.UP)));
        metrics();
        assertThat(gauge("peer", "up")).isEqualTo(2);
        assertThat(gauge("peer", "down")).isEqualTo(1);
        assertThat(gauge("orderer", "up")).isEqualTo(1);
        assertThat(gauge("orderer", "down")).isZero();
    }

    @Test
    void scrapesWithinTheIntervalReuseTheCountAndTheNextOneReadsTheIndexAgain() {
        index.add(node("peer0", Role.PEER, NodeState.UP));
        metrics();
        assertThat(gauge("peer", "up")).isEqualTo(1);
        index.add(node("peer1", Role.PEER, NodeState.UP));
        assertThat(gauge("peer", "up")).isEqualTo(1);
        assertThat(gauge("orderer", "up")).isZero();
        assertThat(reads).hasValue(1);
        clock.advanceMillis(NodeMetrics.REFRESH.toMillis());
        assertThat(gauge("peer", "up")).isEqualTo(2);
        assertThat(reads).hasValue(2);
    }

    @Test
    void anIndexThatCannotBeReadKeepsTheLastCountAndIsAskedAgainAfterTheInterval() {
        index.add(node("peer0", Role.PEER, NodeState.UP));
        metrics = new NodeMetrics(() -> {
            if (reads.incrementAndGet() == 2) {
                throw new IllegalStateException("database down");
            }
            return List.copyOf(index);
        }, registry, clock);
        metrics.afterSingletonsInstantiated();
        assertThat(gauge("peer", "up")).isEqualTo(1);
        clock.advanceMillis(NodeMetrics.REFRESH.toMillis());
        assertThat(gauge("peer", "up")).isEqualTo(1);
        clock.advanceMillis(NodeMetrics.REFRESH.toMillis());
        index.add(node("peer1", Role.PEER, NodeState.UP));
        assertThat(gauge("peer", "up")).isEqualTo(2);
    }

    private void metrics() {
        metrics = new NodeMetrics(() -> {
            reads.incrementAndGet();
            return List.copyOf(index);
        }, registry, clock);
        metrics.afterSingletonsInstantiated();
    }

    private double gauge(String role, String state) {
        return registry.get("charter.nodes").tags("role", role, "state", state).gauge().value();
    }

    private NodeView node(String id, Role role, NodeState state) {
        return new NodeView(id, "Org1MSP", role, List.of(), Map.of(), false, null, null, clock.instant(), clock.instant(),
                state);
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advanceMillis(long millis) {
            now = now.plusMillis(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
