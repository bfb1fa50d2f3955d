package io.charter.samples.assettransfer;

import io.charter.contract.ClientIdentity;
import io.charter.contract.Context;
import io.charter.contract.ContractException;
import io.charter.contract.Json;
import io.charter.contract.KeyModification;
import io.charter.contract.KeyValue;
import io.charter.contract.Page;
import io.charter.contract.Query;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An in-memory {@link Context} for unit tests of contracts: writes apply at once, rich queries support
 * top-level containment only. The real simulation runs in the peer.
 */
final class MemoryContext implements Context {

    final TreeMap<String, byte[]> state = new TreeMap<>();
    final Map<String, List<KeyModification>> history = new HashMap<>();
    final List<Map.Entry<String, String>> events = new ArrayList<>();
    ClientIdentity caller;
    /** What {@link #transientData()} returns: set it before calling a function that reads transient data. */
    final Map<String, byte[]> transientData = new HashMap<>();

    /** Replaces the transient data the next call sees. */
    MemoryContext withTransient(Map<String, byte[]> data) {
        transientData.clear();
        transientData.putAll(data);
        return this;
    }
    private int tx;

    MemoryContext as(String mspId, String role, String enrollmentId) {
        caller = new ClientIdentity(mspId, role, enrollmentId, Map.of(), new byte[0]);
        tx++;
        return this;
    }

    @Override public String channelId() { return "test"; }
    @Override public String txId() { return "tx" + tx; }
    @Override public Instant timestamp() { return Instant.EPOCH.plusSeconds(tx); }
    @Override public String function() { return "test"; }
    @Override public ClientIdentity caller() { return caller; }
    @Override public Map<String, byte[]> transientData() { return Map.copyOf(transientData); }

    /** Private data by collection: any collection name exists, every caller is a member. */
    final Map<String, TreeMap<String, byte[]>> collections = new HashMap<>();

    @Override
    public Optional<byte[]> getPrivate(String collection, String key) {
        return Optional.ofNullable(collections.getOrDefault(collection, new TreeMap<>()).get(key)).map(byte[]::clone);
    }

    @Override
    public Optional<byte[]> getPrivateHash(String collection, String key) {
        return getPrivate(collection, key).map(value -> {
            try {
                return java.security.MessageDigest.getInstance("SHA-256").digest(value);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public void putPrivate(String collection, String key, byte[] value) {
        collections.computeIfAbsent(collection, c -> new TreeMap<>()).put(key, value.clone());
    }

    @Override
    public void deletePrivate(String collection, String key) {
        collections.computeIfAbsent(collection, c -> new TreeMap<>()).remove(key);
    }

    @Override
    public Page privateRange(String collection, String startKey, String endKey, int pageSize, String bookmark) {
        TreeMap<String, byte[]> values = collections.computeIfAbsent(collection, c -> new TreeMap<>());
        var view = endKey.isEmpty() ? values.tailMap(startKey, true) : values.subMap(startKey, true, endKey, false);
        return page(view, pageSize, bookmark, v -> true);
    }

    @Override
    public Page privateQuery(String collection, Query query, int pageSize, String bookmark) {
        throw new ContractException("INVALID_QUERY", "the memory context has no rich queries over private data");
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(state.get(key)).map(byte[]::clone);
    }

    @Override
    public void put(String key, byte[] value) {
        state.put(key, value.clone());
        history.computeIfAbsent(key, k -> new ArrayList<>()).add(new KeyModification(txId(), tx, 0, false, value));
    }

    @Override
    public void delete(String key) {
        state.remove(key);
        history.computeIfAbsent(key, k -> new ArrayList<>()).add(new KeyModification(txId(), tx, 0, true, null));
    }

    @Override
    public Page range(String startKey, String endKey, int pageSize, String bookmark) {
        var view = endKey.isEmpty() ? state.tailMap(startKey, true) : state.subMap(startKey, true, endKey, false);
        return page(view, pageSize, bookmark, v -> true);
    }

    @Override
    public Page query(Query query, int pageSize, String bookmark) {
        if (!(query instanceof Query.Containing containing)) {
            throw new ContractException("INVALID_QUERY", "the memory context supports containment only");
        }
        Map<String, Object> filter = Json.parseObject(containing.jsonDocument());
        return page(state, pageSize, bookmark, value -> {
            try {
                Map<String, Object> json = Json.parseObject(new String(value, StandardCharsets.UTF_8));
                return filter.entrySet().stream().allMatch(e -> java.util.Objects.equals(json.get(e.getKey()), e.getValue()));
            } catch (ContractException notJson) {
                return false;
            }
        });
    }

    private static Page page(Map<String, byte[]> view, int pageSize, String bookmark,
                             java.util.function.Predicate<byte[]> filter) {
        String after = bookmark == null || bookmark.isEmpty() ? null
                : new String(Base64.getUrlDecoder().decode(bookmark), StandardCharsets.UTF_8);
        List<KeyValue> entries = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : view.entrySet()) {
            if (after != null && entry.getKey().compareTo(after) <= 0 || !filter.test(entry.getValue())) {
                continue;
            }
            if (entries.size() == pageSize) {
                String last = entries.getLast().key();
                return new Page(entries, Optional.of(Base64.getUrlEncoder().encodeToString(last.getBytes(StandardCharsets.UTF_8))));
            }
            entries.add(new KeyValue(entry.getKey(), entry.getValue()));
        }
        return new Page(entries, Optional.empty());
    }

    @Override
    public List<KeyModification> history(String key) {
        return List.copyOf(history.getOrDefault(key, List.of()));
    }

    @Override
    public void setEvent(String name, byte[] payload) {
        events.add(Map.entry(name, new String(payload, StandardCharsets.UTF_8)));
    }
}
