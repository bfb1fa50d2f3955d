package io.charter.peer.dissemination;

import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.protocol.HeartbeatRequest;
import io.charter.protocol.HeartbeatResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election among the peers of one organization for one channel, without a central service:
 * every peer sends {@code peer.Heartbeat} to each other peer of its organization every
 * {@code timeout / 4}; a peer is alive for this one while a heartbeat from it, or an answer to one,
 * is younger than {@code timeout}. The leader is the alive peer (this one included) with the lowest
 * id among those whose height is within {@code maxLag} blocks of the highest alive peer's (heights
 * travel with heartbeats): a peer that is catching up lets a caught-up one lead, so it catches up from
 * its organization instead of the orderers, and takes the lead back once close. Right after start a peer claims nothing until it has heard from every configured peer or one
 * timeout has passed, so a restarted peer with a low id takes the lead back only once it is known to
 * be alive, and a peer never leads on an empty view before it could have heard anyone.
 *
 * <p>A leader that stops heartbeating is replaced at most {@code timeout + timeout / 4} later. During a
 * partition two peers may lead at once; that costs orderer bandwidth, never safety: commits are in
 * sequence and idempotent.
 */
public final class HeartbeatElection implements LeaderElection {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatElection.class);

    private final String channelId;
    private final String selfId;
    private volatile List<OrgPeer> peers;
    private final Duration timeout;
    private final long maxLag;
    private final Clock clock;
    private final LongSupplier height;
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, Long> heights = new ConcurrentHashMap<>();
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private volatile Instant started;
    private volatile String leader;
    private volatile boolean closed;

    public HeartbeatElection(String channelId, String selfId, List<OrgPeer> peers, Duration timeout, long maxLag,
                             Clock clock, LongSupplier height) {
        this.maxLag = maxLag;
        this.channelId = channelId;
        this.selfId = selfId;
        this.peers = List.copyOf(peers);
        this.timeout = timeout;
        this.clock = clock;
        this.height = height;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("charter-election-" + channelId).factory());
    }

    @Override
    public void start() {
        started = clock.instant();
        long period = Math.max(10, timeout.toMillis() / 4);
        timer.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
    }

    /** Answers a heartbeat of an organization peer (the caller's organization is checked by the server). */
    public HeartbeatResponse onHeartbeat(HeartbeatRequest request) {
        if (!request.getPeerId().equals(selfId) && isConfigured(request.getPeerId())) {
            lastSeen.put(request.getPeerId(), clock.instant());
            heights.put(request.getPeerId(), request.getHeight());
        }
        return HeartbeatResponse.newBuilder().setPeerId(selfId).setHeight(height.getAsLong())
                .setLeaderId(leader == null ? "" : leader).build();
    }

    /**
     * Replaces the organization's other peers (e.g. after the index changed): a new peer is heartbeated
     * from the next tick on and its heartbeats are accepted; a removed one is forgotten at once, so it no
     * longer counts as alive. The leader is re-evaluated by the same rule at the next tick: a leader still
     * present stays leader unless the rule picks a newly heard peer.
     */
    public void updatePeers(List<OrgPeer> next) {
        List<OrgPeer> copy = List.copyOf(next);
        peers = copy;
        lastSeen.keySet().removeIf(id -> copy.stream().noneMatch(p -> p.id().equals(id)));
        heights.keySet().removeIf(id -> copy.stream().noneMatch(p -> p.id().equals(id)));
    }

    /** The organization's other peers this election heartbeats now. */
    public List<OrgPeer> peers() {
        return peers;
    }

    private boolean isConfigured(String id) {
        return peers.stream().anyMatch(p -> p.id().equals(id));
    }

    private void tick() {
        if (closed) {
            return;
        }
        try {
            HeartbeatRequest request = HeartbeatRequest.newBuilder().setChannelId(channelId).setPeerId(selfId)
                    .setHeight(height.getAsLong()).build();
            Duration deadline = Duration.ofMillis(Math.max(50, timeout.toMillis() / 2));
            List<OrgPeer> current = peers;
            for (OrgPeer peer : current) {
                peer.client().call(PeerMethodNames.HEARTBEAT, request.toByteString(), deadline).thenAccept(bytes -> {
                    try {
                        HeartbeatResponse response = HeartbeatResponse.parseFrom(bytes);
                        if (response.getPeerId().equals(peer.id()) && isConfigured(peer.id())) {
                            lastSeen.put(peer.id(), clock.instant());
                            heights.put(peer.id(), response.getHeight());
                        }
                    } catch (InvalidProtocolBufferException e) {
                        LOG.debug("bad heartbeat answer from {}", peer.endpoint());
                    }
                });
            }
            evaluate();
        } catch (RuntimeException e) {
            LOG.warn("election tick of {} failed: {}", channelId, e.toString());
        }
    }

    private synchronized void evaluate() {
        Instant now = clock.instant();
        boolean heardAll = peers.stream().allMatch(p -> lastSeen.containsKey(p.id()));
        boolean settled = heardAll || !now.isBefore(started.plus(timeout));
        String next = null;
        if (settled) {
            Map<String, Long> alive = aliveHeights();
            alive.put(selfId, height.getAsLong());
            long highest = alive.values().stream().mapToLong(Long::longValue).max().orElse(0);
            for (Map.Entry<String, Long> candidate : alive.entrySet()) {
                if (candidate.getValue() + maxLag >= highest && (next == null || candidate.getKey().compareTo(next) < 0)) {
                    next = candidate.getKey();
                }
            }
        }
        String previous = leader;
        leader = next;
        boolean was = selfId.equals(previous);
        boolean is = selfId.equals(next);
        if (next != null && !next.equals(previous)) {
            LOG.info("channel {}: {} sees leader {} (was {})", channelId, selfId, next, previous);
        }
        if (was != is) {
            listeners.forEach(l -> l.accept(is));
        }
    }

    @Override
    public boolean isLeader() {
        return selfId.equals(leader);
    }

    @Override
    public Optional<String> leader() {
        return Optional.ofNullable(leader);
    }

    @Override
    public void onLeadershipChange(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    /** The heights of the organization's peers alive now (from heartbeats). */
    public Map<String, Long> aliveHeights() {
        Instant now = clock.instant();
        Map<String, Long> alive = new HashMap<>();
        heights.forEach((id, h) -> {
            Instant seen = lastSeen.get(id);
            if (seen != null && now.isBefore(seen.plus(timeout))) {
                alive.put(id, h);
            }
        });
        return alive;
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        if (isLeader()) {
            leader = null;
            listeners.forEach(l -> l.accept(false));
        }
    }
}
