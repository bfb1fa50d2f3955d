package io.charter.peer.endorsement;

import io.charter.peer.ledger.Ledger;
import io.charter.peer.lifecycle.ContractDefinitions;
import io.charter.peer.validation.ChannelContext;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What endorsing on one joined channel needs: its configuration in force (read at every proposal, so a
 * committed config block applies from the next one), its ledger and its contract definitions.
 */
public record EndorsingChannel(Supplier<ChannelContext> currentContext, Ledger ledger, ContractDefinitions definitions) {

    public EndorsingChannel {
        Objects.requireNonNull(currentContext, "currentContext");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(definitions, "definitions");
        if (!currentContext.get().channelId().equals(ledger.channelId())) {
            throw new IllegalArgumentException("configuration of " + currentContext.get().channelId() + ", ledger of "
                    + ledger.channelId());
        }
    }

    /** A channel whose configuration does not change (tests and tools). */
    public EndorsingChannel(ChannelContext context, Ledger ledger, ContractDefinitions definitions) {
        this(() -> context, ledger, definitions);
    }

    /** The configuration in force now. */
    public ChannelContext context() {
        return currentContext.get();
    }
}
