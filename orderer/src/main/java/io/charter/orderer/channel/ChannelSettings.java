package io.charter.orderer.channel;

import java.time.Duration;

/**
 * Per-channel settings of the orderer core (not part of the channel configuration).
 *
 * @param commitTimeout how long {@code submit} waits for the envelope to be in a committed block
 *     before answering TIMEOUT
 * @param recentTxIds how many recently ordered tx ids are remembered to refuse duplicates
 */
public record ChannelSettings(Duration commitTimeout, int recentTxIds) {

    public static final ChannelSettings DEFAULTS = new ChannelSettings(Duration.ofSeconds(30), 200_000);
}
