package io.charter.peer.ledger;

import static io.charter.peer.testing.ChannelFixture.CONTRACT;
import static io.charter.peer.testing.ChannelFixture.ns;
import static io.charter.peer.testing.ChannelFixture.rwset;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.testing.RequiresDocker;
import io.charter.peer.privatedata.PrivateDataHashes;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerDatabases;
import io.charter.peer.testing.TestPeer;
import io.charter.protocol.CollectionPrivateWrites;
import io.charter.protocol.KeyWrite;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The private data tables of a peer's ledger in PostgreSQL: a value reads only at its hash's version, reconciliation
 * never goes back in time, the last write of a block wins, values are purged at their expiry block while hashes
 * stay, the transient store keeps a pushed entry against later pushes and is bounded, and a channel's removal takes
 * its private data with it.
 */
@RequiresDocker
class PrivateLedgerTest {

    private static final String COLLECTION = "prices";

    private static PeerDatabases databases;
    private final ChannelFixture fixture = new ChannelFixture();
    private TestPeer peer;
    private Ledger ledger;

    @BeforeAll
    static void startDatabases() {
        databases = PeerDatabases.start();
    }

    @AfterAll
    static void stopDatabases() {
        databases.close();
    }

    @BeforeEach
    void open() {
        peer = new TestPeer(databases.dataSource(databases.createDatabase()), fixture);
        ledger = peer.ledger;
    }

    @AfterEach
    void close() {
        peer.close();
    }

    @Test
    void aValueReadsOnlyAtItsHashsVersionUntilItsNewerValueIsReconciled() {
        long first = commit(List.of(hash("deal", "v1", 0, Optional.empty())), List.of(values(0, Optional.empty(), put("deal", "v1")))
                , List.of());
        assertThat(ledger.getPrivate(CONTRACT, COLLECTION, "deal")).isInstanceOfSatisfying(PrivateRead.Present.class,
                present -> assertThat(new String(present.value(), StandardCharsets.UTF_8)).isEqualTo("v1"));

        // the next block writes v2, which this peer did not receive
        long second = commit(List.of(hash("deal", "v2", 0, Optional.empty())), List.of(),
                List.of(new MissingPrivateData("a".repeat(64), new KeyVersion(ledger.height(), 0), CONTRACT, COLLECTION,
                        Optional.empty())));
        assertThat(ledger.getPrivate(CONTRACT, COLLECTION, "deal")).isEqualTo(new PrivateRead.NotHeld(new KeyVersion(second, 0)));
        assertThat(ledger.privateRange(CONTRACT, COLLECTION, "", "", 10, null).entries()).isEmpty();
        assertThat(ledger.missingPrivateData(10)).hasSize(1);

        ledger.reconcile(List.of(new PrivateCommit.ValueWrites(writes(put("deal", "v2")), new KeyVersion(second, 0),
                Optional.empty())));
        assertThat(ledger.getPrivate(CONTRACT, COLLECTION, "deal")).isInstanceOfSatisfying(PrivateRead.Present.class,
                present -> assertThat(present.version()).isEqualTo(new KeyVersion(second, 0)));
        assertThat(ledger.missingPrivateData(10)).isEmpty();
        assertThat(ledger.committedPrivateWrites(new KeyVersion(second, 0), CONTRACT, COLLECTION)).contains(writes(put("deal", "v2")));
        assertThat(first).isLessThan(second);
    }

    @Test
    void reconcilingAnOlderWriteNeverReplacesANewerValue() {
        long older = commit(List.of(hash("deal", "old", 0, Optional.empty())), List.of(),
                List.of(new MissingPrivateData("b".repeat(64), new KeyVersion(ledger.height(), 0), CONTRACT, COLLECTION,
                        Optional.empty())));
        commit(List.of(hash("deal", "new", 0, Optional.empty())), List.of(values(0, Optional.empty(), put("deal", "new"))),
                List.of());

        ledger.reconcile(List.of(new PrivateCommit.ValueWrites(writes(put("deal", "old")), new KeyVersion(older, 0),
                Optional.empty())));

        assertThat(ledger.getPrivate(CONTRACT, COLLECTION, "deal")).isInstanceOfSatisfying(PrivateRead.Present.class,
                present -> assertThat(new String(present.value(), StandardCharsets.UTF_8)).isEqualTo("new"));
        assertThat(ledger.missingPrivateData(10)).isEmpty();
    }

    @Test
    void aDeleteByALaterTransactionOfTheBlockWinsOverAnEarlierPut() {
        commit(List.of(hash("deal", "v", 0, Optional.empty()), deleteHash("deal", 1)),
                List.of(values(0, Optional.empty(), put("deal", "v")), values(1, Optional.empty(), delete("deal"))), List.of());

        assertThat(ledger.getPrivate(CONTRACT, COLLECTION, "deal")).isEqualTo(new PrivateRead.Absent());
        assertThat(ledger.privateRange(CONTRACT, COLLECTION, "", "", 10, null).entries()).isEmpty();
    }

    @Test
    void valuesArePurgedWhenTheirExpiryBlockCommitsAndTheirHashesStay() {
        long written = ledger.height();
        Optional<Long> expiry = Optional.of(written + 2);
        commit(List.of(hash("deal", "v", 0, expiry)), List.of(values(0, expiry, put("deal", "v"))), List.of());
        commit(List.of(), List.of(), List.of());
        assertThat(ledger.getPrivate(CONTRACT, COLLECTION, "deal")).isInstanceOf(PrivateRead.Present.class);

        commit(List.of(), List.of(), List.of()); // block written + 2

        assertThat(ledger.getPrivate(CONTRACT, COLLECTION, "deal")).isEqualTo(new PrivateRead.Purged(new KeyVersion(written, 0)));
        assertThat(ledger.privateHash(new HashedKey(CONTRACT, COLLECTION, PrivateDataHashes.keyHash("deal"))))
                .hasValueSatisfying(h -> assertThat(h.valueHash()).isEqualTo(PrivateDataHashes.valueHash(bytes("v"))));
        assertThat(ledger.committedPrivateWrites(new KeyVersion(written, 0), CONTRACT, COLLECTION)).isEmpty();
    }

    @Test
    void theTransientStoreKeepsTheFirstPushIsBoundedAndEmptiesWhenTheTransactionCommits() {
        String txId = "c".repeat(64);
        assertThat(ledger.putTransient(txId, List.of(writes(put("deal", "first"))), false, "Org1", ledger.height(), 10, 10)).isTrue();
        assertThat(ledger.putTransient(txId, List.of(writes(put("deal", "second"))), false, "Org1", ledger.height(), 10, 10)).isTrue();
        assertThat(ledger.transientWrites(txId)).containsExactly(writes(put("deal", "first")));
        // the peer's own simulation replaces what a push left
        assertThat(ledger.putTransient(txId, List.of(writes(put("deal", "own"))), true, "Org1", ledger.height(), 10, 10)).isTrue();
        assertThat(ledger.transientWrites(txId)).containsExactly(writes(put("deal", "own")));
        // full: nothing kept
        assertThat(ledger.putTransient("d".repeat(64), List.of(writes(put("x", "y"))), false, "Org1", ledger.height(), 1, 1)).isFalse();
        assertThat(ledger.transientEntries()).isOne();

        commitWith(new PrivateCommit(List.of(), List.of(), List.of(), List.of(txId), 0));
        assertThat(ledger.transientEntries()).isZero();
    }

    @Test
    void oneOrganizationCannotFillTheTransientStoreAndItsShareFreesWhenItsTransactionsCommit() {
        String first = "1".repeat(64);
        assertThat(ledger.putTransient(first, List.of(writes(put("a", "1")), writes2(put("b", "2"))), false, "Org2",
                ledger.height(), 10, 2)).isTrue();
        // Org2 holds its two: a third of its is refused, another organization's is kept
        assertThat(ledger.putTransient("2".repeat(64), List.of(writes(put("c", "3"))), false, "Org2", ledger.height(), 10, 2))
                .isFalse();
        assertThat(ledger.putTransient("3".repeat(64), List.of(writes(put("c", "3"))), false, "Org1", ledger.height(), 10, 2))
                .isTrue();
        assertThat(ledger.transientWrites("2".repeat(64))).isEmpty();

        commitWith(new PrivateCommit(List.of(), List.of(), List.of(), List.of(first), 0));

        assertThat(ledger.putTransient("2".repeat(64), List.of(writes(put("c", "3"))), false, "Org2", ledger.height(), 10, 2))
                .isTrue();
        assertThat(ledger.transientEntries()).isEqualTo(2);
    }

    @Test
    void transientEntriesOfTransactionsThatNeverCommitAreDeletedOnceTooOld() {
        ledger.putTransient("e".repeat(64), List.of(writes(put("deal", "v"))), false, "Org1", 1, 10, 10);
        commitWith(new PrivateCommit(List.of(), List.of(), List.of(), List.of(), 1));
        assertThat(ledger.transientEntries()).isOne();
        commitWith(new PrivateCommit(List.of(), List.of(), List.of(), List.of(), 2));
        assertThat(ledger.transientEntries()).isZero();
    }

    @Test
    void removingTheChannelsLedgerRemovesItsPrivateData() {
        commit(List.of(hash("deal", "v", 0, Optional.empty())), List.of(values(0, Optional.empty(), put("deal", "v"))), List.of());
        ledger.putTransient("f".repeat(64), List.of(writes(put("deal", "v"))), false, "Org1", ledger.height(), 10, 10);

        ledger.deleteAll();

        assertThat(ledger.transientEntries()).isZero();
        assertThat(ledger.privateHash(new HashedKey(CONTRACT, COLLECTION, PrivateDataHashes.keyHash("deal")))).isEmpty();
        assertThat(ledger.getPrivate(CONTRACT, COLLECTION, "deal")).isEqualTo(new PrivateRead.Absent());
    }

    // ---- helpers ----

    /** Commits a block (one public write, so that the block is well-formed) with this private data; its number. */
    private long commit(List<PrivateCommit.HashWrite> hashes, List<PrivateCommit.ValueWrites> values,
                        List<MissingPrivateData> missing) {
        return commitWith(new PrivateCommit(hashes, values, missing, List.of(), 0));
    }

    private long commitWith(PrivateCommit privateData) {
        long number = ledger.height();
        ChannelFixture.Tx tx = fixture.tx(rwset(ns(CONTRACT).addWrites(ChannelFixture.write("public" + number, "x"))));
        ledger.commit(new BlockCommit(fixture.block(ledger.lastHeader().orElseThrow(), tx), List.of(), List.of(), List.of(),
                Optional.empty(), List.of(), privateData));
        return number;
    }

    private PrivateCommit.HashWrite hash(String key, String value, int tx, Optional<Long> expiry) {
        return new PrivateCommit.HashWrite(new HashedKey(CONTRACT, COLLECTION, PrivateDataHashes.keyHash(key)),
                Optional.of(PrivateDataHashes.valueHash(bytes(value))), new KeyVersion(ledger.height(), tx), expiry);
    }

    private PrivateCommit.HashWrite deleteHash(String key, int tx) {
        return new PrivateCommit.HashWrite(new HashedKey(CONTRACT, COLLECTION, PrivateDataHashes.keyHash(key)),
                Optional.empty(), new KeyVersion(ledger.height(), tx), Optional.empty());
    }

    private PrivateCommit.ValueWrites values(int tx, Optional<Long> expiry, KeyWrite... writes) {
        return new PrivateCommit.ValueWrites(writes(writes), new KeyVersion(ledger.height(), tx), expiry);
    }

    private static CollectionPrivateWrites writes(KeyWrite... writes) {
        return CollectionPrivateWrites.newBuilder().setNamespace(CONTRACT).setCollection(COLLECTION)
                .addAllWrites(List.of(writes)).build();
    }

    private static CollectionPrivateWrites writes2(KeyWrite... writes) {
        return CollectionPrivateWrites.newBuilder().setNamespace(CONTRACT).setCollection("other")
                .addAllWrites(List.of(writes)).build();
    }

    private static KeyWrite put(String key, String value) {
        return KeyWrite.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)).build();
    }

    private static KeyWrite delete(String key) {
        return KeyWrite.newBuilder().setKey(key).setIsDelete(true).build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
