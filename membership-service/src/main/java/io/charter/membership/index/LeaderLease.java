package io.charter.membership.index;

import java.time.Instant;

/**
 * The state of a leader lease after an acquire or renew.
 *
 * @param granted whether the caller holds the lease now
 * @param holder the node that holds it (the caller when granted)
 * @param term increases each time the lease changes hands
 */
public record LeaderLease(String channel, String mspId, boolean granted, String holder, long term, Instant expiresAt) {}
