package io.charter.orderer.consensus;

import java.util.List;

/**
 * A channel's Raft state as this orderer sees it.
 *
 * @param self this orderer's Raft peer id
 * @param role LEADER, FOLLOWER, CANDIDATE, LISTENER
 * @param leader the leader's peer id, or empty when unknown
 * @param commitIndex the highest Raft log index known to be committed
 * @param lastAppliedIndex the highest index this orderer applied to its block store
 * @param members the current configuration; match indexes are known only on the leader (-1 elsewhere)
 */
public record RaftStatus(
        String self, String role, String leader, long term, long commitIndex, long lastAppliedIndex, long height,
        List<Member> members) {

    public record Member(String id, String address, long matchIndex) {}

    public boolean hasLeader() {
        return !leader.isEmpty();
    }

    /** Whether this orderer has a leader and has applied the committed log up to {@code maxLag} entries. */
    public boolean caughtUp(long maxLag) {
        return hasLeader() && lastAppliedIndex >= commitIndex - maxLag;
    }
}
