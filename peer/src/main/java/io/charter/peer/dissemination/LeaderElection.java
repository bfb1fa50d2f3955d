package io.charter.peer.dissemination;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Who, among the peers of one organization, leads one channel: the leader alone pulls blocks from the
 * orderers and pushes them to the others.
 */
public interface LeaderElection extends AutoCloseable {

    void start();

    /** Whether this peer leads now. */
    boolean isLeader();

    /** The peer this one considers the leader now; empty while it does not know yet. */
    Optional<String> leader();

    /** Told {@code true} when this peer becomes leader and {@code false} when it stops being leader. */
    void onLeadershipChange(Consumer<Boolean> listener);

    @Override
    void close();
}
