package io.charter.peer.endorsement;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;

/** The tx ids this peer was asked to endorse recently, oldest first, bounded in time and count. Thread-safe. */
final class RecentProposals {

    private final long windowMillis;
    private final int capacity;
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    RecentProposals(long windowMillis, int capacity) {
        this.windowMillis = windowMillis;
        this.capacity = capacity;
    }

    /**
     * Records {@code txId}; false when it was seen within the window already. A full memory forgets its oldest tx id
     * to make room for a new one, never one that is asked about again.
     */
    synchronized boolean firstTime(String txId, Instant now) {
        long nowMillis = now.toEpochMilli();
        for (Iterator<Long> times = seen.values().iterator(); times.hasNext(); ) {
            if (nowMillis - times.next() <= windowMillis) {
                break;
            }
            times.remove();
        }
        if (seen.containsKey(txId)) {
            return false;
        }
        if (seen.size() >= capacity) {
            Iterator<String> oldest = seen.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        seen.put(txId, nowMillis);
        return true;
    }
}
