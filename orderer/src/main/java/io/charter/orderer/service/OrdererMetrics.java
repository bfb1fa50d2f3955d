package io.charter.orderer.service;

import io.charter.common.transport.TransportRefusals;
import io.charter.orderer.blockcutter.CutCause;
import io.charter.orderer.channel.ChannelObserver;
import io.charter.orderer.channel.ChannelOrderer;
import io.charter.orderer.consensus.FetchedBlockRefusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.charter.protocol.BroadcastResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The orderer's metrics on a Micrometer registry (plain Java; the Spring Boot shell passes its own
 * registry, which Actuator exports to Prometheus). Meter names, as Prometheus shows them:
 *
 * <ul>
 *   <li>{@code charter_orderer_broadcast_envelopes_total{channel, result=accepted|rejected, reason}}
 *   <li>{@code charter_orderer_blocks_cut_total{channel, cause=count|bytes|timeout|config}} (while leading)
 *   <li>{@code charter_orderer_block_commit_seconds{channel}}: from cutting a block to storing it
 *       after Raft commit (leader only), with p50/p95/p99
 *   <li>{@code charter_orderer_raft_leader_changes_total{channel}}
 *   <li>{@code charter_orderer_channel_height{channel}}
 *   <li>{@code charter_orderer_deliver_streams} (open deliver streams)
 * </ul>
 */
public final class OrdererMetrics implements ChannelObserver {

    /** For channel names the orderer does not serve (malformed or unknown): their cardinality is the sender's choice. */
    public static final String OTHER_CHANNEL = "_unknown";

    private final MeterRegistry registry;
    private final AtomicInteger deliverStreams = new AtomicInteger();
    private final Map<String, List<Meter>> channelMeters = new ConcurrentHashMap<>();
    private final Map<String, Timer> commitTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> envelopeCounters = new ConcurrentHashMap<>();

    public OrdererMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("charter.orderer.deliver.streams", deliverStreams, AtomicInteger::get)
                .description("Open deliver streams")
                .register(registry);
    }

    /** Metrics kept in memory only (tests, benchmarks). */
    public static OrdererMetrics inMemory() {
        return new OrdererMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Counts what the transport refused, by reason: {@code charter_transport_refused_total{reason}} (docs/security.md). */
    void bindTransport(TransportRefusals refusals) {
        for (TransportRefusals.Reason reason : TransportRefusals.Reason.values()) {
            FunctionCounter.builder("charter.transport.refused", refusals, r -> r.total(reason))
                    .description("connections, frames and calls the transport refused, by reason")
                    .tags("reason", reason.name()).register(registry);
        }
    }

    /** Registers the per-channel meters of a joined channel (idempotent). */
    public void bind(ChannelOrderer channel) {
        String id = channel.channelId();
        channelMeters.computeIfAbsent(id, key -> {
            List<Meter> meters = new ArrayList<>();
            for (CutCause cause : CutCause.values()) {
                meters.add(FunctionCounter.builder("charter.orderer.blocks.cut", channel,
                                c -> c.blocksCut().getOrDefault(cause, 0L))
                        .description("Blocks cut by this orderer while it led the channel, by cause")
                        .tags("channel", id, "cause", cause.name().toLowerCase(Locale.ROOT))
                        .register(registry));
            }
            for (FetchedBlockRefusal.Reason reason : FetchedBlockRefusal.Reason.values()) {
                meters.add(FunctionCounter.builder("charter.orderer.catchup.blocks.refused", channel,
                                c -> c.fetchedBlocksRefused().getOrDefault(reason, 0L))
                        .description("Blocks fetched from another orderer while catching up and refused, by reason")
                        .tags("channel", id, "reason", reason.tag())
                        .register(registry));
            }
            meters.add(FunctionCounter.builder("charter.orderer.raft.leader.changes", channel, ChannelOrderer::leaderChanges)
                    .description("Raft leader changes seen by this orderer")
                    .tags("channel", id)
                    .register(registry));
            meters.add(Gauge.builder("charter.orderer.channel.height", channel, ChannelOrderer::height)
                    .description("Blocks stored for the channel")
                    .tags("channel", id)
                    .register(registry));
            meters.add(commitTimer(id));
            return meters;
        });
    }

    /** Removes the meters of a channel this orderer left. */
    public void unbind(String channelId) {
        List<Meter> meters = channelMeters.remove(channelId);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
        commitTimers.remove(channelId);
    }

    private Timer commitTimer(String channelId) {
        return commitTimers.computeIfAbsent(channelId, id -> Timer.builder("charter.orderer.block.commit")
                .description("From cutting a block on the leader to storing it after Raft commit")
                .tags("channel", id)
                .publishPercentiles(0.5, 0.95, 0.99)
                .distributionStatisticExpiry(Duration.ofMinutes(2))
                .register(registry));
    }

    @Override
    public void blockCommitted(String channelId, long blockNumber, int envelopes, long cutToCommitNanos) {
        commitTimer(channelId).record(cutToCommitNanos, TimeUnit.NANOSECONDS);
    }

    /** Counts one broadcast answer. */
    public void envelope(String channelId, BroadcastResponse response) {
        boolean accepted = response.getStatus() == io.charter.protocol.BroadcastStatus.SUCCESS;
        String channel = channelMeters.containsKey(channelId) ? channelId : OTHER_CHANNEL;
        String reason = accepted ? "none" : response.getReason().name();
        String key = channel + '\u0000' + reason;
        envelopeCounters.computeIfAbsent(key, k -> Counter.builder("charter.orderer.broadcast.envelopes")
                .description("Envelopes answered by broadcast: accepted (ordered) or rejected, by reason")
                .tags(Tags.of("channel", channel, "result", accepted ? "accepted" : "rejected", "reason", reason))
                .register(registry)).increment();
    }

    /** Counted envelopes of one reason on one channel (tests). */
    public double envelopes(String channelId, String reason) {
        Counter counter = envelopeCounters.get(channelId + '\u0000' + reason);
        return counter == null ? 0 : counter.count();
    }

    public void deliverOpened() {
        deliverStreams.incrementAndGet();
    }

    public void deliverClosed() {
        deliverStreams.decrementAndGet();
    }

    public int openDeliverStreams() {
        return deliverStreams.get();
    }
}
