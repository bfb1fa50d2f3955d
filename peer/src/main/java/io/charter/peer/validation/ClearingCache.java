package io.charter.peer.validation;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A cache of values that are cheap to recompute but recur (public keys by certificate, policy verdicts by shape),
 * read without locks by the validating threads, and bounded the simplest way: when full it is emptied. A block
 * brings few distinct keys, so a refill costs one block's first computations; an unbounded map would let a stream
 * of distinct certificates grow it without end.
 */
final class ClearingCache<K, V> {

    private final int capacity;
    private final ConcurrentHashMap<K, V> values = new ConcurrentHashMap<>();

    ClearingCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a cache holds at least one value, not " + capacity);
        }
        this.capacity = capacity;
    }

    /** The cached value of {@code key}, or {@code compute}'s (never null), cached. */
    V get(K key, Function<K, V> compute) {
        V cached = values.get(key);
        if (cached != null) {
            return cached;
        }
        V value = Objects.requireNonNull(compute.apply(key), "computed value");
        if (values.size() >= capacity) {
            values.clear();
        }
        values.put(key, value);
        return value;
    }

    int size() {
        return values.size();
    }
}
