package io.charter.peer.app;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes the joined channels' neighbours from the index every {@code charter.peer.discovery.refresh-interval}
 * ({@link PeerChannels#refreshNeighbours()}), only when they are discovered rather than configured.
 */
final class NeighbourRefresh implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NeighbourRefresh.class);

    private final ScheduledExecutorService timer;
    private final PeerChannels channels;

    NeighbourRefresh(PeerChannels channels, Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("charter.peer.discovery.refresh-interval must be positive, not " + interval);
        }
        this.channels = channels;
        if (!channels.discoversNeighbours()) {
            timer = null;
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("charter-neighbour-refresh").factory());
        timer.scheduleWithFixedDelay(() -> {
            try {
                channels.refreshNeighbours();
            } catch (RuntimeException e) {
                // the next tick tries again; the channels keep the neighbours they have
                LOG.warn("refreshing the neighbours from the index failed: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Refreshes at once, on the refresh thread (e.g. after a config block changed a channel's organizations or
     * consenters); nothing when the neighbours are configured rather than discovered.
     */
    void trigger() {
        if (timer != null) {
            timer.execute(() -> {
                try {
                    channels.refreshNeighbours();
                } catch (RuntimeException e) {
                    LOG.warn("refreshing the neighbours from the index failed: {}", e.toString());
                }
            });
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
