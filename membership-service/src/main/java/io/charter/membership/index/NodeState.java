package io.charter.membership.index;

/** Computed at query time from the last heartbeat. Evicted nodes are gone from the index. */
public enum NodeState {
    UP,
    DOWN
}
