package io.charter.peer.dissemination;

/**
 * How blocks reach the peers of an organization.
 *
 * @param mode {@link Mode#LEADER}: the elected leader alone pulls from the orderers and pushes to the others (the
 *     super node); {@link Mode#EVERY_PEER}: every peer pulls from the orderers itself and nothing is pushed (no super
 *     nodes: for comparison, or for organizations whose peers cannot reach each other)
 * @param relayFanout in LEADER mode, into how many relay subtrees the leader splits its organization's other peers
 *     (each part's first peer passes the block on in turn, so the last peer is reached after about
 *     log_fanout(peers) hops); 0: the leader pushes to every peer itself (linear)
 */
public record DisseminationSettings(Mode mode, int relayFanout) {

    public enum Mode { LEADER, EVERY_PEER }

    /** The leader relays through 3 subtrees. */
    public static final DisseminationSettings DEFAULTS = new DisseminationSettings(Mode.LEADER, 3);

    public DisseminationSettings {
        java.util.Objects.requireNonNull(mode, "mode");
        if (relayFanout < 0) {
            throw new IllegalArgumentException("relay fanout must be 0 (linear push) or positive, not " + relayFanout);
        }
    }

    public boolean everyPeerPulls() {
        return mode == Mode.EVERY_PEER;
    }
}
