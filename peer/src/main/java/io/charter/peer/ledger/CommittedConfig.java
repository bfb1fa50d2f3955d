package io.charter.peer.ledger;

import io.charter.protocol.ChannelConfig;
import java.util.Objects;

/** A channel configuration as committed, with the number of the (genesis or config) block that carried it. */
public record CommittedConfig(ChannelConfig config, long blockNumber) {

    public CommittedConfig {
        Objects.requireNonNull(config, "config");
    }

    public long sequence() {
        return config.getSequence();
    }
}
