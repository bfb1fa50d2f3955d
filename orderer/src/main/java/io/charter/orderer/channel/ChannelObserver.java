package io.charter.orderer.channel;

/**
 * Events of the channels for metrics, beyond the counters the core keeps itself ({@link
 * ChannelOrderer#blocksCut()}, {@link ChannelOrderer#leaderChanges()}). Called on the channel's
 * ordering thread: keep it short and never block.
 */
public interface ChannelObserver {

    ChannelObserver NONE = new ChannelObserver() {};

    /**
     * A block this orderer cut while leading was committed by Raft and stored here.
     *
     * @param cutToCommitNanos from the moment the block was cut (before signing) until it was stored
     */
    default void blockCommitted(String channelId, long blockNumber, int envelopes, long cutToCommitNanos) {}
}
