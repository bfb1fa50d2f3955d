package io.charter.orderer.channel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The transaction ids of the most recent committed envelopes with their block numbers, up to a
 * capacity (oldest forgotten first). The orderer refuses to order an id found here again; peers
 * check duplicates against the whole ledger anyway.
 */
final class RecentTxIds {

    private final int capacity;
    private final Map<String, Long> ids;

    RecentTxIds(int capacity) {
        this.capacity = capacity;
        this.ids = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > RecentTxIds.this.capacity;
            }
        };
    }

    synchronized void add(String txId, long block) {
        ids.putIfAbsent(txId, block);
    }

    synchronized OptionalLong blockOf(String txId) {
        Long block = ids.get(txId);
        return block == null ? OptionalLong.empty() : OptionalLong.of(block);
    }
}
