package io.charter.peer.endorsement;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tx ids this peer was asked to endorse recently, oldest first, bounded in time and count. Thread-safe. */
final class RecentProposals {

    private final long windowMillis;
    private final int capacity;
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    RecentProposals(long windowMillis, int capacity) {
        this.windowMillis = windowMillis;
        this.capacity = capacity;
    }

    /** Records {@code txId}; false when it was seen within the window already. */
    synchronized boolean firstTime(String txId, Instant now) {
        long nowMillis = now.toEpochMilli();
        Iterator<Map.Entry<String, Long>> oldest = seen.entrySet().iterator();
        while (oldest.hasNext()) {
            Map.Entry<String, Long> entry = oldest.next();
            if (nowMillis - entry.getValue() <= windowMillis && seen.size() < capacity) {
                break;
            }
            oldest.remove();
        }
        return seen.putIfAbsent(txId, nowMillis) == null;
    }
}
