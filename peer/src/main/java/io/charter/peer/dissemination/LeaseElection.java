package io.charter.peer.dissemination;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership of one channel for one organization through the index's leader lease: every
 * {@code renewInterval} a caught-up peer asks the index for the lease (the holder renews it, the others
 * learn who holds it); the peer leads exactly while the index grants it the lease. One holder per
 * organization and channel at a time, decided atomically by the index, and visible to everyone there
 * ({@code charter nodes}, the network map).
 *
 * <p><b>Fallback.</b> The index is never on the data path: while it cannot be reached (or refuses, e.g.
 * before this peer's first heartbeat reported the channel), a holder keeps leading until its lease
 * would have expired, and then every peer follows the organization's heartbeat election ({@code fallback}:
 * the lowest-id caught-up peer alive), so blocks keep flowing into the organization. When the index
 * answers again the lease decides again. A peer that does not hold the lease never leads while the index
 * answers, even if the heartbeat election would pick it.
 *
 * <p>While another peer's lease outlasts the next round, a peer does not ask: the index answers the holder's
 * renewals and about one question per other peer and lease lifetime. A released lease is therefore taken over
 * when it would have expired at the latest.
 *
 * <p>A holder that renews its lease but passes nothing on (broken, or withholding blocks from its organization)
 * would leave the others behind for as long as it renews: a follower that stands still more than {@code maxLag}
 * blocks behind the orderers' reported height for {@link #RESCUE_AFTER} leads on its own until it catches up (two
 * leaders cost orderer bandwidth, never safety).
 *
 * <p>A peer more than {@code maxLag} blocks behind the highest height its organization's peers report in
 * heartbeats does not ask for the lease, and releases it if it holds it, so a peer catching up lets a
 * caught-up one lead.
 */
public final class LeaseElection implements LeaderElection {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseElection.class);

    /** The index's lease calls for this peer; each throws when the index cannot be reached or refuses. */
    public interface Leases {
        Lease acquire(String channelId);

        void release(String channelId);
    }

    /** An answer to an acquire: {@code granted} when this peer holds the lease now; who does, until when. */
    public record Lease(boolean granted, String holder, Instant expiresAt) {}

    /** Where the leadership decision comes from now: nothing before the first round (nobody leads yet). */
    public enum Source { STARTING, INDEX, FALLBACK }

    /** How long a follower stands still far behind the orderers before it pulls from them itself. */
    static final Duration RESCUE_AFTER = Duration.ofSeconds(30);

    /** The longest a close waits for the index to confirm the release of a held lease. */
    static final Duration RELEASE_WAIT = Duration.ofSeconds(2);

    private final String channelId;
    private final String selfId;
    private final Leases leases;
    private final LeaderElection fallback;
    private final Supplier<Map<String, Long>> organizationHeights;
    private final Supplier<Optional<Long>> ordererHeight;
    private final LongSupplier height;
    private final long maxLag;
    private final Duration renewInterval;
    private final Clock clock;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private volatile Source source = Source.STARTING;
    private volatile String holder;
    private volatile boolean holding;
    private volatile Instant leaseExpiresAt = Instant.EPOCH;
    private volatile boolean leading;
    private volatile boolean closed;
    /** Since when this follower's height has stood still far behind the orderers; null while it moves or keeps up. */
    private Instant stuckSince;
    private long lastHeight = -1;
    /** Leading on its own because the lease holder left it behind (see the class comment). */
    private volatile boolean rescuing;

    /**
     * @param fallback the organization's heartbeat election, followed while the index cannot decide (started and
     *     closed by its owner)
     * @param organizationHeights the heights of the organization's other peers alive now (from heartbeats)
     * @param ordererHeight the channel's height on the orderers as last reported (by the index), when known
     */
    public LeaseElection(String channelId, String selfId, Leases leases, LeaderElection fallback,
                         Supplier<Map<String, Long>> organizationHeights, Supplier<Optional<Long>> ordererHeight,
                         LongSupplier height, long maxLag, Duration renewInterval, Clock clock) {
        if (renewInterval.isZero() || renewInterval.isNegative()) {
            throw new IllegalArgumentException("the lease renew interval must be positive, not " + renewInterval);
        }
        this.channelId = channelId;
        this.selfId = selfId;
        this.leases = leases;
        this.fallback = fallback;
        this.organizationHeights = organizationHeights;
        this.ordererHeight = ordererHeight;
        this.height = height;
        this.maxLag = maxLag;
        this.renewInterval = renewInterval;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("charter-lease-" + channelId).factory());
        // the fallback's changes count at once while it decides, not only at the next lease tick
        fallback.onLeadershipChange(ignored -> {
            if (source == Source.FALLBACK && !closed) {
                try {
                    timer.execute(this::decide);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // closed meanwhile: nothing to decide any more
                }
            }
        });
    }

    @Override
    public void start() {
        timer.scheduleWithFixedDelay(this::tick, 0, renewInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round: ask the index (or release), then decide who leads. Package-private for tests. */
    void tick() {
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        try {
            if (!caughtUp()) {
                if (holding) {
                    leases.release(channelId);
                    LOG.info("channel {}: {} released the leader lease: more than {} blocks behind its organization",
                            channelId, selfId, maxLag);
                    holder = null;
                    leaseExpiresAt = Instant.EPOCH;
                }
                holding = false;
                switchTo(Source.INDEX, null);
            } else if (!holding && source == Source.INDEX && holder != null && !holder.isEmpty()
                    && now.plus(renewInterval).isBefore(leaseExpiresAt)) {
                // another peer holds a lease that outlasts the next round: nothing to ask the index yet (so the index
                // answers the holders' renewals and about one question per peer and lease lifetime, not one per round)
                LOG.trace("channel {}: {} holds the lease until {}", channelId, holder, leaseExpiresAt);
            } else {
                Lease lease = leases.acquire(channelId);
                holding = lease.granted();
                holder = lease.holder();
                leaseExpiresAt = lease.expiresAt();
                switchTo(Source.INDEX, null);
            }
        } catch (RuntimeException e) {
            // a holder keeps leading until its lease would have expired: until then nobody else can get it
            if (now.isBefore(leaseExpiresAt) && source == Source.INDEX) {
                LOG.debug("channel {}: the index did not answer the lease call ({}); the lease held by {} lasts until {}",
                        channelId, e.getMessage(), holder, leaseExpiresAt);
            } else {
                holding = false;
                switchTo(Source.FALLBACK, e);
            }
        }
        watchForWithholding(now);
        decide();
    }

    /**
     * A follower whose height stands still more than {@code maxLag} blocks behind the orderers' reported height for
     * {@link #RESCUE_AFTER} (the holder renews its lease but passes nothing on: a broken or withholding leader) leads
     * on its own, pulling from the orderers, until it is within {@code maxLag} of them again. A follower that moves,
     * however slowly, is left alone.
     */
    private void watchForWithholding(Instant now) {
        long mine = height.getAsLong();
        Optional<Long> orderers = ordererHeight.get();
        boolean farBehind = orderers.map(o -> o - mine > maxLag).orElse(false);
        if (holding || source != Source.INDEX || !farBehind) {
            if (rescuing) {
                LOG.info("channel {}: {} is within {} blocks of the orderers again; the lease holder leads", channelId,
                        selfId, maxLag);
            }
            rescuing = false;
            stuckSince = null;
        } else if (mine != lastHeight) {
            stuckSince = null;
        } else if (stuckSince == null) {
            stuckSince = now;
        } else if (!rescuing && !now.isBefore(stuckSince.plus(RESCUE_AFTER))) {
            rescuing = true;
            LOG.warn("channel {}: {} has stood at height {} for {} while the orderers report {} and {} holds the lease;"
                    + " it pulls from the orderers itself until it catches up", channelId, selfId, mine, RESCUE_AFTER,
                    orderers.orElseThrow(), holder);
        }
        lastHeight = mine;
    }

    private void switchTo(Source next, RuntimeException cause) {
        Source previous = source;
        source = next;
        if (previous != next) {
            if (next == Source.FALLBACK) {
                LOG.warn("channel {}: no leader lease from the index ({}); {} follows its organization's heartbeat"
                        + " election until the index answers", channelId, cause == null ? "" : cause.getMessage(), selfId);
            } else if (previous == Source.FALLBACK) {
                LOG.info("channel {}: the index answers leader lease calls again; the lease decides who leads", channelId);
            }
        }
    }

    private boolean caughtUp() {
        long highest = organizationHeights.get().values().stream().mapToLong(Long::longValue).max().orElse(0);
        return height.getAsLong() + maxLag >= highest;
    }

    private synchronized void decide() {
        boolean next = switch (source) {
            case STARTING -> false;
            case INDEX -> holding || rescuing;
            case FALLBACK -> fallback.isLeader();
        };
        if (closed || next == leading) {
            return;
        }
        leading = next;
        LOG.info("channel {}: {} {} leading ({})", channelId, selfId, next ? "starts" : "stops",
                source == Source.INDEX ? "leader lease" : "heartbeat election, the index being unreachable");
        listeners.forEach(l -> l.accept(next));
    }

    @Override
    public boolean isLeader() {
        return leading;
    }

    @Override
    public Optional<String> leader() {
        return switch (source) {
            case STARTING -> Optional.empty();
            case INDEX -> Optional.ofNullable(holder).filter(h -> !h.isEmpty());
            case FALLBACK -> fallback.leader();
        };
    }

    /** Where the decision comes from now: the index's lease, or the heartbeat election while the index is out. */
    public Source source() {
        return source;
    }

    @Override
    public void onLeadershipChange(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    /** Stops asking; a held lease is released (best effort) so that another peer takes over at its next round. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (leading) {
                leading = false;
                listeners.forEach(l -> l.accept(false));
            }
        }
        timer.shutdownNow();
        if (holding && source == Source.INDEX) {
            holding = false;
            // bounded: a shutdown does not wait for an index that stopped answering; the lease then simply expires
            Thread releasing = Thread.ofVirtual().name("charter-lease-release-" + channelId).start(() -> {
                try {
                    leases.release(channelId);
                } catch (RuntimeException e) {
                    LOG.info("channel {}: the leader lease was not released ({}); it expires at {}", channelId,
                            e.getMessage(), leaseExpiresAt);
                }
            });
            try {
                if (!releasing.join(RELEASE_WAIT)) {
                    LOG.info("channel {}: the index did not confirm the release within {}; the lease expires at {}",
                            channelId, RELEASE_WAIT, leaseExpiresAt);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
