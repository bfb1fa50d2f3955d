package io.charter.peer.app;

import io.charter.common.transport.TransportRefusals;
import io.charter.peer.endorsement.EndorsementStats;
import io.charter.peer.endorsement.RefusalReason;
import io.charter.peer.node.ChannelPeer;
import io.charter.peer.node.PeerNode;
import io.charter.protocol.TxValidationCode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The peer's metrics, read from the core's counters when scraped (Prometheus names in docs/peer.md):
 * per channel {@code charter_peer_blocks_committed_total}, {@code charter_peer_transactions_total{code}}
 * (validation codes), {@code charter_peer_block_commit_seconds} (histogram of each committed block's
 * validation and commit time), {@code charter_peer_ledger_height},
 * {@code charter_peer_is_leader}, {@code charter_peer_config_sequence}; and {@code charter_peer_endorsements_total{outcome}}; {@code charter_transport_refused_total{reason}}.
 */
public final class PeerMetrics {

    private final MeterRegistry registry;
    private final PeerNode node;
    private final Map<String, List<Meter>> channelMeters = new ConcurrentHashMap<>();

    public PeerMetrics(MeterRegistry registry, PeerNode node) {
        this.registry = registry;
        this.node = node;
        EndorsementStats stats = node.endorsementStats();
        List<String> outcomes = new ArrayList<>(List.of(EndorsementStats.ENDORSED, EndorsementStats.CONTRACT_FAILED));
        for (RefusalReason reason : RefusalReason.values()) {
            outcomes.add(reason.name());
        }
        for (String outcome : outcomes) {
            FunctionCounter.builder("charter.peer.endorsements", stats, s -> s.count(outcome))
                    .description("proposals answered on peer.Endorse, by outcome (ENDORSED, CONTRACT_FAILED or the refusal reason)")
                    .tags("outcome", outcome).register(registry);
        }
        for (TransportRefusals.Reason reason : TransportRefusals.Reason.values()) {
            FunctionCounter.builder("charter.transport.refused", node, n -> n.transportRefusals(reason))
                    .description("connections, frames and calls the transport refused, by reason (docs/security.md)")
                    .tags("reason", reason.name()).register(registry);
        }
    }

    /** Registers the meters of a joined channel. */
    public void bind(ChannelPeer channel) {
        Tags tags = Tags.of("channel", channel.channelId());
        List<Meter> meters = new ArrayList<>();
        meters.add(FunctionCounter.builder("charter.peer.blocks.committed", channel, c -> c.stats().blocksCommitted())
                .description("blocks validated and committed").tags(tags).register(registry));
        for (TxValidationCode code : TxValidationCode.values()) {
            if (code == TxValidationCode.UNRECOGNIZED) {
                continue;
            }
            meters.add(FunctionCounter.builder("charter.peer.transactions", channel, c -> c.stats().transactions(code))
                    .description("committed transactions by validation code").tags(tags.and("code", code.name()))
                    .register(registry));
        }
        Timer commit = Timer.builder("charter.peer.block.commit")
                .description("validation and commit time of each committed block").tags(tags)
                .publishPercentileHistogram().register(registry);
        channel.onCommitLatency(nanos -> commit.record(nanos, TimeUnit.NANOSECONDS));
        meters.add(commit);
        meters.add(Gauge.builder("charter.peer.ledger.height", channel, ChannelPeer::height)
                .description("committed blocks (the next block's number)").tags(tags).register(registry));
        meters.add(Gauge.builder("charter.peer.is.leader", channel, c -> c.isLeader() ? 1 : 0)
                .description("1 while this peer leads its organization on the channel").tags(tags).register(registry));
        meters.add(Gauge.builder("charter.peer.config.sequence", channel, c -> c.currentConfig().sequence())
                .description("sequence of the channel configuration in force (+1 per applied config update)")
                .tags(tags).register(registry));
        node.reconciler(channel.channelId()).ifPresent(reconciler -> {
            meters.add(Gauge.builder("charter.peer.private.data.missing", reconciler, r -> Math.max(0, r.stillMissing()))
                    .description("private write sets of committed transactions this member peer does not hold after the"
                            + " last reconciliation pass (at most 100: the oldest are looked at first); alert when it stays above 0")
                    .tags(tags).register(registry));
            meters.add(FunctionCounter.builder("charter.peer.private.data.reconciled", reconciler, r -> r.reconciled())
                    .description("private write sets fetched from other member peers and stored").tags(tags).register(registry));
        });
        channelMeters.put(channel.channelId(), meters);
    }

    /** Removes the meters of a channel this peer left. */
    public void unbind(ChannelPeer channel) {
        channel.onCommitLatency(nanos -> {});
        List<Meter> meters = channelMeters.remove(channel.channelId());
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }
}
