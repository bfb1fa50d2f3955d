package io.charter.peer.validation;

import static io.charter.peer.testing.ChannelFixture.CONTRACT;
import static io.charter.peer.testing.ChannelFixture.delete;
import static io.charter.peer.testing.ChannelFixture.ns;
import static io.charter.peer.testing.ChannelFixture.read;
import static io.charter.peer.testing.ChannelFixture.readAbsent;
import static io.charter.peer.testing.ChannelFixture.rwset;
import static io.charter.peer.testing.ChannelFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import io.charter.common.testing.RequiresDocker;
import io.charter.peer.ledger.KeyVersion;
import io.charter.peer.ledger.MvccConflictRecord;
import io.charter.peer.ledger.TxRecord;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.ChannelFixture.Tx;
import io.charter.peer.testing.PeerDatabases;
import io.charter.peer.testing.TestPeer;
import io.charter.protocol.Block;
import io.charter.protocol.BlockHeader;
import io.charter.protocol.Envelope;
import io.charter.protocol.Endorsement;
import io.charter.protocol.RangeQueryInfo;
import io.charter.protocol.TxValidationCode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RequiresDocker
class BlockCommitterTest {

    private static PeerDatabases databases;
    private static ChannelFixture fixture;
    private TestPeer peer;

    @BeforeAll
    static void startDatabase() {
        databases = PeerDatabases.start();
        fixture = new ChannelFixture();
    }

    @AfterAll
    static void stopDatabase() {
        databases.close();
    }

    @BeforeEach
    void newPeer() {
        peer = new TestPeer(databases.dataSource(databases.createDatabase()), fixture);
    }

    @AfterEach
    void closePeer() {
        peer.close();
    }

    private BlockHeader last() {
        return peer.ledger.lastHeader().orElseThrow();
    }

    private CommitResult.Committed commit(Tx... txs) {
        CommitResult result = peer.committer.commit(fixture.block(last(), txs));
        assertThat(result).isInstanceOf(CommitResult.Committed.class);
        return (CommitResult.Committed) result;
    }

    private String value(String key) {
        return peer.ledger.get(CONTRACT, key).map(v -> new String(v.value())).orElse(null);
    }

    @Test
    void validTransactionsCommitTheirWritesWithVersions() {
        Tx first = fixture.tx(rwset(ns(CONTRACT).addReads(readAbsent("a")).addWrites(write("a", "1"))));
        Tx second = fixture.tx(rwset(ns(CONTRACT).addWrites(write("b", "2"))));
        CommitResult.Committed result = commit(first, second);

        assertThat(result.codes()).containsExactly(TxValidationCode.VALID, TxValidationCode.VALID);
        assertThat(peer.ledger.height()).isEqualTo(2);
        assertThat(peer.ledger.get(CONTRACT, "a").orElseThrow().version()).isEqualTo(new KeyVersion(1, 0));
        assertThat(peer.ledger.get(CONTRACT, "b").orElseThrow().version()).isEqualTo(new KeyVersion(1, 1));
        assertThat(peer.ledger.transaction(second.txId()).orElseThrow().txNumber()).isEqualTo(1);
        Block stored = peer.ledger.block(1).orElseThrow();
        assertThat(stored.getMetadata().getValidationCodesList()).containsExactly(TxValidationCode.VALID, TxValidationCode.VALID);
        assertThat(stored.getMetadata().getSignaturesCount()).isEqualTo(1);
    }

    @Test
    void aConfigTransactionBesideOthersIsRefusedWholeAndNothingOfItsBlockIsCommitted() {
        // A CONFIG transaction signed by the orderer with a valid transaction beside it: a config block
        // carries exactly one envelope, so the whole block is refused.
        com.google.protobuf.ByteString creator = ChannelFixture.identity(fixture.orderer);
        com.google.protobuf.ByteString nonce = io.charter.common.protocol.TransactionIds.newNonce();
        java.time.Instant now = java.time.Instant.now();
        io.charter.protocol.PayloadHeader header = io.charter.protocol.PayloadHeader.newBuilder()
                .setType(io.charter.protocol.HeaderType.CONFIG)
                .setChannelId(ChannelFixture.CHANNEL)
                .setTxId(io.charter.common.protocol.TransactionIds.compute(nonce, creator))
                .setTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
                .setCreator(creator)
                .setNonce(nonce)
                .build();
        Envelope update = io.charter.common.protocol.Envelopes.seal(header,
                fixture.config().toBuilder().putPolicies("Writers", "OR('Org1.member')").build().toByteString(),
                io.charter.common.crypto.EcdsaSigner.of(fixture.orderer.keys()));
        Tx valid = fixture.tx(rwset(ns(CONTRACT).addWrites(write("beside-config", "1"))));

        CommitResult result = peer.committer.commit(fixture.block(last(), List.of(valid.envelope(), update.toByteString())));

        assertThat(result).isInstanceOfSatisfying(CommitResult.Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(BlockRefusal.INVALID_CONFIG_UPDATE);
            assertThat(refused.detail()).contains("position 1");
        });
        assertThat(peer.ledger.height()).isEqualTo(1);
        assertThat(peer.ledger.transaction(valid.txId())).isEmpty();
        assertThat(peer.ledger.transaction(header.getTxId())).isEmpty();
        assertThat(value("beside-config")).isNull();
        assertThat(peer.committer.stats().refusals(BlockRefusal.INVALID_CONFIG_UPDATE)).isEqualTo(1);
    }

    @Test
    void mvccConflictBetweenTwoTransactionsOfOneBlock() {
        commit(fixture.tx(rwset(ns(CONTRACT).addWrites(write("k", "v0")))));
        Tx winner = fixture.tx(rwset(ns(CONTRACT).addReads(read("k", 1, 0)).addWrites(write("k", "v1"))));
        Tx loser = fixture.tx(rwset(ns(CONTRACT).addReads(read("k", 1, 0)).addWrites(write("k", "v2"))));

        CommitResult.Committed result = commit(winner, loser);

        assertThat(result.codes()).containsExactly(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT);
        assertThat(value("k")).isEqualTo("v1");
        MvccConflictRecord conflict = peer.ledger.conflict(loser.txId()).orElseThrow();
        assertThat(conflict.key()).isEqualTo("k");
        assertThat(conflict.namespace()).isEqualTo(CONTRACT);
        assertThat(conflict.readVersion()).contains(new KeyVersion(1, 0));
        assertThat(conflict.committedVersion()).contains(new KeyVersion(2, 0));
        assertThat(conflict.phantom()).isFalse();
        assertThat(peer.ledger.transaction(loser.txId()).orElseThrow().code()).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
        var metadataConflict = peer.ledger.block(2).orElseThrow().getMetadata().getMvccConflicts(0);
        assertThat(metadataConflict.getTxIndex()).isEqualTo(1);
        assertThat(metadataConflict.getKey()).isEqualTo("k");
        assertThat(metadataConflict.getCommittedVersion().getBlockNumber()).isEqualTo(2);
        assertThat(peer.ledger.conflict(winner.txId())).isEmpty();
    }

    @Test
    void mvccConflictAcrossBlocks() {
        commit(fixture.tx(rwset(ns(CONTRACT).addWrites(write("k", "v0")))));
        // Both endorsed against block 1; the first is committed in block 2, the second arrives in block 3.
        Tx first = fixture.tx(rwset(ns(CONTRACT).addReads(read("k", 1, 0)).addWrites(write("k", "v1"))));
        Tx stale = fixture.tx(rwset(ns(CONTRACT).addReads(read("k", 1, 0)).addWrites(write("k", "v2"))));
        Tx readsAbsentButExists = fixture.tx(rwset(ns(CONTRACT).addReads(readAbsent("k")).addWrites(write("k", "v3"))));
        commit(first);

        CommitResult.Committed result = commit(stale, readsAbsentButExists);

        assertThat(result.codes()).containsOnly(TxValidationCode.MVCC_READ_CONFLICT);
        assertThat(value("k")).isEqualTo("v1");
        MvccConflictRecord conflict = peer.ledger.conflict(stale.txId()).orElseThrow();
        assertThat(conflict.readVersion()).contains(new KeyVersion(1, 0));
        assertThat(conflict.committedVersion()).contains(new KeyVersion(2, 0));
        MvccConflictRecord absent = peer.ledger.conflict(readsAbsentButExists.txId()).orElseThrow();
        assertThat(absent.readVersion()).isEmpty();
        assertThat(absent.committedVersion()).contains(new KeyVersion(2, 0));
    }

    @Test
    void aReadOfAKeyDeletedEarlierInTheBlockConflicts() {
        commit(fixture.tx(rwset(ns(CONTRACT).addWrites(write("k", "v0")))));
        Tx deleter = fixture.tx(rwset(ns(CONTRACT).addReads(read("k", 1, 0)).addWrites(delete("k"))));
        Tx reader = fixture.tx(rwset(ns(CONTRACT).addReads(read("k", 1, 0)).addWrites(write("other", "x"))));

        CommitResult.Committed result = commit(deleter, reader);

        assertThat(result.codes()).containsExactly(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT);
        assertThat(peer.ledger.get(CONTRACT, "k")).isEmpty();
        assertThat(peer.ledger.get(CONTRACT, "other")).isEmpty();
        assertThat(peer.ledger.conflict(reader.txId()).orElseThrow().committedVersion()).isEmpty();
        assertThat(peer.ledger.history(CONTRACT, "k")).extracting(h -> h.deleted()).containsExactly(false, true);
    }

    @Test
    void phantomReadWhenAKeyAppearsInARangeReadEarlierInTheBlock() {
        commit(fixture.tx(rwset(ns(CONTRACT).addWrites(write("a1", "x")).addWrites(write("a3", "x")))));
        Tx inserter = fixture.tx(rwset(ns(CONTRACT).addWrites(write("a2", "x"))));
        RangeQueryInfo range = RangeQueryInfo.newBuilder().setStartKey("a").setEndKey("b").setItrExhausted(true)
                .addReads(read("a1", 1, 0)).addReads(read("a3", 1, 0)).build();
        Tx scanner = fixture.tx(rwset(ns(CONTRACT).addRangeQueries(range).addWrites(write("count", "2"))));
        Tx scannerWithoutChange = fixture.tx(rwset(ns(CONTRACT).addRangeQueries(RangeQueryInfo.newBuilder()
                .setStartKey("a3").setEndKey("b").setItrExhausted(true).addReads(read("a3", 1, 0))).addWrites(write("c2", "1"))));

        CommitResult.Committed result = commit(inserter, scanner, scannerWithoutChange);

        assertThat(result.codes()).containsExactly(TxValidationCode.VALID, TxValidationCode.PHANTOM_READ_CONFLICT,
                TxValidationCode.VALID);
        MvccConflictRecord conflict = peer.ledger.conflict(scanner.txId()).orElseThrow();
        assertThat(conflict.phantom()).isTrue();
        assertThat(conflict.key()).isEqualTo("a2");
        assertThat(conflict.readVersion()).isEmpty();
        assertThat(conflict.committedVersion()).contains(new KeyVersion(2, 0));
    }

    @Test
    void endorsementPolicyAndOverTwoOrganizations() {
        Tx both = fixture.tx(fixture.client1, rwset(ns(CONTRACT).addWrites(write("both", "1"))), fixture.peer1, fixture.peer2);
        Tx onlyOrg1 = fixture.tx(fixture.client1, rwset(ns(CONTRACT).addWrites(write("org1", "1"))), fixture.peer1);
        Tx org2ClientNotPeer = fixture.tx(fixture.client1, rwset(ns(CONTRACT).addWrites(write("client", "1"))),
                fixture.peer1, fixture.client2);
        Tx none = fixture.tx(fixture.client1, rwset(ns(CONTRACT).addWrites(write("none", "1"))));

        CommitResult.Committed result = commit(both, onlyOrg1, org2ClientNotPeer, none);

        assertThat(result.codes()).containsExactly(TxValidationCode.VALID, TxValidationCode.ENDORSEMENT_POLICY_FAILURE,
                TxValidationCode.ENDORSEMENT_POLICY_FAILURE, TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(value("both")).isEqualTo("1");
        assertThat(value("org1")).isNull();
        assertThat(value("client")).isNull();
        assertThat(value("none")).isNull();
        assertThat(peer.ledger.transaction(onlyOrg1.txId()).orElseThrow().code())
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(peer.committer.stats().transactions(TxValidationCode.ENDORSEMENT_POLICY_FAILURE)).isEqualTo(3);
    }

    @Test
    void badTransactionsGetTheirCodesAndWriteNothing() {
        Tx valid = fixture.tx(rwset(ns(CONTRACT).addWrites(write("good", "1"))));
        ByteString malformed = ByteString.copyFromUtf8("this is not an envelope");
        Tx badCreatorSignature = withFlippedSignature(fixture.tx(rwset(ns(CONTRACT).addWrites(write("sig", "1")))));
        Tx badEndorserSignature = fixture.tx(fixture.client1, rwset(ns(CONTRACT).addWrites(write("endorser", "1"))),
                List.of(fixture.peer1, fixture.peer2), tx -> {
                    var builder = tx.toBuilder();
                    var endorsed = builder.getActionsBuilder(0).getEndorsedActionBuilder();
                    Endorsement e = endorsed.getEndorsements(1);
                    byte[] signature = e.getSignature().toByteArray();
                    signature[signature.length - 1] ^= 1;
                    endorsed.setEndorsements(1, e.toBuilder().setSignature(ByteString.copyFrom(signature)));
                    return builder.build();
                });
        Tx sameBlockDuplicate = valid;

        Block block = fixture.block(last(), List.of(valid.envelope(), malformed, badCreatorSignature.envelope(),
                badEndorserSignature.envelope(), sameBlockDuplicate.envelope(), ByteString.EMPTY));
        CommitResult.Committed result = (CommitResult.Committed) peer.committer.commit(block);

        assertThat(result.codes()).containsExactly(TxValidationCode.VALID, TxValidationCode.BAD_PAYLOAD,
                TxValidationCode.BAD_CREATOR_SIGNATURE, TxValidationCode.INVALID_ENDORSER_SIGNATURE,
                TxValidationCode.DUPLICATE_TXID, TxValidationCode.NIL_ENVELOPE);
        assertThat(value("good")).isEqualTo("1");
        assertThat(value("sig")).isNull();
        assertThat(value("endorser")).isNull();
        // The id of a transaction whose creator signature failed cannot be trusted: not indexed, kept as a claim.
        assertThat(peer.ledger.transaction(badCreatorSignature.txId())).isEmpty();
        assertThat(peer.ledger.claims(badCreatorSignature.txId(), 10)).containsExactly(new TxRecord(
                badCreatorSignature.txId(), 1, 2, TxValidationCode.BAD_CREATOR_SIGNATURE));
        // The duplicate does not replace the original's index entry; it is a claim of the same id.
        assertThat(peer.ledger.transaction(valid.txId()).orElseThrow().txNumber()).isEqualTo(0);
        assertThat(peer.ledger.claims(valid.txId(), 10)).containsExactly(new TxRecord(valid.txId(), 1, 4,
                TxValidationCode.DUPLICATE_TXID));
        assertThat(peer.ledger.history(CONTRACT, "good")).hasSize(1);

        // Across blocks: the same transaction again, and a fresh one, in the next block.
        Tx fresh = fixture.tx(rwset(ns(CONTRACT).addWrites(write("fresh", "1"))));
        CommitResult.Committed next = commit(valid, fresh);
        assertThat(next.codes()).containsExactly(TxValidationCode.DUPLICATE_TXID, TxValidationCode.VALID);
        assertThat(peer.ledger.transaction(valid.txId()).orElseThrow().blockNumber()).isEqualTo(1);
        assertThat(peer.ledger.history(CONTRACT, "good")).hasSize(1);
        assertThat(peer.ledger.claims(valid.txId(), 10)).extracting(TxRecord::blockNumber, TxRecord::txNumber)
                .containsExactly(tuple(1L, 4), tuple(2L, 0));
        assertThat(peer.ledger.claims(valid.txId(), 1)).as("bounded").hasSize(1);
        assertThat(peer.ledger.claims(fresh.txId(), 10)).isEmpty();
    }

    @Test
    void revokedCreatorIsRefused() {
        var revoked = fixture.pki.organization("Org1").enroll("revoked", io.charter.common.pki.Role.CLIENT);
        Tx before = fixture.tx(revoked, rwset(ns(CONTRACT).addWrites(write("before", "1"))), fixture.peer1, fixture.peer2);
        assertThat(commit(before).codes()).containsExactly(TxValidationCode.VALID);

        // The peer refreshes Org1's CRLs (as it does from the membership service).
        peer.channel.registry().updateCrls("Org1", List.of(fixture.crl("Org1", revoked)));
        Tx after = fixture.tx(revoked, rwset(ns(CONTRACT).addWrites(write("after", "1"))), fixture.peer1, fixture.peer2);
        Tx other = fixture.tx(rwset(ns(CONTRACT).addWrites(write("other", "1"))));

        assertThat(commit(after, other).codes()).containsExactly(TxValidationCode.REVOKED_CREATOR, TxValidationCode.VALID);
        assertThat(value("after")).isNull();
        assertThat(peer.ledger.transaction(after.txId())).isEmpty();
        assertThat(peer.ledger.claims(after.txId(), 10)).singleElement()
                .satisfies(claim -> assertThat(claim.code()).isEqualTo(TxValidationCode.REVOKED_CREATOR));
    }

    @Test
    void transactionOfAnotherChannelOrWithAForgedTxIdIsRefused() {
        Tx forgedId = fixture.tx(fixture.client1, rwset(ns(CONTRACT).addWrites(write("forged", "1"))),
                List.of(fixture.peer1, fixture.peer2), tx -> tx);
        // Re-seal with a made-up tx id: the creator signs it, but it is not SHA-256(nonce || creator).
        Envelope envelope = parse(forgedId.envelope());
        var payload = parsePayload(envelope);
        var header = payload.getHeader().toBuilder().setTxId("00".repeat(32)).build();
        ByteString resealed = io.charter.common.protocol.Envelopes.seal(header, payload.getData(),
                io.charter.common.crypto.EcdsaSigner.of(fixture.client1.keys())).toByteString();

        CommitResult.Committed result = (CommitResult.Committed) peer.committer.commit(fixture.block(last(), List.of(resealed)));

        assertThat(result.codes()).containsExactly(TxValidationCode.BAD_TXID);
        assertThat(value("forged")).isNull();
    }

    @Test
    void blockWithABadOrdererSignatureIsRefusedWhole() {
        Tx tx = fixture.tx(rwset(ns(CONTRACT).addWrites(write("k", "1"))));
        Block signed = fixture.block(last(), tx);
        var signature = signed.getMetadata().getSignatures(0);
        byte[] bytes = signature.getSignature().toByteArray();
        bytes[bytes.length - 1] ^= 1;
        Block tampered = signed.toBuilder().setMetadata(signed.getMetadata().toBuilder()
                .setSignatures(0, signature.toBuilder().setSignature(ByteString.copyFrom(bytes)))).build();
        Block unsigned = io.charter.common.protocol.Blocks.nextBlock(last(), List.of(tx.envelope()), 0);
        Block signedByAPeer = ChannelFixture.sign(unsigned, fixture.peer1);

        for (Block bad : List.of(tampered, unsigned, signedByAPeer)) {
            CommitResult result = peer.committer.commit(bad);
            assertThat(result).isInstanceOfSatisfying(CommitResult.Refused.class,
                    refused -> assertThat(refused.reason()).isEqualTo(BlockRefusal.BAD_ORDERER_SIGNATURES));
        }

        assertNothingCommittedBeyondGenesis(tx);
        assertThat(peer.committer.stats().refusals(BlockRefusal.BAD_ORDERER_SIGNATURES)).isEqualTo(3);
        assertThat(peer.committer.commit(signed)).isInstanceOf(CommitResult.Committed.class);
    }

    @Test
    void blockThatBreaksTheHashChainIsRefusedWhole() {
        Tx tx = fixture.tx(rwset(ns(CONTRACT).addWrites(write("k", "1"))));
        BlockHeader wrongPredecessor = last().toBuilder().setDataHash(ByteString.copyFrom(new byte[32])).build();
        Block misLinked = fixture.block(wrongPredecessor, tx);
        Block good = fixture.block(last(), tx);
        Tx other = fixture.tx(rwset(ns(CONTRACT).addWrites(write("evil", "1"))));
        // The orderer signed the header; the envelopes were swapped afterwards.
        Block swappedData = good.toBuilder().setData(good.getData().toBuilder().setEnvelopes(0, other.envelope())).build();

        assertThat(peer.committer.commit(misLinked)).isInstanceOfSatisfying(CommitResult.Refused.class,
                refused -> assertThat(refused.reason()).isEqualTo(BlockRefusal.BROKEN_CHAIN));
        assertThat(peer.committer.commit(swappedData)).isInstanceOfSatisfying(CommitResult.Refused.class,
                refused -> assertThat(refused.reason()).isEqualTo(BlockRefusal.BROKEN_CHAIN));

        assertNothingCommittedBeyondGenesis(tx);
        assertThat(value("evil")).isNull();
        assertThat(peer.committer.stats().refusals(BlockRefusal.BROKEN_CHAIN)).isEqualTo(2);
    }

    @Test
    void committedBlocksAreSkippedAndGapsRefused() {
        Block first = fixture.block(last(), fixture.tx(rwset(ns(CONTRACT).addWrites(write("k", "1")))));
        assertThat(peer.committer.commit(first)).isInstanceOf(CommitResult.Committed.class);
        assertThat(peer.committer.commit(first)).isEqualTo(new CommitResult.AlreadyCommitted(1));

        Block second = fixture.block(last(), fixture.tx(rwset(ns(CONTRACT).addWrites(write("k", "2")))));
        Block third = fixture.block(second.getHeader(), fixture.tx(rwset(ns(CONTRACT).addWrites(write("k", "3")))));
        assertThat(peer.committer.commit(third)).isInstanceOfSatisfying(CommitResult.Refused.class,
                refused -> assertThat(refused.reason()).isEqualTo(BlockRefusal.OUT_OF_SEQUENCE));
        Block fork = fixture.block(peer.ledger.block(0).orElseThrow().getHeader(),
                fixture.tx(rwset(ns(CONTRACT).addWrites(write("k", "fork")))));
        assertThat(peer.committer.commit(fork)).isInstanceOfSatisfying(CommitResult.Refused.class,
                refused -> assertThat(refused.reason()).isEqualTo(BlockRefusal.CONFLICTS_WITH_LEDGER));
        assertThat(peer.ledger.height()).isEqualTo(2);
        assertThat(value("k")).isEqualTo("1");
    }

    private void assertNothingCommittedBeyondGenesis(Tx tx) {
        assertThat(peer.ledger.height()).isEqualTo(1);
        assertThat(peer.ledger.block(1)).isEmpty();
        assertThat(peer.ledger.transaction(tx.txId())).isEmpty();
        assertThat(peer.ledger.get(CONTRACT, "k")).isEmpty();
        assertThat(peer.ledger.history(CONTRACT, "k")).isEmpty();
    }

    private static Tx withFlippedSignature(Tx tx) {
        Envelope envelope = parse(tx.envelope());
        byte[] signature = envelope.getSignature().toByteArray();
        signature[signature.length - 1] ^= 1;
        return new Tx(tx.txId(), envelope.toBuilder().setSignature(ByteString.copyFrom(signature)).build().toByteString());
    }

    private static Envelope parse(ByteString bytes) {
        try {
            return Envelope.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static io.charter.protocol.Payload parsePayload(Envelope envelope) {
        try {
            return io.charter.protocol.Payload.parseFrom(envelope.getPayload());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
