package io.charter.peer.simulation;

import com.google.protobuf.ByteString;
import io.charter.contract.ClientIdentity;
import io.charter.contract.Context;
import io.charter.contract.ContractException;
import io.charter.contract.KeyModification;
import io.charter.contract.KeyValue;
import io.charter.contract.Page;
import io.charter.contract.Query;
import io.charter.peer.ledger.HashedKey;
import io.charter.peer.ledger.HistoryEntry;
import io.charter.peer.ledger.PrivateRead;
import io.charter.peer.ledger.VersionedHash;
import io.charter.peer.privatedata.Collection;
import io.charter.peer.privatedata.PrivateDataHashes;
import io.charter.protocol.CollectionConfig;
import io.charter.protocol.CollectionHashedReadWriteSet;
import io.charter.protocol.CollectionPrivateWrites;
import io.charter.protocol.KeyReadHash;
import io.charter.peer.ledger.KeyOrder;
import io.charter.peer.ledger.KeyVersion;
import io.charter.peer.ledger.Ledger;
import io.charter.peer.ledger.LedgerException;
import io.charter.peer.ledger.RichQuery;
import io.charter.peer.ledger.StatePage;
import io.charter.peer.ledger.VersionedValue;
import io.charter.protocol.ContractEvent;
import io.charter.protocol.ContractEvents;
import io.charter.protocol.KeyRead;
import io.charter.protocol.KeyWrite;
import io.charter.protocol.NamespaceReadWriteSet;
import io.charter.protocol.RangeQueryInfo;
import io.charter.protocol.TxReadWriteSet;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link Context} over one namespace of a channel's ledger that commits nothing: it records every
 * read with the version it saw, every write and delete, every range read (for the validator's phantom
 * check) and every event, and turns them into the read-write set an endorsement signs.
 *
 * <p>Semantics: {@link #get} sees the simulation's own writes first (read your own writes; such a read
 * is not recorded, since the transaction's outcome does not depend on the ledger for that key), then the
 * value read before in this simulation (a key is read from the ledger once, so the contract sees one
 * version of it), then the ledger. Range and rich queries and history read the committed state. A range
 * read is recorded as a {@link RangeQueryInfo} (start, end, whether the page was the last, the keys and
 * versions returned), a rich query's results as plain reads (rich queries are not re-run at validation).
 *
 * <p>Determinism: reads and writes are emitted sorted by key and range reads and events in call order,
 * so peers that run the same contract on the same state produce the same bytes, which is what lets a
 * client put several peers' endorsements on one response payload.
 *
 * <p>After {@link #close} (the invocation timed out or ended) every method throws CONTEXT_CLOSED, so a
 * runaway contract thread cannot go on reading through it. Used by one contract thread at a time.
 */
public final class TransactionSimulator implements Context {

    private static final java.util.Comparator<ByteString> HASH_ORDER = ByteString.unsignedLexicographicalComparator();
    private static final TreeMap<String, Optional<byte[]>> EMPTY = new TreeMap<>();

    /** Largest value a contract may write. */
    public static final int MAX_VALUE_BYTES = 4 * 1024 * 1024;
    /** Most events one transaction may emit. */
    public static final int MAX_EVENTS = 100;

    private final Ledger ledger;
    private final String namespace;
    private final TransactionInfo info;
    private final TreeMap<String, Optional<KeyVersion>> reads = new TreeMap<>();
    private final TreeMap<String, Optional<byte[]>> readValues = new TreeMap<>();
    private final TreeMap<String, Optional<byte[]>> writes = new TreeMap<>();
    private final List<RangeQueryInfo> ranges = new ArrayList<>();
    private final List<ContractEvent> events = new ArrayList<>();
    private final PrivateDataAccess privateData;
    /** Per collection: hashed reads by key hash (the version read, empty when absent). */
    private final TreeMap<String, TreeMap<ByteString, Optional<KeyVersion>>> privateReads = new TreeMap<>();
    /** Per collection: values read (by key), so that the contract sees one version of a key. */
    private final TreeMap<String, TreeMap<String, Optional<byte[]>>> privateReadValues = new TreeMap<>();
    /** Per collection: writes by key (empty for a delete). */
    private final TreeMap<String, TreeMap<String, Optional<byte[]>>> privateWrites = new TreeMap<>();
    private volatile boolean readOnly;
    private volatile boolean closed;

    public TransactionSimulator(Ledger ledger, String namespace, TransactionInfo info) {
        this(ledger, namespace, info, PrivateDataAccess.NONE);
    }

    public TransactionSimulator(Ledger ledger, String namespace, TransactionInfo info, PrivateDataAccess privateData) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.info = Objects.requireNonNull(info, "info");
        this.privateData = Objects.requireNonNull(privateData, "privateData");
    }

    /** Makes every write fail with EVALUATE_WRITES (for functions of intent EVALUATE). */
    public TransactionSimulator readOnly() {
        readOnly = true;
        return this;
    }

    public String namespace() {
        return namespace;
    }

    /** Ends the simulation: every later call of the contract fails with CONTEXT_CLOSED. */
    public void close() {
        closed = true;
    }

    // ---- transaction ----

    @Override
    public String channelId() {
        open();
        return ledger.channelId();
    }

    @Override
    public String txId() {
        open();
        return info.txId();
    }

    @Override
    public Instant timestamp() {
        open();
        return info.timestamp();
    }

    @Override
    public String function() {
        open();
        return info.function();
    }

    @Override
    public ClientIdentity caller() {
        open();
        return info.caller();
    }

    @Override
    public Map<String, byte[]> transientData() {
        open();
        Map<String, byte[]> copy = new TreeMap<>();
        info.transientData().forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    // ---- state ----

    @Override
    public Optional<byte[]> get(String key) {
        open();
        checkKey(key);
        Optional<byte[]> written = writes.get(key);
        if (written != null) {
            return written.map(byte[]::clone);
        }
        Optional<byte[]> known = readValues.get(key);
        if (known != null) {
            return known.map(byte[]::clone);
        }
        Optional<VersionedValue> value = ledger(() -> ledger.get(namespace, key));
        reads.put(key, value.map(VersionedValue::version));
        readValues.put(key, value.map(VersionedValue::value));
        return value.map(v -> v.value().clone());
    }

    @Override
    public void put(String key, byte[] value) {
        open();
        checkWritable();
        checkKey(key);
        if (value == null) {
            throw new ContractException("INVALID_VALUE", "a value is not null (use delete)");
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new ContractException("INVALID_VALUE", "a value holds at most " + MAX_VALUE_BYTES + " bytes, not " + value.length);
        }
        writes.put(key, Optional.of(value.clone()));
    }

    @Override
    public void delete(String key) {
        open();
        checkWritable();
        checkKey(key);
        writes.put(key, Optional.empty());
    }

    @Override
    public Page range(String startKey, String endKey, int pageSize, String bookmark) {
        open();
        Objects.requireNonNull(startKey, "startKey");
        Objects.requireNonNull(endKey, "endKey");
        checkBound(startKey);
        checkBound(endKey);
        checkPageSize(pageSize);
        // The page starts at startKey, or just after the bookmark's key (the ledger's bookmark is the
        // base64url of the last key returned). No key holds U+0000, so key + U+0001 is the next possible key.
        String start = startKey;
        String after = decodeBookmark(bookmark);
        if (after != null) {
            String next = after + '\u0001';
            if (KeyOrder.compare(next, start) > 0) {
                start = next;
            }
        }
        StatePage page = ledger(() -> ledger.range(namespace, startKey, endKey, pageSize, emptyToNull(bookmark)));
        RangeQueryInfo.Builder info = RangeQueryInfo.newBuilder()
                .setStartKey(start)
                .setEndKey(endKey)
                .setItrExhausted(page.bookmark().isEmpty());
        List<KeyValue> entries = new ArrayList<>();
        for (VersionedValue value : page.entries()) {
            info.addReads(KeyRead.newBuilder().setKey(value.key()).setVersion(value.version().toProto()));
            entries.add(new KeyValue(value.key(), value.value()));
        }
        ranges.add(info.build());
        return new Page(entries, page.bookmark());
    }

    @Override
    public Page query(Query query, int pageSize, String bookmark) {
        open();
        Objects.requireNonNull(query, "query");
        checkPageSize(pageSize);
        decodeBookmark(bookmark);
        RichQuery richQuery = switch (query) {
            case Query.Containing containing -> RichQuery.containing(containing.jsonDocument());
            case Query.JsonPath path -> RichQuery.jsonPath(path.path(), path.variablesJson());
        };
        StatePage page;
        try {
            page = ledger.query(namespace, richQuery, pageSize, emptyToNull(bookmark));
        } catch (LedgerException e) {
            throw new ContractException("INVALID_QUERY", "the query was refused: " + e.getMessage());
        }
        List<KeyValue> entries = new ArrayList<>();
        for (VersionedValue value : page.entries()) {
            if (!writes.containsKey(value.key()) && !reads.containsKey(value.key())) {
                reads.put(value.key(), Optional.of(value.version()));
                readValues.put(value.key(), Optional.of(value.value()));
            }
            entries.add(new KeyValue(value.key(), value.value()));
        }
        return new Page(entries, page.bookmark());
    }

    @Override
    public List<KeyModification> history(String key) {
        open();
        checkKey(key);
        List<KeyModification> modifications = new ArrayList<>();
        for (HistoryEntry entry : ledger(() -> ledger.history(namespace, key))) {
            modifications.add(new KeyModification(entry.txId(), entry.version().blockNumber(), entry.version().txNumber(),
                    entry.deleted(), entry.value()));
        }
        return modifications;
    }

    @Override
    public void setEvent(String name, byte[] payload) {
        open();
        if (name == null || name.isEmpty()) {
            throw new ContractException("INVALID_EVENT", "an event needs a name");
        }
        if (events.size() >= MAX_EVENTS) {
            throw new ContractException("INVALID_EVENT", "a transaction emits at most " + MAX_EVENTS + " events");
        }
        events.add(ContractEvent.newBuilder()
                .setContractName(namespace)
                .setEventName(name)
                .setPayload(ByteString.copyFrom(payload == null ? new byte[0] : payload))
                .build());
    }

    // ---- private data ----

    @Override
    public Optional<byte[]> getPrivate(String collection, String key) {
        open();
        checkKey(key);
        Collection found = readableCollection(collection);
        Optional<byte[]> written = privateWrites.getOrDefault(collection, EMPTY).get(key);
        if (written != null) {
            return written.map(byte[]::clone);
        }
        Optional<byte[]> known = privateReadValues.getOrDefault(collection, EMPTY).get(key);
        if (known != null) {
            return known.map(byte[]::clone);
        }
        requireHolder(found);
        PrivateRead read = ledger(() -> ledger.getPrivate(namespace, collection, key));
        Optional<byte[]> value = switch (read) {
            case PrivateRead.Absent absent -> {
                recordPrivateRead(collection, key, Optional.empty());
                yield Optional.empty();
            }
            case PrivateRead.Present present -> {
                recordPrivateRead(collection, key, Optional.of(present.version()));
                yield Optional.of(present.value());
            }
            case PrivateRead.Purged purged -> {
                recordPrivateRead(collection, key, Optional.of(purged.version()));
                yield Optional.empty();
            }
            case PrivateRead.NotHeld notHeld -> throw new ContractException("PRIVATE_DATA_UNAVAILABLE", "the value of a key of"
                    + " collection " + collection + " written at " + notHeld.version() + " has not reached this peer yet"
                    + " (reconciliation from other member peers is pending); try another member peer or later");
        };
        privateReadValues.computeIfAbsent(collection, c -> new TreeMap<>()).put(key, value);
        return value.map(byte[]::clone);
    }

    @Override
    public Optional<byte[]> getPrivateHash(String collection, String key) {
        open();
        checkKey(key);
        collection(collection);
        Optional<byte[]> written = privateWrites.getOrDefault(collection, EMPTY).get(key);
        if (written != null) {
            return written.map(v -> PrivateDataHashes.valueHash(v).toByteArray());
        }
        ByteString keyHash = PrivateDataHashes.keyHash(key);
        Optional<VersionedHash> hash = ledger(() -> ledger.privateHash(new HashedKey(namespace, collection, keyHash)));
        TreeMap<ByteString, Optional<KeyVersion>> reads = privateReads.computeIfAbsent(collection, c -> new TreeMap<>(HASH_ORDER));
        reads.putIfAbsent(keyHash, hash.map(VersionedHash::version));
        return hash.map(h -> h.valueHash().toByteArray());
    }

    @Override
    public void putPrivate(String collection, String key, byte[] value) {
        open();
        checkWritable();
        checkKey(key);
        if (value == null) {
            throw new ContractException("INVALID_VALUE", "a value is not null (use deletePrivate)");
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new ContractException("INVALID_VALUE", "a value holds at most " + MAX_VALUE_BYTES + " bytes, not " + value.length);
        }
        writableCollection(collection);
        privateWrites.computeIfAbsent(collection, c -> new TreeMap<>()).put(key, Optional.of(value.clone()));
    }

    @Override
    public void deletePrivate(String collection, String key) {
        open();
        checkWritable();
        checkKey(key);
        writableCollection(collection);
        privateWrites.computeIfAbsent(collection, c -> new TreeMap<>()).put(key, Optional.empty());
    }

    @Override
    public Page privateRange(String collection, String startKey, String endKey, int pageSize, String bookmark) {
        open();
        Objects.requireNonNull(startKey, "startKey");
        Objects.requireNonNull(endKey, "endKey");
        checkBound(startKey);
        checkBound(endKey);
        checkPageSize(pageSize);
        decodeBookmark(bookmark);
        requireHolder(readableCollection(collection));
        StatePage page = ledger(() -> ledger.privateRange(namespace, collection, startKey, endKey, pageSize,
                emptyToNull(bookmark)));
        return privatePage(collection, page);
    }

    @Override
    public Page privateQuery(String collection, Query query, int pageSize, String bookmark) {
        open();
        Objects.requireNonNull(query, "query");
        checkPageSize(pageSize);
        decodeBookmark(bookmark);
        requireHolder(readableCollection(collection));
        RichQuery richQuery = switch (query) {
            case Query.Containing containing -> RichQuery.containing(containing.jsonDocument());
            case Query.JsonPath path -> RichQuery.jsonPath(path.path(), path.variablesJson());
        };
        StatePage page;
        try {
            page = ledger.privateQuery(namespace, collection, richQuery, pageSize, emptyToNull(bookmark));
        } catch (LedgerException e) {
            throw new ContractException("INVALID_QUERY", "the query was refused: " + e.getMessage());
        }
        return privatePage(collection, page);
    }

    /** Records each returned key as a hashed read (unless read or written before) and returns the page. */
    private Page privatePage(String collection, StatePage page) {
        List<KeyValue> entries = new ArrayList<>();
        for (VersionedValue value : page.entries()) {
            if (!privateWrites.getOrDefault(collection, EMPTY).containsKey(value.key())
                    && !privateReadValues.getOrDefault(collection, EMPTY).containsKey(value.key())) {
                recordPrivateRead(collection, value.key(), Optional.of(value.version()));
                privateReadValues.computeIfAbsent(collection, c -> new TreeMap<>()).put(value.key(), Optional.of(value.value()));
            }
            entries.add(new KeyValue(value.key(), value.value()));
        }
        return new Page(entries, page.bookmark());
    }

    private void recordPrivateRead(String collection, String key, Optional<KeyVersion> version) {
        privateReads.computeIfAbsent(collection, c -> new TreeMap<>(HASH_ORDER)).putIfAbsent(PrivateDataHashes.keyHash(key), version);
    }

    private Collection collection(String name) {
        if (name == null || name.isEmpty()) {
            throw new ContractException("UNKNOWN_COLLECTION", "a collection name is not empty");
        }
        return privateData.collections().apply(name).orElseThrow(() -> new ContractException("UNKNOWN_COLLECTION",
                "contract " + namespace + " has no collection '" + name + "' in its committed definition"));
    }

    private Collection readableCollection(String name) {
        return permitted(name, CollectionConfig::getMemberOnlyRead, "PRIVATE_READ_DENIED", "memberOnlyRead");
    }

    private Collection writableCollection(String name) {
        return permitted(name, CollectionConfig::getMemberOnlyWrite, "PRIVATE_WRITE_DENIED", "memberOnlyWrite");
    }

    /** The collection, unless its member-only rule ({@code memberOnly}) refuses the caller's organization. */
    private Collection permitted(String name, java.util.function.Predicate<CollectionConfig> memberOnly, String code,
                                 String rule) {
        Collection found = collection(name);
        if (memberOnly.test(found.config()) && !found.isMember(info.caller().mspId())) {
            throw new ContractException(code, "collection " + name + " is " + rule + " and the caller's organization "
                    + info.caller().mspId() + " is not a member of it " + found.members());
        }
        return found;
    }

    private void requireHolder(Collection found) {
        if (!found.isMember(privateData.peerMspId())) {
            throw new ContractException("PRIVATE_DATA_UNAVAILABLE", "this peer's organization " + privateData.peerMspId()
                    + " is not a member of collection " + found.name() + ": ask a peer of " + found.members());
        }
    }

    // ---- results ----

    /** The read-write set and events of the simulation so far. */
    public SimulationResults results() {
        NamespaceReadWriteSet.Builder ns = NamespaceReadWriteSet.newBuilder().setNamespace(namespace);
        reads.forEach((key, version) -> {
            KeyRead.Builder read = KeyRead.newBuilder().setKey(key);
            version.ifPresent(v -> read.setVersion(v.toProto()));
            ns.addReads(read);
        });
        writes.forEach((key, value) -> ns.addWrites(value
                .map(v -> KeyWrite.newBuilder().setKey(key).setValue(ByteString.copyFrom(v)))
                .orElseGet(() -> KeyWrite.newBuilder().setKey(key).setIsDelete(true))));
        ns.addAllRangeQueries(ranges);
        List<CollectionPrivateWrites> clear = new ArrayList<>();
        java.util.TreeSet<String> collections = new java.util.TreeSet<>(privateReads.keySet());
        collections.addAll(privateWrites.keySet());
        for (String collection : collections) {
            CollectionHashedReadWriteSet.Builder hashed = CollectionHashedReadWriteSet.newBuilder().setCollection(collection);
            privateReads.getOrDefault(collection, new TreeMap<>()).forEach((keyHash, version) -> {
                KeyReadHash.Builder read = KeyReadHash.newBuilder().setKeyHash(keyHash);
                version.ifPresent(v -> read.setVersion(v.toProto()));
                hashed.addReads(read);
            });
            // the writes in the order of their key hashes, the clear ones in the same order
            TreeMap<ByteString, KeyWrite> byHash = new TreeMap<>(HASH_ORDER);
            privateWrites.getOrDefault(collection, EMPTY).forEach((key, value) -> byHash.put(PrivateDataHashes.keyHash(key),
                    value.map(v -> KeyWrite.newBuilder().setKey(key).setValue(ByteString.copyFrom(v)))
                            .orElseGet(() -> KeyWrite.newBuilder().setKey(key).setIsDelete(true)).build()));
            if (!byHash.isEmpty()) {
                CollectionPrivateWrites.Builder writes = CollectionPrivateWrites.newBuilder()
                        .setNamespace(namespace).setCollection(collection);
                byHash.values().forEach(write -> {
                    writes.addWrites(write);
                    hashed.addWrites(PrivateDataHashes.hashed(write));
                });
                clear.add(writes.build());
            }
            ns.addCollections(hashed);
        }
        TxReadWriteSet.Builder rwset = TxReadWriteSet.newBuilder();
        if (ns.getReadsCount() + ns.getWritesCount() + ns.getRangeQueriesCount() + ns.getCollectionsCount() > 0) {
            rwset.addNamespaces(ns);
        }
        return new SimulationResults(rwset.build(), ContractEvents.newBuilder().addAllEvents(events).build(), clear);
    }

    // ---- checks ----

    private void open() {
        if (closed) {
            throw new ContractException("CONTEXT_CLOSED", "the invocation is over (it timed out or returned)");
        }
    }

    private void checkWritable() {
        if (readOnly) {
            throw new ContractException("EVALUATE_WRITES", "function " + info.function() + " is an EVALUATE function; it may not write");
        }
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new ContractException("INVALID_KEY", "a key is not empty");
        }
        checkBound(key);
    }

    private static void checkBound(String key) {
        if (key.length() > MAX_KEY_LENGTH) {
            throw new ContractException("INVALID_KEY", "a key holds at most " + MAX_KEY_LENGTH + " characters");
        }
        if (key.indexOf('\u0000') >= 0) {
            throw new ContractException("INVALID_KEY", "a key may not contain U+0000");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new ContractException("INVALID_KEY", "a key is valid UTF-16 (no lone surrogate)");
            }
        }
    }

    private static void checkPageSize(int pageSize) {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new ContractException("INVALID_PAGE_SIZE", "a page holds 1 to " + MAX_PAGE_SIZE + " entries, not " + pageSize);
        }
    }

    private static String emptyToNull(String bookmark) {
        return bookmark == null || bookmark.isEmpty() ? null : bookmark;
    }

    private static String decodeBookmark(String bookmark) {
        if (bookmark == null || bookmark.isEmpty()) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Base64.getUrlDecoder().decode(bookmark)))
                    .toString();
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            throw new ContractException("INVALID_BOOKMARK", "not a bookmark of this peer: '" + bookmark + "'");
        }
    }

    private <T> T ledger(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new ContractException("INVALID_BOOKMARK", e.getMessage());
        }
    }
}
