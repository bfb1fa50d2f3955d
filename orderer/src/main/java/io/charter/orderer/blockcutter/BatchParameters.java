package io.charter.orderer.blockcutter;

import io.charter.protocol.OrdererConfig;
import java.time.Duration;

/**
 * A channel's batch parameters. Defaults are Fabric's: 500 envelopes, 2 MB preferred, 10 MB
 * absolute, 2 s timeout.
 *
 * @param maxMessageCount a block holds at most this many envelopes
 * @param preferredMaxBytes a block of several envelopes holds at most this many envelope bytes; a
 *     larger envelope goes in a block of its own
 * @param absoluteMaxBytes no envelope (hence no block's envelope bytes) may be larger
 * @param batchTimeout how long the first envelope of a batch waits for others
 */
public record BatchParameters(int maxMessageCount, long preferredMaxBytes, long absoluteMaxBytes, Duration batchTimeout) {

    public static final int DEFAULT_MAX_MESSAGE_COUNT = 500;
    public static final long DEFAULT_PREFERRED_MAX_BYTES = 2L * 1024 * 1024;
    public static final long DEFAULT_ABSOLUTE_MAX_BYTES = 10L * 1024 * 1024;
    public static final Duration DEFAULT_BATCH_TIMEOUT = Duration.ofSeconds(2);

    public static final BatchParameters DEFAULTS = new BatchParameters(
            DEFAULT_MAX_MESSAGE_COUNT, DEFAULT_PREFERRED_MAX_BYTES, DEFAULT_ABSOLUTE_MAX_BYTES, DEFAULT_BATCH_TIMEOUT);

    public BatchParameters {
        if (maxMessageCount < 1) {
            throw new IllegalArgumentException("max message count must be at least 1, not " + maxMessageCount);
        }
        if (preferredMaxBytes < 1 || absoluteMaxBytes < preferredMaxBytes) {
            throw new IllegalArgumentException("need 0 < preferred max bytes (" + preferredMaxBytes
                    + ") <= absolute max bytes (" + absoluteMaxBytes + ")");
        }
        if (batchTimeout.isNegative() || batchTimeout.isZero()) {
            throw new IllegalArgumentException("batch timeout must be positive, not " + batchTimeout);
        }
    }

    /** The channel's parameters, each unset (zero) field taking its default. */
    public static BatchParameters of(OrdererConfig config) {
        int count = DEFAULT_MAX_MESSAGE_COUNT;
        long preferred = DEFAULT_PREFERRED_MAX_BYTES;
        long absolute = DEFAULT_ABSOLUTE_MAX_BYTES;
        Duration timeout = DEFAULT_BATCH_TIMEOUT;
        if (config.hasBatchSize()) {
            var size = config.getBatchSize();
            if (size.getMaxMessageCount() > 0) {
                count = size.getMaxMessageCount();
            }
            if (size.getPreferredMaxBytes() > 0) {
                preferred = size.getPreferredMaxBytes();
            }
            if (size.getAbsoluteMaxBytes() > 0) {
                absolute = size.getAbsoluteMaxBytes();
            }
        }
        if (config.hasBatchTimeout()) {
            Duration configured = Duration.ofSeconds(
                    config.getBatchTimeout().getSeconds(), config.getBatchTimeout().getNanos());
            if (!configured.isZero() && !configured.isNegative()) {
                timeout = configured;
            }
        }
        return new BatchParameters(count, Math.min(preferred, absolute), Math.max(preferred, absolute), timeout);
    }
}
