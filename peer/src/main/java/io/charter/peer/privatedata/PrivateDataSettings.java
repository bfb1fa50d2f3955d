package io.charter.peer.privatedata;

import java.time.Duration;

/**
 * How a peer handles private data (configured under {@code charter.peer.private-data}).
 *
 * @param pushTimeout how long an endorser waits for a member peer to store pushed private writes before counting it
 *     as unreachable (default 3 s)
 * @param maxTransientEntries the most entries (transaction × collection) a channel's transient store holds; beyond,
 *     pushes are refused (PRIVATE_DATA_STORE_FULL) and this peer's own endorsements with private writes too
 *     (default 100,000)
 * @param maxTransientEntriesPerOrganization the most of those one organization's peers may hold, this peer's own
 *     endorsements counting for its organization (default 25,000): a member organization cannot fill the store alone
 * @param reconcileInterval how often a member peer asks other member peers for private data it misses (default 5 s)
 */
public record PrivateDataSettings(Duration pushTimeout, int maxTransientEntries, int maxTransientEntriesPerOrganization,
                                  Duration reconcileInterval) {

    public static final PrivateDataSettings DEFAULTS = new PrivateDataSettings(Duration.ofSeconds(3), 100_000, 25_000,
            Duration.ofSeconds(5));

    public PrivateDataSettings {
        if (pushTimeout.isNegative() || pushTimeout.isZero() || reconcileInterval.isNegative() || reconcileInterval.isZero()) {
            throw new IllegalArgumentException("private data timings are positive: push timeout " + pushTimeout
                    + ", reconcile interval " + reconcileInterval);
        }
        if (maxTransientEntries < 1 || maxTransientEntriesPerOrganization < 1) {
            throw new IllegalArgumentException("the transient store holds at least 1 entry, and 1 per organization, not "
                    + maxTransientEntries + " and " + maxTransientEntriesPerOrganization);
        }
    }
}
