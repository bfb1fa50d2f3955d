package io.charter.peer.validation;

import io.charter.peer.ledger.HashedKey;
import io.charter.peer.ledger.KeyOrder;
import io.charter.protocol.CollectionHashedReadWriteSet;
import io.charter.protocol.KeyReadHash;
import io.charter.protocol.KeyWriteHash;
import io.charter.peer.ledger.KeyVersion;
import io.charter.peer.ledger.MvccConflictRecord;
import io.charter.peer.ledger.StateKey;
import io.charter.peer.ledger.StateVersions;
import io.charter.protocol.KeyRead;
import io.charter.protocol.KeyWrite;
import io.charter.protocol.NamespaceReadWriteSet;
import io.charter.protocol.RangeQueryInfo;
import io.charter.protocol.TxReadWriteSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Multi-version concurrency control for one block: every read of a transaction must still see the version
 * it was endorsed with, in the committed state plus the writes of the block's earlier valid transactions
 * (else MVCC_READ_CONFLICT), and every range read must still find the same keys with the same versions
 * (else PHANTOM_READ_CONFLICT); the same holds for reads of private keys, compared by their hashes with the hashed
 * state that every peer keeps (a conflict names the namespace/collection and the hex of the key's hash). The committer asks about each still-valid transaction in block order with
 * {@link #conflict} and hands the writes of each one that commits to {@link #written}.
 *
 * <p>The versions of every key the block reads are looked up once, when the check is made; range reads are
 * replayed against the state when they are checked. Keys compare in {@link KeyOrder}, the order the state's
 * range scans return them in. Not thread-safe: one committer thread uses it for one block.
 */
final class MvccCheck {

    /** A range read replay reads at most this many keys past what the endorser saw. */
    static final int RANGE_REPLAY_LIMIT = 100_000;

    private final StateVersions state;
    private final long blockNumber;
    private final Map<StateKey, KeyVersion> committed;
    /** The block's writes so far, by key: the version written, or empty for a delete. */
    private final Map<StateKey, Optional<KeyVersion>> blockWrites = new HashMap<>();
    /** The committed versions of the private keys (by hash) that the candidates read. */
    private final Map<HashedKey, KeyVersion> committedHashes;
    /** The block's private writes so far, by hashed key. */
    private final Map<HashedKey, Optional<KeyVersion>> blockHashWrites = new HashMap<>();

    private MvccCheck(StateVersions state, long blockNumber, Map<StateKey, KeyVersion> committed,
                      Map<HashedKey, KeyVersion> committedHashes) {
        this.state = state;
        this.blockNumber = blockNumber;
        this.committed = committed;
        this.committedHashes = committedHashes;
    }

    /**
     * The check of block {@code blockNumber}, with the committed versions of every key that the read-write
     * sets of its candidate transactions read (one lookup for the block).
     */
    static MvccCheck of(StateVersions state, long blockNumber, Collection<TxReadWriteSet> candidates) {
        Set<StateKey> readKeys = new HashSet<>();
        Set<HashedKey> hashedReads = new HashSet<>();
        for (TxReadWriteSet rwset : candidates) {
            for (NamespaceReadWriteSet ns : rwset.getNamespacesList()) {
                for (KeyRead read : ns.getReadsList()) {
                    readKeys.add(new StateKey(ns.getNamespace(), read.getKey()));
                }
                for (CollectionHashedReadWriteSet collection : ns.getCollectionsList()) {
                    for (KeyReadHash read : collection.getReadsList()) {
                        hashedReads.add(new HashedKey(ns.getNamespace(), collection.getCollection(), read.getKeyHash()));
                    }
                }
            }
        }
        return new MvccCheck(state, blockNumber, state.versions(readKeys),
                hashedReads.isEmpty() ? Map.of() : state.hashedVersions(hashedReads));
    }

    /**
     * The first read of the transaction at {@code position} that is no longer current: its plain reads, then
     * its range reads, namespace by namespace; empty when every read holds. {@code rwset} is one of the
     * candidates the check was made with (a key read by no candidate would look absent from the state).
     */
    Optional<MvccConflictRecord> conflict(String txId, int position, TxReadWriteSet rwset) {
        for (NamespaceReadWriteSet ns : rwset.getNamespacesList()) {
            for (KeyRead read : ns.getReadsList()) {
                Optional<KeyVersion> current = current(new StateKey(ns.getNamespace(), read.getKey()));
                Optional<KeyVersion> expected = read.hasVersion() ? Optional.of(KeyVersion.of(read.getVersion()))
                        : Optional.empty();
                if (!current.equals(expected)) {
                    return Optional.of(new MvccConflictRecord(txId, blockNumber, position, false, ns.getNamespace(),
                            read.getKey(), expected, current));
                }
            }
            for (RangeQueryInfo range : ns.getRangeQueriesList()) {
                Optional<MvccConflictRecord> phantom = phantom(txId, position, ns.getNamespace(), range);
                if (phantom.isPresent()) {
                    return phantom;
                }
            }
            for (CollectionHashedReadWriteSet collection : ns.getCollectionsList()) {
                for (KeyReadHash read : collection.getReadsList()) {
                    HashedKey key = new HashedKey(ns.getNamespace(), collection.getCollection(), read.getKeyHash());
                    Optional<KeyVersion> inBlock = blockHashWrites.get(key);
                    Optional<KeyVersion> current = inBlock != null ? inBlock : Optional.ofNullable(committedHashes.get(key));
                    Optional<KeyVersion> expected = read.hasVersion() ? Optional.of(KeyVersion.of(read.getVersion()))
                            : Optional.empty();
                    if (!current.equals(expected)) {
                        // a private key is named by its collection and the hex of its hash, never in clear
                        return Optional.of(new MvccConflictRecord(txId, blockNumber, position, false,
                                ns.getNamespace() + "/" + collection.getCollection(),
                                java.util.HexFormat.of().formatHex(read.getKeyHash().toByteArray()), expected, current));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Records the writes of a transaction that commits, at {@code version}, for the block's later transactions. */
    void written(TxReadWriteSet rwset, KeyVersion version) {
        for (NamespaceReadWriteSet ns : rwset.getNamespacesList()) {
            for (KeyWrite write : ns.getWritesList()) {
                blockWrites.put(new StateKey(ns.getNamespace(), write.getKey()),
                        write.getIsDelete() ? Optional.empty() : Optional.of(version));
            }
            for (CollectionHashedReadWriteSet collection : ns.getCollectionsList()) {
                for (KeyWriteHash write : collection.getWritesList()) {
                    blockHashWrites.put(new HashedKey(ns.getNamespace(), collection.getCollection(), write.getKeyHash()),
                            write.getIsDelete() ? Optional.empty() : Optional.of(version));
                }
            }
        }
    }

    /** The version of a key after the block's earlier valid transactions; empty when it has no value. */
    private Optional<KeyVersion> current(StateKey key) {
        Optional<KeyVersion> inBlock = blockWrites.get(key);
        if (inBlock != null) {
            return inBlock;
        }
        return Optional.ofNullable(committed.get(key));
    }

    /**
     * Replays a range read: the keys in the range now (state plus earlier writes of the block) must be the keys
     * the endorser saw, with the same versions. When the endorser did not exhaust the iterator, only as many
     * keys as it read are compared.
     */
    private Optional<MvccConflictRecord> phantom(String txId, int position, String namespace, RangeQueryInfo range) {
        TreeMap<String, KeyVersion> now = new TreeMap<>(KeyOrder.COMPARATOR);
        for (Map.Entry<String, KeyVersion> entry : state.rangeVersions(namespace, range.getStartKey(),
                range.getEndKey(), range.getReadsCount() + RANGE_REPLAY_LIMIT)) {
            now.put(entry.getKey(), entry.getValue());
        }
        blockWrites.forEach((key, version) -> {
            if (key.namespace().equals(namespace) && inRange(key.key(), range)) {
                if (version.isPresent()) {
                    now.put(key.key(), version.get());
                } else {
                    now.remove(key.key());
                }
            }
        });
        List<Map.Entry<String, KeyVersion>> current = new ArrayList<>(now.entrySet());
        List<KeyRead> reads = range.getReadsList();
        int compared = range.getItrExhausted() ? Math.max(current.size(), reads.size()) : reads.size();
        for (int i = 0; i < compared; i++) {
            KeyRead read = i < reads.size() ? reads.get(i) : null;
            Map.Entry<String, KeyVersion> entry = i < current.size() ? current.get(i) : null;
            boolean same = read != null && entry != null && read.getKey().equals(entry.getKey())
                    && read.hasVersion() && entry.getValue().matches(read.getVersion());
            if (!same) {
                // Name the key that differs: one that appeared, one that vanished, or one rewritten.
                boolean appeared = entry != null && (read == null || KeyOrder.compare(entry.getKey(), read.getKey()) < 0);
                boolean vanished = !appeared && read != null
                        && (entry == null || KeyOrder.compare(read.getKey(), entry.getKey()) < 0);
                String key = appeared ? entry.getKey() : read.getKey();
                Optional<KeyVersion> readVersion = appeared || !read.hasVersion() ? Optional.empty()
                        : Optional.of(KeyVersion.of(read.getVersion()));
                Optional<KeyVersion> committedVersion = vanished ? Optional.empty() : Optional.of(entry.getValue());
                return Optional.of(new MvccConflictRecord(txId, blockNumber, position, true, namespace, key,
                        readVersion, committedVersion));
            }
        }
        return Optional.empty();
    }

    private static boolean inRange(String key, RangeQueryInfo range) {
        return KeyOrder.compare(key, range.getStartKey()) >= 0
                && (range.getEndKey().isEmpty() || KeyOrder.compare(key, range.getEndKey()) < 0);
    }
}
