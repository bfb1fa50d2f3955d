package io.charter.peer.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.common.testing.Await;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.TransportClient;
import io.charter.peer.endorsement.EndorsementResult;
import io.charter.peer.ledger.TxRecord;
import io.charter.peer.privatedata.PrivateDataHashes;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerNetwork;
import io.charter.peer.testing.TestClient;
import io.charter.peer.testing.TestContracts;
import io.charter.protocol.CollectionConfig;
import io.charter.protocol.CollectionPrivateWrites;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.KeyWrite;
import io.charter.protocol.PrivateDataOutcome;
import io.charter.protocol.PrivateDataReference;
import io.charter.protocol.PullPrivateDataRequest;
import io.charter.protocol.PullPrivateDataResponse;
import io.charter.protocol.PushPrivateDataRequest;
import io.charter.protocol.PushPrivateDataResponse;
import io.charter.protocol.TxPrivateWrites;
import io.charter.protocol.TxValidationCode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Private data collections against real peers (two organizations, two peers each, each peer on its own PostgreSQL
 * database) and a real orderer: values reach the peers of member organizations only, blocks and non-members hold
 * hashes only (checked with SQL on every table that holds bytes), a member peer that missed a value reconciles it,
 * values not matching the hashes are refused and reconciled, values are purged after blockToLive, member-only
 * collections refuse non-member clients, and non-member peers can neither receive nor fetch values.
 */
class PrivateDataNetworkTest extends PeerNetworkTestBase {

    private static final String CONTRACT = "pdc";
    /** Org1 only; one other member peer must store a write before the endorser answers. */
    private static final String ORG1_ONLY = "org1only";
    /** Both organizations; values purged 3 blocks after the block that wrote them. */
    private static final String SHARED = "shared";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final String SOURCE = """
            package pdc;
            import io.charter.contract.*;
            import java.util.HexFormat;
            @Contract(name = "pdc")
            public class PrivateContract {
                @Transaction public void Put(Context ctx, String collection, String key) {
                    ctx.putPrivate(collection, key, ctx.transientData().get("value"));
                }
                @Transaction public String ReadThenPut(Context ctx, String collection, String key) {
                    String before = ctx.getPrivateString(collection, key).orElse("");
                    ctx.putPrivate(collection, key, ctx.transientData().get("value"));
                    return before;
                }
                @Transaction(intent = Transaction.Intent.EVALUATE) public String Get(Context ctx, String collection, String key) {
                    return ctx.getPrivateString(collection, key).orElse("<absent>");
                }
                @Transaction(intent = Transaction.Intent.EVALUATE) public String Hash(Context ctx, String collection, String key) {
                    return ctx.getPrivateHash(collection, key).map(h -> HexFormat.of().formatHex(h)).orElse("<absent>");
                }
            }
            """;

    private TestPki.Credential org1Client;
    private TestPki.Credential org2Client;

    private void startNetwork() throws Exception {
        network = new PeerNetwork(dir, databases).installingAtStart(TestContracts.compile(Map.of("pdc.PrivateContract", SOURCE)));
        network.startAll();
        startNetworkDefinitions();
    }

    /** Defines the private data contract with its two collections; enrolls the clients. */
    private void startNetworkDefinitions() throws Exception {
        network.define(ContractDefinition.newBuilder().setName(CONTRACT).setVersion("1").setSequence(1)
                .setEndorsementPolicy("OR('Org1.peer', 'Org2.peer')")
                .addCollections(CollectionConfig.newBuilder().setName(ORG1_ONLY).setMemberPolicy("OR('Org1.member')")
                        .setRequiredPeerCount(1).setMaxPeerCount(1).setMemberOnlyRead(true).setMemberOnlyWrite(true))
                .addCollections(CollectionConfig.newBuilder().setName(SHARED)
                        .setMemberPolicy("OR('Org1.member', 'Org2.member')").setRequiredPeerCount(1).setMaxPeerCount(3)
                        .setBlockToLive(3))
                .build());
        org1Client = network.pki.organization("Org1").enroll("alice", Role.CLIENT);
        org2Client = network.pki.organization("Org2").enroll("bob", Role.CLIENT);
    }

    @Test
    void nonMemberPeersHoldOnlyHashesWhileMemberPeersAgreeOnTheValue() throws Exception {
        startNetwork();
        String secret = "price-4711-" + System.nanoTime();
        TestClient.Proposed put = TestClient.invokeWithTransient(org1Client, Map.of("value", secret), CONTRACT, "Put",
                ORG1_ONLY, "deal-1");
        network.submitEndorsed(put, List.of("peer0.Org1"));
        network.awaitConverged(PATIENCE);
        assertThat(code("peer0.Org2", put.txId())).isEqualTo(TxValidationCode.VALID);

        for (String member : List.of("peer0.Org1", "peer1.Org1")) {
            Await.until(member + " holds the value", () -> privateValues(member, ORG1_ONLY).contains(secret), PATIENCE);
            assertThat(evaluate(member, org1Client, "Get", ORG1_ONLY, "deal-1")).isEqualTo(secret);
        }
        byte[] secretBytes = secret.getBytes(StandardCharsets.UTF_8);
        for (String name : network.specs.keySet()) {
            // blocks carry hashes only, on every peer
            assertThat(rowsHolding(name, "block", "raw", secretBytes)).as(name + " blocks").isZero();
            assertThat(rowsHolding(name, "state", "value", secretBytes)).as(name + " state").isZero();
            assertThat(rowsHolding(name, "key_history", "value", secretBytes)).as(name + " history").isZero();
            // every peer knows the hash
            assertThat(count(name, "select count(*) from private_hash where value_hash = ?",
                    PrivateDataHashes.valueHash(secretBytes).toByteArray())).as(name + " hashes").isOne();
        }
        for (String nonMember : List.of("peer0.Org2", "peer1.Org2")) {
            for (String table : List.of("private_state", "private_writes", "private_transient")) {
                assertThat(count(nonMember, "select count(*) from " + table)).as(nonMember + " " + table).isZero();
            }
            // the peer has no value to give, even to a member's client
            assertThat(evaluationCode(nonMember, org1Client, "Get", ORG1_ONLY, "deal-1")).isEqualTo("PRIVATE_DATA_UNAVAILABLE");
            // ... but it can check a value against the committed hash
            assertThat(evaluate(nonMember, org1Client, "Hash", ORG1_ONLY, "deal-1"))
                    .isEqualTo(java.util.HexFormat.of().formatHex(PrivateDataHashes.valueHash(secretBytes).toByteArray()));
        }
        // the endorsement answered only after peer1.Org1 had it, and the transient store is empty after the commit
        for (String member : List.of("peer0.Org1", "peer1.Org1")) {
            assertThat(count(member, "select count(*) from private_transient")).isZero();
        }
    }

    @Test
    void memberOnlyCollectionsRefuseClientsOfOtherOrganizationsAndNothingIsKept() throws Exception {
        startNetwork();
        TestClient.Proposed write = TestClient.invokeWithTransient(org2Client, Map.of("value", "v"), CONTRACT, "Put",
                ORG1_ONLY, "k");
        EndorsementResult result = network.nodes.get("peer0.Org1").endorser().endorse(write.signed());
        assertThat(result).isInstanceOfSatisfying(EndorsementResult.ContractFailed.class,
                failed -> assertThat(failed.code()).isEqualTo("PRIVATE_WRITE_DENIED"));
        assertThat(evaluationCode("peer0.Org1", org2Client, "Get", ORG1_ONLY, "k")).isEqualTo("PRIVATE_READ_DENIED");
        for (String name : network.specs.keySet()) {
            assertThat(count(name, "select count(*) from private_transient")).isZero();
        }
        assertThat(evaluationCode("peer0.Org1", org1Client, "Get", "nope", "k")).isEqualTo("UNKNOWN_COLLECTION");
    }

    @Test
    void anEndorsementIsRefusedWhenTooFewMemberPeersStoreThePrivateData() throws Exception {
        startNetwork();
        network.stop("peer1.Org1"); // the only other peer of org1only's members
        TestClient.Proposed put = TestClient.invokeWithTransient(org1Client, Map.of("value", "v"), CONTRACT, "Put",
                ORG1_ONLY, "k");
        EndorsementResult result = network.nodes.get("peer0.Org1").endorser().endorse(put.signed());
        assertThat(result).isInstanceOfSatisfying(EndorsementResult.Refused.class, refused -> {
            assertThat(refused.reason().name()).isEqualTo("PRIVATE_DATA_NOT_DISSEMINATED");
            assertThat(refused.detail()).contains("collection org1only").doesNotContain("v\"");
        });
    }

    @Test
    void aPeerOfANonMemberOrganizationEndorsesAPrivateWriteKeepingNothingAndTheMembersGetTheValue() throws Exception {
        startNetwork();
        String secret = "endorsed-by-org2-" + System.nanoTime();
        TestClient.Proposed put = TestClient.invokeWithTransient(org1Client, Map.of("value", secret), CONTRACT, "Put",
                ORG1_ONLY, "deal-6");
        network.submitEndorsed(put, List.of("peer0.Org2"));
        network.awaitConverged(PATIENCE);
        assertThat(code("peer0.Org1", put.txId())).isEqualTo(TxValidationCode.VALID);
        for (String member : List.of("peer0.Org1", "peer1.Org1")) {
            Await.until(member + " holds the value", () -> privateValues(member, ORG1_ONLY).contains(secret), PATIENCE);
        }
        for (String nonMember : List.of("peer0.Org2", "peer1.Org2")) {
            for (String table : List.of("private_state", "private_writes", "private_transient")) {
                assertThat(count(nonMember, "select count(*) from " + table)).as(nonMember + " " + table).isZero();
            }
        }
    }

    @Test
    void otherOrganizationsPeersListedByTheIndexReceiveThePushBeyondTheAnchorPeers() throws Exception {
        network = new PeerNetwork(dir, databases).installingAtStart(TestContracts.compile(Map.of("pdc.PrivateContract", SOURCE)));
        // peer0.Org1 is told (as the index tells it) of Org2's peer1 too, which is no anchor peer
        PeerSettings endorser = network.settings(network.specs.get("peer0.Org1"));
        network.start("peer0.Org1", new Neighbours(endorser.organizationPeers(), endorser.orderers(), "index",
                Map.of("Org2", List.of(network.endpoint("peer1.Org2")))));
        for (String name : List.of("peer1.Org1", "peer0.Org2", "peer1.Org2")) {
            network.start(name);
        }
        network.define(ContractDefinition.newBuilder().setName(ChannelFixture.CONTRACT).setVersion("1").setSequence(1).build());
        startNetworkDefinitions();
        String secret = "pushed-to-a-listed-peer-" + System.nanoTime();
        TestClient.Proposed put = TestClient.invokeWithTransient(org1Client, Map.of("value", secret), CONTRACT, "Put",
                SHARED, "deal-7");
        network.submitEndorsed(put, List.of("peer0.Org1"));
        network.awaitConverged(PATIENCE);

        // it held the value when the block committed: nothing missing, nothing reconciled
        assertThat(privateValues("peer1.Org2", SHARED)).contains(secret);
        assertThat(network.nodes.get("peer1.Org2").reconciler(ChannelFixture.CHANNEL).orElseThrow().reconciled()).isZero();
        assertThat(count("peer1.Org2", "select count(*) from private_missing")).isZero();
    }

    @Test
    void aMemberPeerDownDuringEndorsementReconcilesTheValueFromAnotherMember() throws Exception {
        startNetwork();
        network.stop("peer1.Org1");
        String secret = "shared-" + System.nanoTime();
        TestClient.Proposed put = TestClient.invokeWithTransient(org1Client, Map.of("value", secret), CONTRACT, "Put",
                SHARED, "deal-2");
        network.submitEndorsed(put, List.of("peer0.Org1"));
        network.awaitConverged(PATIENCE);
        assertThat(privateValues("peer1.Org1", SHARED)).doesNotContain(secret);

        network.start("peer1.Org1");
        network.awaitConverged(PATIENCE);
        Await.until("peer1.Org1 reconciled the value", () -> privateValues("peer1.Org1", SHARED).contains(secret), PATIENCE);
        Await.until("peer1.Org1 misses nothing", () -> count("peer1.Org1", "select count(*) from private_missing") == 0, PATIENCE);
        // every member peer ends with the value (some received it by push, the others reconciled it)
        for (String member : network.specs.keySet()) {
            Await.until(member + " holds the value", () -> privateValues(member, SHARED).contains(secret), PATIENCE);
        }
    }

    @Test
    void privateDataThatDoesNotMatchTheBlockIsRefusedAndReconciled() throws Exception {
        startNetwork();
        String secret = "honest-" + System.nanoTime();
        TestClient.Proposed put = TestClient.invokeWithTransient(org1Client, Map.of("value", secret), CONTRACT, "Put",
                SHARED, "deal-3");
        // a peer of a member organization pushes other values for the transaction before the endorser does
        TransportClient liar = network.connect("peer1.Org1", network.pki.organization("Org2").enrollTls("liar", Role.PEER));
        PushPrivateDataResponse pushed = PushPrivateDataResponse.parseFrom(liar.call(PeerMethodNames.PUSH_PRIVATE_DATA,
                PushPrivateDataRequest.newBuilder().setChannelId(ChannelFixture.CHANNEL).setWrites(TxPrivateWrites.newBuilder()
                        .setTxId(put.txId()).addCollections(CollectionPrivateWrites.newBuilder().setNamespace(CONTRACT)
                                .setCollection(SHARED).addWrites(KeyWrite.newBuilder().setKey("deal-3")
                                        .setValue(ByteString.copyFromUtf8("forged")))))
                        .build().toByteString(), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS));
        assertThat(pushed.getOutcome()).isEqualTo(PrivateDataOutcome.STORED);

        network.submitEndorsed(put, List.of("peer0.Org1"));
        network.awaitConverged(PATIENCE);
        Await.until("peer1.Org1 reconciled the honest value", () -> privateValues("peer1.Org1", SHARED).contains(secret),
                PATIENCE);
        assertThat(privateValues("peer1.Org1", SHARED)).doesNotContain("forged");
        assertThat(evaluate("peer1.Org1", org1Client, "Get", SHARED, "deal-3")).isEqualTo(secret);
    }

    @Test
    void valuesArePurgedAfterBlockToLiveAndTheirHashesStay() throws Exception {
        startNetwork();
        String secret = "short-lived-" + System.nanoTime();
        TestClient.Proposed put = TestClient.invokeWithTransient(org1Client, Map.of("value", secret), CONTRACT, "Put",
                SHARED, "deal-4");
        network.submitEndorsed(put, List.of("peer0.Org1"));
        network.awaitConverged(PATIENCE);
        long written = network.nodes.get("peer0.Org1").channel(ChannelFixture.CHANNEL).orElseThrow().ledger()
                .transaction(put.txId()).map(TxRecord::blockNumber).orElseThrow();
        Await.until("peer0.Org1 holds the value", () -> privateValues("peer0.Org1", SHARED).contains(secret), PATIENCE);
        // blockToLive 3: still there once block written + 3 has committed, gone when block written + 4 commits
        while (network.ordererHeight() < written + 4) {
            network.submit("filler" + network.ordererHeight() + "-", 1);
        }
        network.awaitConverged(PATIENCE);
        assertThat(network.ordererHeight()).isEqualTo(written + 4);
        assertThat(privateValues("peer0.Org1", SHARED)).contains(secret);
        network.submit("last-filler", 1);
        network.awaitConverged(PATIENCE);
        for (String member : network.specs.keySet()) {
            assertThat(privateValues(member, SHARED)).as(member).doesNotContain(secret);
            assertThat(count(member, "select count(*) from private_writes")).as(member).isZero();
            assertThat(count(member, "select count(*) from private_hash where collection = ?", SHARED)).as(member).isOne();
        }
        assertThat(evaluate("peer0.Org1", org1Client, "Get", SHARED, "deal-4")).isEqualTo("<absent>");
    }

    @Test
    void aPeerOfANonMemberOrganizationCanNeitherReceiveNorPullAndAClientCannotCallEither() throws Exception {
        startNetwork();
        String secret = "guarded-" + System.nanoTime();
        TestClient.Proposed put = TestClient.invokeWithTransient(org1Client, Map.of("value", secret), CONTRACT, "Put",
                ORG1_ONLY, "deal-5");
        network.submitEndorsed(put, List.of("peer0.Org1"));
        network.awaitConverged(PATIENCE);
        TxRecord committed = network.nodes.get("peer0.Org1").channel(ChannelFixture.CHANNEL).orElseThrow().ledger()
                .transaction(put.txId()).orElseThrow();

        TransportClient org2Peer = network.connect("peer0.Org1", network.pki.organization("Org2").enrollTls("curious", Role.PEER));
        PullPrivateDataResponse pulled = PullPrivateDataResponse.parseFrom(org2Peer.call(PeerMethodNames.PULL_PRIVATE_DATA,
                PullPrivateDataRequest.newBuilder().setChannelId(ChannelFixture.CHANNEL).addReferences(
                        PrivateDataReference.newBuilder().setBlockNumber(committed.blockNumber())
                                .setTxNumber(committed.txNumber()).setNamespace(CONTRACT).setCollection(ORG1_ONLY))
                        .build().toByteString(), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS));
        assertThat(pulled.getJoined()).isTrue();
        assertThat(pulled.getFoundList()).isEmpty();

        TransportClient org1Peer = network.connect("peer0.Org1", network.pki.organization("Org1").enrollTls("sibling", Role.PEER));
        PullPrivateDataResponse sibling = PullPrivateDataResponse.parseFrom(org1Peer.call(PeerMethodNames.PULL_PRIVATE_DATA,
                PullPrivateDataRequest.newBuilder().setChannelId(ChannelFixture.CHANNEL).addReferences(
                        PrivateDataReference.newBuilder().setBlockNumber(committed.blockNumber())
                                .setTxNumber(committed.txNumber()).setNamespace(CONTRACT).setCollection(ORG1_ONLY))
                        .build().toByteString(), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS));
        assertThat(sibling.getFoundList()).singleElement()
                .satisfies(found -> assertThat(found.getWrites().getWrites(0).getValue().toStringUtf8()).isEqualTo(secret));
        // positions beyond the signed range name nothing: answered empty, not an error
        PullPrivateDataResponse beyond = PullPrivateDataResponse.parseFrom(org1Peer.call(PeerMethodNames.PULL_PRIVATE_DATA,
                PullPrivateDataRequest.newBuilder().setChannelId(ChannelFixture.CHANNEL).addReferences(
                        PrivateDataReference.newBuilder().setBlockNumber(-1L).setTxNumber(-1).setNamespace(CONTRACT)
                                .setCollection(ORG1_ONLY)).build().toByteString(), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS));
        assertThat(beyond.getJoined()).isTrue();
        assertThat(beyond.getFoundList()).isEmpty();

        // a member organization's peer cannot hand values to a non-member's peer either
        TransportClient toNonMember = network.connect("peer0.Org2", network.pki.organization("Org1").enrollTls("pusher", Role.PEER));
        PushPrivateDataResponse refused = PushPrivateDataResponse.parseFrom(toNonMember.call(PeerMethodNames.PUSH_PRIVATE_DATA,
                PushPrivateDataRequest.newBuilder().setChannelId(ChannelFixture.CHANNEL).setWrites(TxPrivateWrites.newBuilder()
                        .setTxId("a".repeat(64)).addCollections(CollectionPrivateWrites.newBuilder().setNamespace(CONTRACT)
                                .setCollection(ORG1_ONLY).addWrites(KeyWrite.newBuilder().setKey("x")
                                        .setValue(ByteString.copyFromUtf8("y")))))
                        .build().toByteString(), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS));
        assertThat(refused.getOutcome()).isEqualTo(PrivateDataOutcome.PRIVATE_DATA_NOT_MEMBER);
        assertThat(count("peer0.Org2", "select count(*) from private_transient")).isZero();

        TransportClient client = network.connect("peer0.Org1", network.pki.organization("Org1").enrollTls("app", Role.CLIENT));
        assertThat(client.call(PeerMethodNames.PULL_PRIVATE_DATA, PullPrivateDataRequest.newBuilder()
                .setChannelId(ChannelFixture.CHANNEL).build().toByteString(), Duration.ofSeconds(10)))
                .failsWithin(Duration.ofSeconds(10)).withThrowableThat().withMessageContaining("PERMISSION_DENIED");
    }

    // ---- helpers ----

    private TxValidationCode code(String peer, String txId) {
        return network.nodes.get(peer).channel(ChannelFixture.CHANNEL).orElseThrow().ledger().transaction(txId)
                .map(TxRecord::code).orElseThrow();
    }

    private String evaluate(String peer, TestPki.Credential client, String function, String... args) {
        EndorsementResult result = network.nodes.get(peer).endorser().endorse(TestClient.invoke(client, CONTRACT, function, args).signed());
        assertThat(result).as("%s", result).isInstanceOf(EndorsementResult.Endorsed.class);
        return result.response().getResponse().getPayload().toStringUtf8();
    }

    private String evaluationCode(String peer, TestPki.Credential client, String function, String... args) {
        EndorsementResult result = network.nodes.get(peer).endorser().endorse(TestClient.invoke(client, CONTRACT, function, args).signed());
        assertThat(result).as("%s", result).isInstanceOf(EndorsementResult.ContractFailed.class);
        return ((EndorsementResult.ContractFailed) result).code();
    }

    private List<String> privateValues(String peer, String collection) {
        try (Connection c = dataSource(peer).getConnection();
             PreparedStatement s = c.prepareStatement("select value from private_state where collection = ?")) {
            s.setString(1, collection);
            List<String> values = new java.util.ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    values.add(new String(rows.getBytes(1), StandardCharsets.UTF_8));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows of {@code table} whose bytea {@code column} contains {@code needle}. */
    private long rowsHolding(String peer, String table, String column, byte[] needle) {
        return count(peer, "select count(*) from " + table + " where position(?::bytea in " + column + ") > 0", needle);
    }

    private long count(String peer, String sql, Object... parameters) {
        try (Connection c = dataSource(peer).getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private DataSource dataSource(String peer) {
        return network.specs.get(peer).dataSource();
    }

}
