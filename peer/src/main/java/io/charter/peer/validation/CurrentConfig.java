package io.charter.peer.validation;

import io.charter.protocol.ChannelConfig;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration in force on one channel of this peer: the genesis configuration, then the one of each
 * config block committed since. The validator, the contract definitions (default endorsement policy), the
 * endorser and the channel's transport access (TLS identities, Readers) all read it here, so a committed
 * config block switches them together for the following blocks. Thread-safe.
 */
public final class CurrentConfig implements Supplier<ChannelContext> {

    private static final Logger LOG = LoggerFactory.getLogger(CurrentConfig.class);

    private final Clock clock;
    private final List<Consumer<ChannelContext>> preparers = new CopyOnWriteArrayList<>();
    private final List<Consumer<ChannelContext>> listeners = new CopyOnWriteArrayList<>();
    private volatile ChannelContext context;

    public CurrentConfig(ChannelContext initial, Clock clock) {
        this.context = Objects.requireNonNull(initial, "initial");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A channel whose configuration never changes under the caller (tests and tools). */
    public static CurrentConfig fixed(ChannelContext context) {
        return new CurrentConfig(context, Clock.systemUTC());
    }

    /** The context of the configuration in force. */
    @Override
    public ChannelContext get() {
        return context;
    }

    public ChannelConfig config() {
        return context.config();
    }

    /** The sequence of the configuration in force (0 for a genesis configuration that sets none). */
    public long sequence() {
        return context.config().getSequence();
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Builds the context of {@code config}.
     *
     * @throws IllegalArgumentException when a certificate, CRL or policy of it cannot be used
     */
    public ChannelContext contextOf(ChannelConfig config) {
        return ChannelContext.of(config, clock);
    }

    /**
     * Puts {@code next} in force (called by the committer once the config block that carries it is
     * committed) and tells the listeners, in registration order. A listener that throws is logged; the
     * switch stands (the block is committed).
     */
    public void switchTo(ChannelContext next) {
        if (!next.channelId().equals(context.channelId())) {
            throw new IllegalArgumentException("a configuration of " + next.channelId() + " for channel " + context.channelId());
        }
        for (Consumer<ChannelContext> preparer : preparers) {
            try {
                preparer.accept(next);
            } catch (RuntimeException e) {
                LOG.error("channel {}: preparing configuration sequence {} failed in {}: {}", next.channelId(),
                        next.config().getSequence(), preparer, e.toString(), e);
            }
        }
        context = next;
        for (Consumer<ChannelContext> listener : listeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                LOG.error("channel {}: applying configuration sequence {} failed in {}: {}", next.channelId(),
                        next.config().getSequence(), listener, e.toString(), e);
            }
        }
    }

    /**
     * Called with each new configuration just before it is put in force, e.g. to give its organizations the
     * CRLs refreshed from the membership service since the configuration was written.
     */
    public void beforeSwitch(Consumer<ChannelContext> preparer) {
        preparers.add(preparer);
    }

    /** Called with each configuration put in force from now on. */
    public void onSwitch(Consumer<ChannelContext> listener) {
        listeners.add(listener);
    }
}
