package io.charter.peer.administration;

/**
 * How the peer's host leaves a channel when an admin asks: the node stops serving it, and the host forgets it
 * (its record of joined channels, so that a restart does not rejoin it; its metrics). Without a host's, the
 * node alone leaves.
 */
@FunctionalInterface
public interface ChannelLeaving {

    /**
     * Leaves a joined channel without stopping the peer; with {@code removeData}, deletes its ledger too.
     *
     * @return false when the channel was not joined (left meanwhile)
     */
    boolean leave(String channelId, boolean removeData);
}
