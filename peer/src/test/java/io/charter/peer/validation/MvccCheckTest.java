package io.charter.peer.validation;

import static io.charter.peer.testing.ChannelFixture.delete;
import static io.charter.peer.testing.ChannelFixture.ns;
import static io.charter.peer.testing.ChannelFixture.read;
import static io.charter.peer.testing.ChannelFixture.readAbsent;
import static io.charter.peer.testing.ChannelFixture.rwset;
import static io.charter.peer.testing.ChannelFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.charter.peer.ledger.HashedKey;
import io.charter.peer.privatedata.PrivateDataHashes;
import io.charter.protocol.CollectionHashedReadWriteSet;
import io.charter.protocol.KeyReadHash;
import io.charter.protocol.KeyWriteHash;
import io.charter.peer.ledger.KeyOrder;
import io.charter.peer.ledger.KeyVersion;
import io.charter.peer.ledger.MvccConflictRecord;
import io.charter.peer.ledger.StateKey;
import io.charter.peer.ledger.StateVersions;
import io.charter.protocol.KeyRead;
import io.charter.protocol.RangeQueryInfo;
import io.charter.protocol.TxReadWriteSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** MVCC of one block against versions held in memory: no database. */
class MvccCheckTest {

    private static final String NS = "assets";
    private static final long BLOCK = 7;

    private final MemoryState state = new MemoryState();

    @Test
    void readsOfTheCurrentVersionsAndOfAbsentKeysHold() {
        state.put("a", 3, 0);
        TxReadWriteSet tx = rwset(ns(NS).addReads(read("a", 3, 0)).addReads(readAbsent("never")));

        assertThat(MvccCheck.of(state, BLOCK, List.of(tx)).conflict("tx", 0, tx)).isEmpty();
    }

    @Test
    void aStaleReadConflictsNamingBothVersions() {
        state.put("a", 5, 2);
        TxReadWriteSet tx = rwset(ns(NS).addReads(read("a", 3, 0)));

        MvccConflictRecord conflict = MvccCheck.of(state, BLOCK, List.of(tx)).conflict("tx", 4, tx).orElseThrow();

        assertThat(conflict.phantom()).isFalse();
        assertThat(conflict.key()).isEqualTo("a");
        assertThat(conflict.blockNumber()).isEqualTo(BLOCK);
        assertThat(conflict.txNumber()).isEqualTo(4);
        assertThat(conflict.readVersion()).contains(new KeyVersion(3, 0));
        assertThat(conflict.committedVersion()).contains(new KeyVersion(5, 2));
    }

    @Test
    void aReadOfAKeyDeletedSinceConflicts() {
        // read at 3:0, deleted by a block committed since: no version now
        TxReadWriteSet tx = rwset(ns(NS).addReads(read("gone", 3, 0)));

        MvccConflictRecord conflict = MvccCheck.of(state, BLOCK, List.of(tx)).conflict("tx", 0, tx).orElseThrow();

        assertThat(conflict.phantom()).isFalse();
        assertThat(conflict.readVersion()).contains(new KeyVersion(3, 0));
        assertThat(conflict.committedVersion()).isEmpty();
    }

    @Test
    void aReadOfAKeyCreatedSinceItWasReadAbsentConflicts() {
        state.put("new", 6, 1);
        TxReadWriteSet tx = rwset(ns(NS).addReads(readAbsent("new")));

        MvccConflictRecord conflict = MvccCheck.of(state, BLOCK, List.of(tx)).conflict("tx", 0, tx).orElseThrow();

        assertThat(conflict.readVersion()).isEmpty();
        assertThat(conflict.committedVersion()).contains(new KeyVersion(6, 1));
    }

    @Test
    void writesOfEarlierTransactionsOfTheBlockCount() {
        state.put("a", 3, 0);
        state.put("b", 3, 1);
        TxReadWriteSet first = rwset(ns(NS).addReads(read("a", 3, 0)).addWrites(write("a", "1")).addWrites(delete("b")));
        TxReadWriteSet readsA = rwset(ns(NS).addReads(read("a", 3, 0)));
        TxReadWriteSet readsB = rwset(ns(NS).addReads(read("b", 3, 1)));
        TxReadWriteSet readsNewA = rwset(ns(NS).addReads(read("a", BLOCK, 0)));
        MvccCheck mvcc = MvccCheck.of(state, BLOCK, List.of(first, readsA, readsB, readsNewA));

        assertThat(mvcc.conflict("first", 0, first)).isEmpty();
        mvcc.written(first, new KeyVersion(BLOCK, 0));

        assertThat(mvcc.conflict("readsA", 1, readsA)).hasValueSatisfying(conflict ->
                assertThat(conflict.committedVersion()).contains(new KeyVersion(BLOCK, 0)));
        assertThat(mvcc.conflict("readsB", 2, readsB)).as("deleted earlier in the block").hasValueSatisfying(conflict ->
                assertThat(conflict.committedVersion()).isEmpty());
        assertThat(mvcc.conflict("readsNewA", 3, readsNewA)).isEmpty();
    }

    @Test
    void aRangeReadThatStillFindsTheSameKeysAndVersionsHolds() {
        state.put("k1", 2, 0);
        state.put("k2", 2, 1);
        state.put("l1", 2, 2);
        TxReadWriteSet tx = rwset(ns(NS).addRangeQueries(range("k", "l", true, read("k1", 2, 0), read("k2", 2, 1))));

        assertThat(MvccCheck.of(state, BLOCK, List.of(tx)).conflict("tx", 0, tx)).isEmpty();
    }

    @Test
    void aKeyThatAppearedInARangeIsAPhantom() {
        state.put("k1", 2, 0);
        state.put("k15", 6, 0);
        state.put("k2", 2, 1);
        TxReadWriteSet tx = rwset(ns(NS).addRangeQueries(range("k", "l", true, read("k1", 2, 0), read("k2", 2, 1))));

        MvccConflictRecord phantom = MvccCheck.of(state, BLOCK, List.of(tx)).conflict("tx", 0, tx).orElseThrow();

        assertThat(phantom.phantom()).isTrue();
        assertThat(phantom.key()).isEqualTo("k15");
        assertThat(phantom.readVersion()).isEmpty();
        assertThat(phantom.committedVersion()).contains(new KeyVersion(6, 0));
    }

    @Test
    void aKeyThatVanishedFromARangeOrWasRewrittenIsAPhantom() {
        state.put("k2", 2, 1);
        TxReadWriteSet vanished = rwset(ns(NS).addRangeQueries(range("k", "l", true, read("k1", 2, 0), read("k2", 2, 1))));
        TxReadWriteSet rewritten = rwset(ns(NS).addRangeQueries(range("k", "l", true, read("k2", 1, 0))));
        MvccCheck mvcc = MvccCheck.of(state, BLOCK, List.of(vanished, rewritten));

        assertThat(mvcc.conflict("vanished", 0, vanished)).hasValueSatisfying(phantom -> {
            assertThat(phantom.key()).isEqualTo("k1");
            assertThat(phantom.readVersion()).contains(new KeyVersion(2, 0));
            assertThat(phantom.committedVersion()).isEmpty();
        });
        assertThat(mvcc.conflict("rewritten", 1, rewritten)).hasValueSatisfying(phantom -> {
            assertThat(phantom.key()).isEqualTo("k2");
            assertThat(phantom.readVersion()).contains(new KeyVersion(1, 0));
            assertThat(phantom.committedVersion()).contains(new KeyVersion(2, 1));
        });
    }

    @Test
    void aKeyWrittenIntoARangeEarlierInTheBlockIsAPhantom() {
        state.put("k1", 2, 0);
        TxReadWriteSet writer = rwset(ns(NS).addWrites(write("k0", "new")).addWrites(write("m", "outside")));
        TxReadWriteSet ranger = rwset(ns(NS).addRangeQueries(range("k", "l", true, read("k1", 2, 0))));
        MvccCheck mvcc = MvccCheck.of(state, BLOCK, List.of(writer, ranger));
        mvcc.written(writer, new KeyVersion(BLOCK, 0));

        assertThat(mvcc.conflict("ranger", 1, ranger)).hasValueSatisfying(phantom -> {
            assertThat(phantom.key()).isEqualTo("k0");
            assertThat(phantom.committedVersion()).contains(new KeyVersion(BLOCK, 0));
        });
    }

    @Test
    void aRangeIncludesItsStartKeyAndExcludesItsEndKeyForWritesOfTheBlock() {
        state.put("k1", 2, 0);
        TxReadWriteSet outside = rwset(ns(NS).addWrites(write("l", "at the end key")).addWrites(write("j", "before")));
        TxReadWriteSet atStart = rwset(ns(NS).addWrites(write("k", "at the start key")));
        TxReadWriteSet ranger = rwset(ns(NS).addRangeQueries(range("k", "l", true, read("k1", 2, 0))));
        MvccCheck mvcc = MvccCheck.of(state, BLOCK, List.of(outside, atStart, ranger));
        mvcc.written(outside, new KeyVersion(BLOCK, 0));

        assertThat(mvcc.conflict("ranger", 2, ranger)).as("writes outside [k, l)").isEmpty();
        mvcc.written(atStart, new KeyVersion(BLOCK, 1));
        assertThat(mvcc.conflict("ranger", 2, ranger)).hasValueSatisfying(phantom ->
                assertThat(phantom.key()).isEqualTo("k"));
    }

    @Test
    void aRangeWithoutEndKeyReachesEveryLaterKey() {
        state.put("k1", 2, 0);
        TxReadWriteSet writer = rwset(ns(NS).addWrites(write("zz", "far")));
        TxReadWriteSet ranger = rwset(ns(NS).addRangeQueries(range("k", "", true, read("k1", 2, 0))));
        MvccCheck mvcc = MvccCheck.of(state, BLOCK, List.of(writer, ranger));
        mvcc.written(writer, new KeyVersion(BLOCK, 0));

        assertThat(mvcc.conflict("ranger", 1, ranger)).hasValueSatisfying(phantom ->
                assertThat(phantom.key()).isEqualTo("zz"));
    }

    @Test
    void aKeyThatVanishedFromTheEndOfARangeIsAPhantom() {
        state.put("k1", 2, 0);
        TxReadWriteSet tx = rwset(ns(NS).addRangeQueries(range("k", "l", true, read("k1", 2, 0), read("k2", 2, 1))));

        assertThat(MvccCheck.of(state, BLOCK, List.of(tx)).conflict("tx", 0, tx)).hasValueSatisfying(phantom -> {
            assertThat(phantom.key()).isEqualTo("k2");
            assertThat(phantom.readVersion()).contains(new KeyVersion(2, 1));
            assertThat(phantom.committedVersion()).isEmpty();
        });
    }

    @Test
    void aRangeReadThatStoppedEarlyComparesOnlyTheKeysItRead() {
        state.put("k1", 2, 0);
        state.put("k2", 2, 1);
        state.put("k3", 6, 0);
        TxReadWriteSet page = rwset(ns(NS).addRangeQueries(range("k", "l", false, read("k1", 2, 0), read("k2", 2, 1))));
        TxReadWriteSet exhausted = rwset(ns(NS).addRangeQueries(range("k", "l", true, read("k1", 2, 0), read("k2", 2, 1))));
        MvccCheck mvcc = MvccCheck.of(state, BLOCK, List.of(page, exhausted));

        assertThat(mvcc.conflict("page", 0, page)).isEmpty();
        assertThat(mvcc.conflict("exhausted", 1, exhausted)).hasValueSatisfying(phantom ->
                assertThat(phantom.key()).isEqualTo("k3"));
    }

    @Test
    void rangesCompareKeysByCodePointAsTheLedgerScansThem() {
        // U+E000 sorts before U+1F600 by code point, after it in UTF-16: the endorser saw the ledger's order
        String privateUse = "k\uE000";
        String emoji = "k\uD83D\uDE00";
        state.put(privateUse, 2, 0);
        state.put(emoji, 2, 1);
        TxReadWriteSet tx = rwset(ns(NS).addRangeQueries(range("k", "l", true, read(privateUse, 2, 0), read(emoji, 2, 1))));
        TxReadWriteSet bounded = rwset(ns(NS).addRangeQueries(range("k\uF000", "l", true, read(emoji, 2, 1))));
        TxReadWriteSet writer = rwset(ns(NS).addWrites(write("k\uFFFD", "inside [k\uF000, l)")));
        MvccCheck mvcc = MvccCheck.of(state, BLOCK, List.of(tx, bounded, writer));

        assertThat(mvcc.conflict("tx", 0, tx)).isEmpty();
        assertThat(mvcc.conflict("bounded", 1, bounded)).isEmpty();
        mvcc.written(writer, new KeyVersion(BLOCK, 2));
        assertThat(mvcc.conflict("bounded", 3, bounded)).hasValueSatisfying(phantom ->
                assertThat(phantom.key()).isEqualTo("k\uFFFD"));
    }

    // ---- private keys, by their hashes ----

    private static HashedKey hashed(String key) {
        return new HashedKey(NS, "prices", PrivateDataHashes.keyHash(key));
    }

    private static CollectionHashedReadWriteSet.Builder collection() {
        return CollectionHashedReadWriteSet.newBuilder().setCollection("prices");
    }

    private static KeyReadHash hashedRead(String key, long block, int tx) {
        return KeyReadHash.newBuilder().setKeyHash(PrivateDataHashes.keyHash(key))
                .setVersion(new KeyVersion(block, tx).toProto()).build();
    }

    @Test
    void aHashedReadOfTheCurrentVersionHoldsAndAStaleOneConflictsNamingTheCollectionAndTheHashOnly() {
        state.putHash(hashed("deal"), 3, 0);
        TxReadWriteSet current = rwset(ns(NS).addCollections(collection().addReads(hashedRead("deal", 3, 0))));
        TxReadWriteSet stale = rwset(ns(NS).addCollections(collection().addReads(hashedRead("deal", 2, 1))));

        MvccCheck check = MvccCheck.of(state, BLOCK, List.of(current, stale));

        assertThat(check.conflict("tx1", 0, current)).isEmpty();
        MvccConflictRecord conflict = check.conflict("tx2", 1, stale).orElseThrow();
        assertThat(conflict.namespace()).isEqualTo(NS + "/prices");
        assertThat(conflict.key()).isEqualTo(java.util.HexFormat.of().formatHex(PrivateDataHashes.keyHash("deal").toByteArray()))
                .doesNotContain("deal");
        assertThat(conflict.readVersion()).contains(new KeyVersion(2, 1));
        assertThat(conflict.committedVersion()).contains(new KeyVersion(3, 0));
    }

    @Test
    void aPrivateWriteOfAnEarlierTransactionOfTheBlockInvalidatesALaterHashedRead() {
        state.putHash(hashed("deal"), 3, 0);
        TxReadWriteSet first = rwset(ns(NS).addCollections(collection().addReads(hashedRead("deal", 3, 0))
                .addWrites(KeyWriteHash.newBuilder().setKeyHash(PrivateDataHashes.keyHash("deal"))
                        .setValueHash(PrivateDataHashes.valueHash("v2".getBytes(java.nio.charset.StandardCharsets.UTF_8))))));
        TxReadWriteSet second = rwset(ns(NS).addCollections(collection().addReads(hashedRead("deal", 3, 0))));
        MvccCheck check = MvccCheck.of(state, BLOCK, List.of(first, second));

        assertThat(check.conflict("tx1", 0, first)).isEmpty();
        check.written(first, new KeyVersion(BLOCK, 0));

        assertThat(check.conflict("tx2", 1, second).orElseThrow().committedVersion()).contains(new KeyVersion(BLOCK, 0));
    }

    @Test
    void aHashedReadOfAnAbsentKeyConflictsOnceAnEarlierTransactionDeletesOrCreatesIt() {
        TxReadWriteSet readsAbsent = rwset(ns(NS).addCollections(collection().addReads(
                KeyReadHash.newBuilder().setKeyHash(PrivateDataHashes.keyHash("new")))));
        TxReadWriteSet creates = rwset(ns(NS).addCollections(collection().addWrites(KeyWriteHash.newBuilder()
                .setKeyHash(PrivateDataHashes.keyHash("new")).setValueHash(PrivateDataHashes.valueHash(new byte[] {1})))));
        MvccCheck check = MvccCheck.of(state, BLOCK, List.of(readsAbsent, creates, readsAbsent));

        assertThat(check.conflict("tx0", 0, readsAbsent)).isEmpty();
        check.written(creates, new KeyVersion(BLOCK, 1));
        assertThat(check.conflict("tx2", 2, readsAbsent)).isPresent();

        TxReadWriteSet deletes = rwset(ns(NS).addCollections(collection().addWrites(KeyWriteHash.newBuilder()
                .setKeyHash(PrivateDataHashes.keyHash("new")).setIsDelete(true))));
        check.written(deletes, new KeyVersion(BLOCK, 3));
        assertThat(check.conflict("tx4", 4, readsAbsent)).isEmpty();
    }

    private static RangeQueryInfo range(String start, String end, boolean exhausted, KeyRead... reads) {
        return RangeQueryInfo.newBuilder().setStartKey(start).setEndKey(end).setItrExhausted(exhausted)
                .addAllReads(List.of(reads)).build();
    }

    /** The versions of namespace {@value #NS}, scanned in the ledger's key order. */
    private static final class MemoryState implements StateVersions {
        private final Map<String, KeyVersion> versions = new HashMap<>();
        private final Map<HashedKey, KeyVersion> hashes = new HashMap<>();

        void putHash(HashedKey key, long block, int tx) {
            hashes.put(key, new KeyVersion(block, tx));
        }

        @Override
        public Map<HashedKey, KeyVersion> hashedVersions(Collection<HashedKey> keys) {
            Map<HashedKey, KeyVersion> found = new HashMap<>();
            for (HashedKey key : keys) {
                Optional.ofNullable(hashes.get(key)).ifPresent(version -> found.put(key, version));
            }
            return found;
        }

        void put(String key, long block, int tx) {
            versions.put(key, new KeyVersion(block, tx));
        }

        @Override
        public Map<StateKey, KeyVersion> versions(Collection<StateKey> keys) {
            Map<StateKey, KeyVersion> found = new HashMap<>();
            for (StateKey key : keys) {
                if (key.namespace().equals(NS)) {
                    Optional.ofNullable(versions.get(key.key())).ifPresent(version -> found.put(key, version));
                }
            }
            return found;
        }

        @Override
        public List<Map.Entry<String, KeyVersion>> rangeVersions(String namespace, String startKey, String endKey,
                int limit) {
            List<Map.Entry<String, KeyVersion>> entries = new ArrayList<>();
            if (namespace.equals(NS)) {
                versions.entrySet().stream()
                        .filter(e -> KeyOrder.compare(e.getKey(), startKey) >= 0
                                && (endKey.isEmpty() || KeyOrder.compare(e.getKey(), endKey) < 0))
                        .sorted(Map.Entry.comparingByKey(KeyOrder.COMPARATOR))
                        .limit(limit)
                        .forEach(entries::add);
            }
            return entries;
        }
    }
}
