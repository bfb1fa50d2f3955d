package io.charter.peer.simulation;

import static io.charter.peer.testing.ChannelFixture.CONTRACT;
import static io.charter.peer.testing.ChannelFixture.ns;
import static io.charter.peer.testing.ChannelFixture.rwset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.common.lifecycle.DefinitionRules;
import io.charter.common.testing.RequiresDocker;
import io.charter.contract.ClientIdentity;
import io.charter.contract.ContractException;
import io.charter.contract.KeyValue;
import io.charter.contract.Page;
import io.charter.contract.Query;
import io.charter.peer.ledger.BlockCommit;
import io.charter.peer.ledger.HashedKey;
import io.charter.peer.ledger.KeyVersion;
import io.charter.peer.ledger.PrivateCommit;
import io.charter.peer.privatedata.Collection;
import io.charter.peer.privatedata.PrivateDataHashes;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerDatabases;
import io.charter.peer.testing.TestPeer;
import io.charter.protocol.CollectionConfig;
import io.charter.protocol.CollectionHashedReadWriteSet;
import io.charter.protocol.CollectionPrivateWrites;
import io.charter.protocol.KeyWrite;
import io.charter.protocol.TxReadWriteSet;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator's private data: reads and writes of collections become hashes in the read-write set (never a key
 * or a value in clear), the clear writes come apart in the hashes' order, range and rich queries record what they
 * return, and each refusal has its code: unknown collection, a peer that holds no values, member-only reads and
 * writes, writes from an EVALUATE function.
 */
@RequiresDocker
class PrivateDataSimulationTest {

    private static final String PRICES = "prices";   // Org1 only, memberOnlyRead and memberOnlyWrite
    private static final String OPEN = "open";       // Org1 and Org2

    private static PeerDatabases databases;
    private static ChannelFixture fixture;
    private static TestPeer peer;
    private static long committedIn;

    private static final Map<String, Collection> COLLECTIONS = Map.of(
            PRICES, collection(CollectionConfig.newBuilder().setName(PRICES).setMemberPolicy("OR('Org1.member')")
                    .setMemberOnlyRead(true).setMemberOnlyWrite(true).build()),
            OPEN, collection(CollectionConfig.newBuilder().setName(OPEN).setMemberPolicy("OR('Org1.member', 'Org2.member')")
                    .build()));

    @BeforeAll
    static void fill() {
        databases = PeerDatabases.start();
        fixture = new ChannelFixture();
        peer = new TestPeer(databases.dataSource(databases.createDatabase()), fixture);
        committedIn = peer.ledger.height();
        List<PrivateCommit.HashWrite> hashes = new ArrayList<>();
        CollectionPrivateWrites.Builder writes = CollectionPrivateWrites.newBuilder().setNamespace(CONTRACT).setCollection(OPEN);
        for (String key : List.of("a1", "a2", "a3", "b1")) {
            String value = "{\"owner\":\"" + (key.startsWith("a") ? "alice" : "bob") + "\",\"key\":\"" + key + "\"}";
            hashes.add(new PrivateCommit.HashWrite(new HashedKey(CONTRACT, OPEN, PrivateDataHashes.keyHash(key)),
                    Optional.of(PrivateDataHashes.valueHash(value.getBytes(StandardCharsets.UTF_8))),
                    new KeyVersion(committedIn, 0), Optional.empty()));
            writes.addWrites(KeyWrite.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)));
        }
        ChannelFixture.Tx tx = fixture.tx(rwset(ns(CONTRACT).addWrites(ChannelFixture.write("public", "x"))));
        peer.ledger.commit(new BlockCommit(fixture.block(peer.ledger.lastHeader().orElseThrow(), tx), List.of(), List.of(),
                List.of(), Optional.empty(), List.of(), new PrivateCommit(hashes,
                List.of(new PrivateCommit.ValueWrites(writes.build(), new KeyVersion(committedIn, 0), Optional.empty())),
                List.of(), List.of(), 0)));
    }

    @AfterAll
    static void stop() {
        peer.close();
        databases.close();
    }

    @Test
    void readsAndWritesOfCollectionsAreHashesInTheReadWriteSetAndTheClearWritesComeApartInTheSameOrder() {
        TransactionSimulator simulator = simulator("Org1", "Org1");
        assertThat(simulator.getPrivateString(OPEN, "a1")).contains("{\"owner\":\"alice\",\"key\":\"a1\"}");
        assertThat(simulator.getPrivate(OPEN, "missing")).isEmpty();
        simulator.putPrivateString(OPEN, "zeta", "secret-z");
        simulator.putPrivateString(OPEN, "alpha", "secret-a");
        simulator.deletePrivate(OPEN, "a2");
        assertThat(simulator.getPrivateString(OPEN, "zeta")).as("reads its own writes").contains("secret-z");

        SimulationResults results = simulator.results();
        TxReadWriteSet rwset = results.rwset();
        String bytes = rwset.toByteString().toString(StandardCharsets.ISO_8859_1);
        for (String clear : List.of("a1", "zeta", "alpha", "secret-z", "secret-a", "alice")) {
            assertThat(bytes).as("the read-write set never holds %s", clear).doesNotContain(clear);
        }
        CollectionHashedReadWriteSet hashed = rwset.getNamespaces(0).getCollections(0);
        assertThat(hashed.getCollection()).isEqualTo(OPEN);
        assertThat(hashed.getReadsList()).hasSize(2);
        assertThat(hashed.getReads(0).hasVersion() || hashed.getReads(1).hasVersion()).isTrue();
        assertThat(hashed.getWritesList()).extracting(w -> w.getKeyHash())
                .isSortedAccordingTo(ByteString.unsignedLexicographicalComparator());
        assertThat(results.privateWrites()).singleElement().satisfies(clear -> {
            assertThat(clear.getNamespace()).isEqualTo(CONTRACT);
            assertThat(PrivateDataHashes.mismatch(clear, hashed)).isEmpty();
            assertThat(clear.getWritesList()).extracting(KeyWrite::getKey).containsExactlyInAnyOrder("zeta", "alpha", "a2");
        });
    }

    @Test
    void aRangeAndARichQueryReturnTheHeldValuesAndRecordEachAsAHashedRead() {
        TransactionSimulator simulator = simulator("Org1", "Org1");
        Page range = simulator.privateRange(OPEN, "a", "b", 2, "");
        assertThat(range.entries()).extracting(KeyValue::key).containsExactly("a1", "a2");
        Page next = simulator.privateRange(OPEN, "a", "b", 2, range.bookmark().orElseThrow());
        assertThat(next.entries()).extracting(KeyValue::key).containsExactly("a3");
        Page bobs = simulator.privateQuery(OPEN, new Query.Containing("{\"owner\":\"bob\"}"), 10, "");
        assertThat(bobs.entries()).extracting(KeyValue::key).containsExactly("b1");

        CollectionHashedReadWriteSet hashed = simulator.results().rwset().getNamespaces(0).getCollections(0);
        assertThat(hashed.getReadsList()).hasSize(4).allSatisfy(read ->
                assertThat(KeyVersion.of(read.getVersion())).isEqualTo(new KeyVersion(committedIn, 0)));
    }

    @Test
    void aPeerOfANonMemberOrganizationHoldsNoValueButKnowsTheHash() {
        TransactionSimulator simulator = simulator("Org1", "Org2-not-member");
        assertCode(() -> simulator.getPrivate(OPEN, "a1"), "PRIVATE_DATA_UNAVAILABLE");
        assertCode(() -> simulator.privateRange(OPEN, "", "", 10, ""), "PRIVATE_DATA_UNAVAILABLE");
        String value = "{\"owner\":\"alice\",\"key\":\"a1\"}";
        assertThat(simulator.getPrivateHash(OPEN, "a1"))
                .hasValueSatisfying(hash -> assertThat(hash).isEqualTo(PrivateDataHashes.valueHash(value.getBytes(StandardCharsets.UTF_8)).toByteArray()));
        assertThat(simulator.getPrivateHash(OPEN, "missing")).isEmpty();
    }

    @Test
    void memberOnlyCollectionsRefuseCallersOfOtherOrganizationsAndUnknownCollectionsAreRefused() {
        TransactionSimulator org2Caller = simulator("Org2", "Org1");
        assertCode(() -> org2Caller.getPrivate(PRICES, "p"), "PRIVATE_READ_DENIED");
        assertCode(() -> org2Caller.putPrivate(PRICES, "p", new byte[] {1}), "PRIVATE_WRITE_DENIED");
        assertCode(() -> org2Caller.deletePrivate(PRICES, "p"), "PRIVATE_WRITE_DENIED");
        assertCode(() -> org2Caller.getPrivate("nope", "p"), "UNKNOWN_COLLECTION");
        assertCode(() -> org2Caller.putPrivate("", "p", new byte[] {1}), "UNKNOWN_COLLECTION");
        assertThat(org2Caller.results().privateWrites()).isEmpty();
        assertThat(org2Caller.results().rwset().getNamespacesCount()).isZero();

        TransactionSimulator evaluate = simulator("Org1", "Org1").readOnly();
        assertCode(() -> evaluate.putPrivate(OPEN, "k", new byte[] {1}), "EVALUATE_WRITES");
        assertCode(() -> simulator("Org1", "Org1").putPrivate(OPEN, "k", null), "INVALID_VALUE");
        assertCode(() -> simulator("Org1", "Org1").putPrivate(OPEN, "", new byte[] {1}), "INVALID_KEY");
    }

    // ---- helpers ----

    private static Collection collection(CollectionConfig config) {
        return new Collection(CONTRACT, config, DefinitionRules.members(config), Optional.empty());
    }

    private static TransactionSimulator simulator(String callerMsp, String peerMsp) {
        TransactionInfo info = new TransactionInfo("a".repeat(64), Instant.now(), "f",
                new ClientIdentity(callerMsp, "client", "someone", Map.of(), new byte[0]), Map.of());
        return new TransactionSimulator(peer.ledger, CONTRACT, info,
                new PrivateDataAccess(name -> Optional.ofNullable(COLLECTIONS.get(name)), peerMsp));
    }

    private static void assertCode(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ContractException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }
}
