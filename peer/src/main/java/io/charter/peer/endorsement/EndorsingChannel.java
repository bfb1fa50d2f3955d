package io.charter.peer.endorsement;

import io.charter.peer.ledger.Ledger;
import io.charter.peer.lifecycle.ContractDefinitions;
import io.charter.peer.validation.ChannelContext;
import java.util.Objects;

/** What endorsing on one joined channel needs: its configuration, its ledger and its contract definitions. */
public record EndorsingChannel(ChannelContext context, Ledger ledger, ContractDefinitions definitions) {

    public EndorsingChannel {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(definitions, "definitions");
        if (!context.channelId().equals(ledger.channelId())) {
            throw new IllegalArgumentException("configuration of " + context.channelId() + ", ledger of " + ledger.channelId());
        }
    }
}
