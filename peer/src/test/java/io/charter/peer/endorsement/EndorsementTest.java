package io.charter.peer.endorsement;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.pki.Role;
import io.charter.common.testing.RequiresDocker;
import io.charter.common.testing.TestPki;
import io.charter.contract.Json;
import io.charter.peer.contract.ContractFailure;
import io.charter.peer.contract.ContractPackage;
import io.charter.peer.contract.ContractRuntimeSettings;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.ContractPeer;
import io.charter.peer.testing.PeerDatabases;
import io.charter.peer.testing.TestClient;
import io.charter.peer.testing.TestClient.Proposed;
import io.charter.peer.testing.TestContracts;
import io.charter.peer.validation.CommitResult;
import io.charter.protocol.ContractDefinition;
import io.charter.peer.lifecycle.Approvals;
import io.charter.protocol.ContractEvents;
import io.charter.protocol.HeaderType;
import io.charter.protocol.NamespaceReadWriteSet;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.ProposalResponsePayload;
import io.charter.protocol.SignedProposal;
import io.charter.protocol.TxReadWriteSet;
import io.charter.protocol.TxValidationCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Endorsement, commit and the contract lifecycle on two peers (Org1's and Org2's), each with its own
 * PostgreSQL database, driven the way clients and orderers drive them: proposals signed by clients,
 * transactions assembled from both peers' endorsements, blocks built with Blocks.nextBlock and signed by
 * an orderer, committed by each peer's BlockCommitter. The channel's Endorsement policy is
 * AND('Org1.peer', 'Org2.peer'); LifecycleEndorsement is the default, MAJORITY Endorsement over Org1,
 * Org2 and OrdererOrg (two of three organizations' peers).
 */
@RequiresDocker
class EndorsementTest {

    private static final String ASSETS = "asset-transfer";
    private static final ContractRuntimeSettings RUNTIME =
            ContractRuntimeSettings.DEFAULTS.withInvocationTimeout(Duration.ofSeconds(1));

    @TempDir
    static Path dataDir;
    private static PeerDatabases databases;
    private static ChannelFixture fixture;
    private static ContractPeer peer1;
    private static ContractPeer peer2;
    private static TestPki.Credential admin1;
    private static TestPki.Credential admin2;
    private static String assetPackage;
    private static byte[] echoJar;

    @BeforeAll
    static void start() {
        databases = PeerDatabases.start();
        fixture = new ChannelFixture();
        admin1 = fixture.pki.organization("Org1").enroll("admin1", Role.ADMIN);
        admin2 = fixture.pki.organization("Org2").enroll("admin2", Role.ADMIN);
        peer1 = new ContractPeer(databases.dataSource(databases.createDatabase()), fixture, fixture.peer1, dataDir.resolve("peer1"), RUNTIME);
        peer2 = new ContractPeer(databases.dataSource(databases.createDatabase()), fixture, fixture.peer2, dataDir.resolve("peer2"), RUNTIME);
        byte[] assetJar = TestContracts.assetTransferJar();
        byte[] rogueJar = TestContracts.compile(Map.of("rogue.Rogue", TestContracts.ROGUE));
        echoJar = TestContracts.compile(Map.of("echo.Echo", """
                package echo;
                import io.charter.contract.*;
                @Contract(name = "echo")
                public class Echo {
                    @Transaction public String Say(Context ctx, String text) { ctx.putString("said", text); return text; }
                }
                """));
        for (ContractPeer peer : List.of(peer1, peer2)) {
            assetPackage = peer.store.install(assetJar).packageId();
            peer.store.install(rogueJar);
            peer.store.install(echoJar);
        }
        // Define the sample (with its package id) and the rogue contract under the channel's default policy.
        assertThat(defineOnBothPeers(ContractDefinition.newBuilder().setName(ASSETS).setVersion("1.0").setSequence(1)
                .setEndorsementPolicy("AND('Org1.peer', 'Org2.peer')").setPackageId(assetPackage).build()))
                .containsExactly(TxValidationCode.VALID);
        assertThat(defineOnBothPeers(ContractDefinition.newBuilder().setName("rogue").setVersion("1").setSequence(1).build()))
                .containsExactly(TxValidationCode.VALID);
    }

    @AfterAll
    static void stop() {
        if (peer1 != null) {
            peer1.close();
        }
        if (peer2 != null) {
            peer2.close();
        }
        databases.close();
    }

    // ---- helpers ----

    /** Org1's and Org2's admins approve {@code definition} (each endorsed by its own peer), then Org1's admin commits it. */
    private static List<TxValidationCode> defineOnBothPeers(ContractDefinition definition) {
        Proposed approve1 = TestClient.approve(admin1, definition, "Org1");
        Proposed approve2 = TestClient.approve(admin2, definition, "Org2");
        assertThat(commit(TestClient.transaction(approve1, List.of(endorsed(peer1, approve1))),
                TestClient.transaction(approve2, List.of(endorsed(peer2, approve2)))))
                .containsExactly(TxValidationCode.VALID, TxValidationCode.VALID);
        Proposed proposed = TestClient.commit(admin1, definition);
        return commit(TestClient.transaction(proposed, List.of(endorsed(peer1, proposed), endorsed(peer2, proposed))));
    }

    private static EndorsementResult endorse(ContractPeer peer, Proposed proposed) {
        return peer.endorser.endorse(proposed.signed());
    }

    private static ProposalResponse endorsed(ContractPeer peer, Proposed proposed) {
        EndorsementResult result = endorse(peer, proposed);
        assertThat(result).as("%s", result).isInstanceOf(EndorsementResult.Endorsed.class);
        return result.response();
    }

    /** Orders the envelopes into the next block (signed by the orderer) and commits it on both peers. */
    private static List<TxValidationCode> commit(ByteString... envelopes) {
        var block = fixture.block(peer1.ledger.lastHeader().orElseThrow(), List.of(envelopes));
        CommitResult first = peer1.committer.commit(block);
        CommitResult second = peer2.committer.commit(block);
        assertThat(first).isInstanceOf(CommitResult.Committed.class);
        assertThat(second).isEqualTo(first);
        return ((CommitResult.Committed) first).codes();
    }

    /** Endorses on both peers and commits the transaction alone in a block. */
    private static TxValidationCode submit(TestPki.Credential client, String contract, String function, String... args) {
        Proposed proposed = TestClient.invoke(client, contract, function, args);
        return commit(TestClient.transaction(proposed, List.of(endorsed(peer1, proposed), endorsed(peer2, proposed)))).getFirst();
    }

    private static String evaluate(TestPki.Credential client, String contract, String function, String... args) {
        ProposalResponse response = endorsed(peer1, TestClient.invoke(client, contract, function, args));
        return response.getResponse().getPayload().toStringUtf8();
    }

    private static EndorsementResult.Refused refused(EndorsementResult result, RefusalReason reason) {
        assertThat(result).as("%s", result).isInstanceOf(EndorsementResult.Refused.class);
        EndorsementResult.Refused refused = (EndorsementResult.Refused) result;
        assertThat(refused.reason()).isEqualTo(reason);
        assertThat(refused.response().hasEndorsement()).isFalse();
        assertThat(refused.response().getResponse().getMessage()).startsWith(reason.name() + ": ");
        return refused;
    }

    private static EndorsementResult.ContractFailed failed(EndorsementResult result, ContractFailure failure, String code) {
        assertThat(result).as("%s", result).isInstanceOf(EndorsementResult.ContractFailed.class);
        EndorsementResult.ContractFailed failed = (EndorsementResult.ContractFailed) result;
        assertThat(failed.failure()).isEqualTo(failure);
        assertThat(failed.code()).isEqualTo(code);
        assertThat(failed.response().getResponse().getStatus()).isEqualTo(500);
        assertThat(failed.response().hasEndorsement()).isFalse();
        return failed;
    }

    private static TxReadWriteSet rwset(ProposalResponse response) throws InvalidProtocolBufferException {
        return TxReadWriteSet.parseFrom(ProposalResponsePayload.parseFrom(response.getPayload()).getResults());
    }

    private static String owner(String assetJson) {
        return (String) Json.parseObject(assetJson).get("owner");
    }

    // ---- the sample contract, end to end ----

    @Test
    void theSampleContractCreatesTransfersAndQueriesAssets() throws Exception {
        Proposed create = TestClient.invoke(fixture.client1, ASSETS, "CreateAsset", "e2e-1", "blue", "5", "", "300");
        ProposalResponse fromPeer1 = endorsed(peer1, create);
        ProposalResponse fromPeer2 = endorsed(peer2, create);
        // Both peers computed the same results byte for byte, so one transaction carries both endorsements.
        assertThat(fromPeer2.getPayload()).isEqualTo(fromPeer1.getPayload());
        assertThat(owner(fromPeer1.getResponse().getPayload().toStringUtf8())).isEqualTo("client1@Org1");
        ProposalResponsePayload payload = ProposalResponsePayload.parseFrom(fromPeer1.getPayload());
        assertThat(payload.getProposalHash()).isEqualTo(io.charter.common.protocol.Proposals.hash(create.proposal()));
        assertThat(ContractEvents.parseFrom(payload.getEvents()).getEvents(0).getEventName()).isEqualTo("AssetCreated");
        NamespaceReadWriteSet ns = rwset(fromPeer1).getNamespaces(0);
        assertThat(ns.getNamespace()).isEqualTo(ASSETS);
        assertThat(ns.getReads(0).hasVersion()).isFalse(); // read as absent
        assertThat(ns.getWritesCount()).isEqualTo(1);
        long height = peer1.ledger.height();
        assertThat(peer1.ledger.get(ASSETS, ns.getWrites(0).getKey())).isEmpty(); // endorsement commits nothing

        assertThat(commit(TestClient.transaction(create, List.of(fromPeer1, fromPeer2)))).containsExactly(TxValidationCode.VALID);
        assertThat(peer1.ledger.height()).isEqualTo(height + 1);
        assertThat(owner(evaluate(fixture.client2, ASSETS, "ReadAsset", "e2e-1"))).isEqualTo("client1@Org1");

        // client2 does not own it: the contract refuses, nothing is endorsed
        failed(peer1.endorser.endorse(TestClient.invoke(fixture.client2, ASSETS, "TransferAsset", "e2e-1", "client2@Org2").signed()),
                ContractFailure.CONTRACT_ERROR, "NOT_OWNER");
        assertThat(submit(fixture.client1, ASSETS, "TransferAsset", "e2e-1", "client2@Org2")).isEqualTo(TxValidationCode.VALID);
        assertThat(owner(evaluate(fixture.client1, ASSETS, "ReadAsset", "e2e-1"))).isEqualTo("client2@Org2");
        assertThat(owner(peer2.ledger.get(ASSETS, io.charter.contract.CompositeKey.of("asset", "e2e-1").toKey())
                .map(v -> new String(v.value(), StandardCharsets.UTF_8)).orElseThrow())).isEqualTo("client2@Org2");

        List<?> owned = (List<?>) Json.parseObject(evaluate(fixture.client2, ASSETS, "QueryAssetsByOwner", "client2@Org2", "10", ""))
                .get("assets");
        assertThat(owned.stream().map(a -> (Object) ((Map<?, ?>) a).get("id")).toList()).contains((Object) "e2e-1");
        List<?> history = (List<?>) Json.parse(evaluate(fixture.client2, ASSETS, "GetAssetHistory", "e2e-1"));
        assertThat(history).hasSize(2);
        assertThat(submit(fixture.client2, ASSETS, "DeleteAsset", "e2e-1")).isEqualTo(TxValidationCode.VALID);
        failed(peer1.endorser.endorse(TestClient.invoke(fixture.client2, ASSETS, "ReadAsset", "e2e-1").signed()),
                ContractFailure.CONTRACT_ERROR, "ASSET_NOT_FOUND");
    }

    @Test
    void endorsementPolicyAndOverTwoOrganizations() {
        Proposed create = TestClient.invoke(fixture.client1, ASSETS, "CreateAsset", "and-1", "red", "1", "", "1");
        ProposalResponse onlyOrg1 = endorsed(peer1, create);
        assertThat(commit(TestClient.transaction(create, List.of(onlyOrg1)))).containsExactly(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(peer1.ledger.get(ASSETS, io.charter.contract.CompositeKey.of("asset", "and-1").toKey())).isEmpty();

        Proposed again = TestClient.invoke(fixture.client1, ASSETS, "CreateAsset", "and-1", "red", "1", "", "1");
        assertThat(commit(TestClient.transaction(again, List.of(endorsed(peer1, again), endorsed(peer2, again)))))
                .containsExactly(TxValidationCode.VALID);
        assertThat(peer1.ledger.get(ASSETS, io.charter.contract.CompositeKey.of("asset", "and-1").toKey())).isPresent();
    }

    @Test
    void concurrentTransfersConflictAndRangeReadsSeePhantoms() {
        assertThat(submit(fixture.client1, ASSETS, "CreateAsset", "mvcc-1", "red", "1", "", "1")).isEqualTo(TxValidationCode.VALID);
        Proposed toBob = TestClient.invoke(fixture.client1, ASSETS, "TransferAsset", "mvcc-1", "bob@Org2");
        Proposed toCarol = TestClient.invoke(fixture.client1, ASSETS, "TransferAsset", "mvcc-1", "carol@Org2");
        ByteString first = TestClient.transaction(toBob, List.of(endorsed(peer1, toBob), endorsed(peer2, toBob)));
        ByteString second = TestClient.transaction(toCarol, List.of(endorsed(peer1, toCarol), endorsed(peer2, toCarol)));
        assertThat(commit(first, second)).containsExactly(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT);
        assertThat(peer1.ledger.conflict(toCarol.txId())).isPresent();

        // A range read (GetAllAssets) endorsed before another asset is created fails as a phantom read.
        Proposed list = TestClient.invoke(fixture.client1, ASSETS, "GetAllAssets", "1000", "");
        ByteString listing = TestClient.transaction(list, List.of(endorsed(peer1, list), endorsed(peer2, list)));
        assertThat(submit(fixture.client1, ASSETS, "CreateAsset", "mvcc-2", "red", "1", "", "1")).isEqualTo(TxValidationCode.VALID);
        assertThat(commit(listing)).containsExactly(TxValidationCode.PHANTOM_READ_CONFLICT);
    }

    @Test
    void theSimulatorReadsItsOwnWritesAndRecordsWhatTheValidatorReplays() {
        assertThat(submit(fixture.client1, "rogue", "Put", "sim/a", "1")).isEqualTo(TxValidationCode.VALID);
        assertThat(submit(fixture.client1, "rogue", "Put", "sim/b", "2")).isEqualTo(TxValidationCode.VALID);
        assertThat(submit(fixture.client1, "rogue", "Put", "sim/c", "3")).isEqualTo(TxValidationCode.VALID);
        var info = new io.charter.peer.simulation.TransactionInfo("t", Instant.EPOCH, "f",
                new io.charter.contract.ClientIdentity("Org1", "client", "c", Map.of(), new byte[0]), Map.of());
        var simulator = new io.charter.peer.simulation.TransactionSimulator(peer1.ledger, "rogue", info);
        assertThat(simulator.getString("sim/a")).contains("1");
        simulator.putString("sim/a", "changed");
        simulator.delete("sim/b");
        assertThat(simulator.getString("sim/a")).contains("changed");
        assertThat(simulator.get("sim/b")).isEmpty();
        assertThat(simulator.get("sim/none")).isEmpty();
        var page1 = simulator.range("sim/", "sim0", 2, null);
        assertThat(page1.entries()).extracting(io.charter.contract.KeyValue::key).containsExactly("sim/a", "sim/b");
        var page2 = simulator.range("sim/", "sim0", 2, page1.bookmark().orElseThrow());
        assertThat(page2.entries()).extracting(io.charter.contract.KeyValue::key).containsExactly("sim/c");
        simulator.setEvent("done", "x");
        var results = simulator.results();
        NamespaceReadWriteSet ns = results.rwset().getNamespaces(0);
        assertThat(ns.getReadsList()).extracting(io.charter.protocol.KeyRead::getKey).containsExactly("sim/a", "sim/none");
        assertThat(ns.getReads(0).hasVersion()).isTrue();
        assertThat(ns.getReads(1).hasVersion()).isFalse();
        assertThat(ns.getWritesList()).extracting(io.charter.protocol.KeyWrite::getKey).containsExactly("sim/a", "sim/b");
        assertThat(ns.getWrites(1).getIsDelete()).isTrue();
        assertThat(ns.getRangeQueries(0).getItrExhausted()).isFalse();
        assertThat(ns.getRangeQueries(0).getStartKey()).isEqualTo("sim/");
        assertThat(ns.getRangeQueries(1).getStartKey()).isEqualTo("sim/b\u0001");
        assertThat(ns.getRangeQueries(1).getItrExhausted()).isTrue();
        assertThat(results.events().getEvents(0).getContractName()).isEqualTo("rogue");
        simulator.close();
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(io.charter.contract.ContractException.class,
                () -> simulator.get("sim/a")).code()).isEqualTo("CONTEXT_CLOSED");
        assertThat(peer1.ledger.get("rogue", "sim/b")).isPresent(); // nothing committed
    }

    // ---- bad input: refused with a distinct reason, nothing written ----

    @Test
    void badProposalsAreRefusedWithDistinctReasonsAndNothingIsWritten() {
        long height = peer1.ledger.height();

        refused(peer1.endorser.endorse(ByteString.copyFromUtf8("not a proposal")), RefusalReason.MALFORMED_PROPOSAL);
        refused(peer1.endorser.endorse(SignedProposal.newBuilder().setProposalBytes(ByteString.copyFrom(new byte[] {1, 2, 3})).build()),
                RefusalReason.MALFORMED_PROPOSAL);

        Proposed valid = TestClient.invoke(fixture.client1, ASSETS, "CreateAsset", "bad-1", "red", "1", "", "1");
        SignedProposal forged = valid.signed().toBuilder()
                .setSignature(ByteString.copyFrom(io.charter.common.crypto.EcdsaSigner.of(fixture.client2.keys())
                        .sign(valid.signed().getProposalBytes().toByteArray())))
                .build();
        refused(peer1.endorser.endorse(forged), RefusalReason.BAD_SIGNATURE);

        Proposed badTxId = TestClient.sign(fixture.client1, valid.header().toBuilder().setTxId("00".repeat(32)).build(),
                io.charter.protocol.ContractInvocation.newBuilder().setContractName(ASSETS).setFunction("ReadAsset").addArgs(ByteString.copyFromUtf8("x")).build());
        refused(peer1.endorser.endorse(badTxId.signed()), RefusalReason.BAD_TXID);

        refused(peer1.endorser.endorse(TestClient.propose(fixture.client1, HeaderType.ENDORSER_TRANSACTION, "elsewhere", Instant.now(),
                ASSETS, "ReadAsset", List.of()).signed()), RefusalReason.UNKNOWN_CHANNEL);
        refused(peer1.endorser.endorse(TestClient.propose(fixture.client1, HeaderType.ENDORSER_TRANSACTION, ChannelFixture.CHANNEL,
                Instant.now().minus(Duration.ofHours(1)), ASSETS, "ReadAsset", List.of()).signed()), RefusalReason.STALE_PROPOSAL);
        refused(peer1.endorser.endorse(TestClient.propose(fixture.client1, HeaderType.CONFIG_UPDATE, ChannelFixture.CHANNEL,
                Instant.now(), ASSETS, "ReadAsset", List.of()).signed()), RefusalReason.MALFORMED_PROPOSAL);

        refused(endorse(peer1, TestClient.invoke(fixture.client1, "no-such-contract", "Anything")), RefusalReason.UNDEFINED_CONTRACT);
        refused(endorse(peer1, TestClient.invoke(fixture.client1, "_lifecycle", "define")), RefusalReason.UNDEFINED_CONTRACT);

        TestPki.Credential ordererMember = fixture.pki.organization("OrdererOrg").enroll("ordering-client", Role.CLIENT);
        refused(endorse(peer1, TestClient.invoke(ordererMember, ASSETS, "ReadAsset", "x")), RefusalReason.CREATOR_NOT_WRITER);
        TestPki.Credential stranger = TestPki.create("Org1").organization("Org1").enroll("stranger", Role.CLIENT);
        refused(endorse(peer1, TestClient.invoke(stranger, ASSETS, "ReadAsset", "x")), RefusalReason.CREATOR_INVALID);

        // a contract approval or commit from a client, not an admin
        ContractDefinition echo = ContractDefinition.newBuilder().setName("echo").setVersion("1").setSequence(1).build();
        refused(endorse(peer1, TestClient.approve(fixture.client1, echo, "Org1")), RefusalReason.CREATOR_NOT_ADMIN);
        refused(endorse(peer1, TestClient.commit(fixture.client1, echo)), RefusalReason.CREATOR_NOT_ADMIN);

        assertThat(peer1.ledger.height()).isEqualTo(height);
        assertThat(peer1.ledger.get(ASSETS, io.charter.contract.CompositeKey.of("asset", "bad-1").toKey())).isEmpty();
    }

    @Test
    void aRevokedCreatorIsRefused() {
        TestPki.Credential revoked = fixture.pki.organization("Org1").enroll("revoked-client", Role.CLIENT);
        endorsed(peer1, TestClient.invoke(revoked, ASSETS, "AssetExists", "x"));
        peer1.channel.registry().updateCrls("Org1", List.of(fixture.crl("Org1", revoked)));
        try {
            refused(endorse(peer1, TestClient.invoke(revoked, ASSETS, "AssetExists", "x")), RefusalReason.CREATOR_REVOKED);
            endorsed(peer1, TestClient.invoke(fixture.client1, ASSETS, "AssetExists", "x"));
        } finally {
            peer1.channel.registry().updateCrls("Org1", List.of());
        }
    }

    @Test
    void aReplayedProposalIsRefused() {
        Proposed proposed = TestClient.invoke(fixture.client1, ASSETS, "CreateAsset", "replay-1", "red", "1", "", "1");
        ProposalResponse response = endorsed(peer1, proposed);
        // the same proposal again, to the same peer: seen within the window
        refused(endorse(peer1, proposed), RefusalReason.REPLAYED_PROPOSAL);
        // committed (invalid here: one endorsement), its tx id is in the ledger: peer2, which never saw it, refuses it too
        assertThat(commit(TestClient.transaction(proposed, List.of(response)))).containsExactly(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        EndorsementResult.Refused refused = refused(endorse(peer2, proposed), RefusalReason.REPLAYED_PROPOSAL);
        assertThat(refused.detail()).contains("already in block");
    }

    @Test
    void aContractDefinedButNotInstalledIsRefused() {
        ContractDefinition definition = ContractDefinition.newBuilder().setName("missing").setVersion("1").setSequence(1)
                .setPackageId("missing:" + "ab".repeat(32)).build();
        assertThat(defineOnBothPeers(definition)).containsExactly(TxValidationCode.VALID);
        refused(endorse(peer1, TestClient.invoke(fixture.client1, "missing", "Anything")), RefusalReason.CONTRACT_NOT_INSTALLED);
    }

    // ---- misbehaving contracts: a clear error, and the peer goes on ----

    @Test
    void misbehavingContractsFailCleanlyAndThePeerGoesOn() throws Exception {
        long height = peer1.ledger.height();
        EndorsementResult.ContractFailed thrown = failed(endorse(peer1, TestClient.invoke(fixture.client1, "rogue", "Throw")),
                ContractFailure.CONTRACT_ERROR, "NOPE");
        assertThat(thrown.response().getResponse().getMessage()).isEqualTo("CONTRACT_ERROR NOPE: the contract said no");
        failed(endorse(peer1, TestClient.invoke(fixture.client1, "rogue", "Crash")), ContractFailure.CONTRACT_ERROR, "UNEXPECTED_ERROR");
        failed(endorse(peer1, TestClient.invoke(fixture.client1, "rogue", "Spin")), ContractFailure.CONTRACT_TIMEOUT, "CONTRACT_TIMEOUT");
        failed(endorse(peer1, TestClient.invoke(fixture.client1, "rogue", "NoSuchFunction")), ContractFailure.UNKNOWN_FUNCTION, "UNKNOWN_FUNCTION");
        failed(endorse(peer1, TestClient.invoke(fixture.client1, "rogue", "Echo")), ContractFailure.BAD_ARGUMENTS, "BAD_ARGUMENTS");
        failed(endorse(peer1, TestClient.invoke(fixture.client1, "rogue", "SneakyWrite")), ContractFailure.CONTRACT_ERROR, "EVALUATE_WRITES");

        // Escaping its namespace: the peer's classes are not visible, a NUL key is refused, and keys that
        // look like other namespaces' are just keys of its own namespace.
        assertThat(failed(endorse(peer1, TestClient.invoke(fixture.client1, "rogue", "ReachPeer")), ContractFailure.CONTRACT_ERROR,
                "UNEXPECTED_ERROR").message()).startsWith("java.lang.ClassNotFoundException");
        failed(endorse(peer1, TestClient.invoke(fixture.client1, "rogue", "WriteNul")), ContractFailure.CONTRACT_ERROR, "INVALID_KEY");
        Proposed foreign = TestClient.invoke(fixture.client1, "rogue", "WriteForeignLookingKeys");
        ProposalResponse foreign1 = endorsed(peer1, foreign);
        assertThat(rwset(foreign1).getNamespacesList()).extracting(NamespaceReadWriteSet::getNamespace).containsExactly("rogue");
        assertThat(peer1.ledger.height()).isEqualTo(height);
        assertThat(commit(TestClient.transaction(foreign, List.of(foreign1, endorsed(peer2, foreign))))).containsExactly(TxValidationCode.VALID);
        assertThat(peer1.ledger.get("rogue", "_lifecycle/definitions/asset-transfer")).isPresent();
        assertThat(peer1.definitions.definition(ASSETS).orElseThrow().packageId()).isEqualTo(assetPackage);
        assertThat(peer1.ledger.get(ASSETS, "../asset-transfer/a1")).isEmpty();

        // the peer keeps endorsing, the rogue contract included
        assertThat(evaluate(fixture.client1, "rogue", "Echo", "still here")).isEqualTo("still here");
        assertThat(evaluate(fixture.client1, ASSETS, "AssetExists", "nothing")).isEqualTo("false");
    }

    // ---- the lifecycle ----

    @Test
    void lifecycleDefinitionsNeedEnoughApprovalsAndIncreasingSequences() {
        ContractDefinition first = ContractDefinition.newBuilder().setName("echo").setVersion("1").setSequence(1).build();
        refused(endorse(peer1, TestClient.invoke(fixture.client1, "echo", "Say", "hi")), RefusalReason.UNDEFINED_CONTRACT);

        assertThat(defineOnBothPeers(first)).containsExactly(TxValidationCode.VALID);
        assertThat(peer2.definitions.definition("echo").orElseThrow().sequence()).isEqualTo(1);
        assertThat(peer2.definitions.definition("echo").orElseThrow().definition().getApprovedByList()).containsExactly("Org1", "Org2");
        assertThat(submit(fixture.client2, "echo", "Say", "hello")).isEqualTo(TxValidationCode.VALID);

        // the sequence must be the committed one + 1: endorsers refuse approving 1 again and 3
        for (long sequence : new long[] {1, 3}) {
            failed(endorse(peer1, TestClient.approve(admin1, first.toBuilder().setSequence(sequence).build(), "Org1")),
                    ContractFailure.CONTRACT_ERROR, "SEQUENCE_MISMATCH");
        }
        // a redefinition with a new policy, approved by both and committed: the new policy is in force
        ContractDefinition onlyOrg1 = first.toBuilder().setVersion("2").setSequence(2).setEndorsementPolicy("OR('Org1.peer')").build();
        assertThat(defineOnBothPeers(onlyOrg1)).containsExactly(TxValidationCode.VALID);
        assertThat(Approvals.approvable(peer1.definitions.definition("echo").orElseThrow().definition())).isEqualTo(onlyOrg1);
        Proposed say = TestClient.invoke(fixture.client1, "echo", "Say", "org1 alone");
        assertThat(commit(TestClient.transaction(say, List.of(endorsed(peer1, say))))).containsExactly(TxValidationCode.VALID);
    }

    @Test
    void aBlockCheckedAheadAgainstOlderDefinitionsIsCheckedAgain() {
        // Block n redefines rogue as OR('Org1.peer'); block n+1 carries a rogue transaction endorsed by Org1 only.
        ContractDefinition redefinition = ContractDefinition.newBuilder().setName("rogue").setVersion("2")
                .setSequence(peer1.definitions.definition("rogue").orElseThrow().sequence() + 1)
                .setEndorsementPolicy("OR('Org1.peer')").build();
        Proposed approve1 = TestClient.approve(admin1, redefinition, "Org1");
        Proposed approve2 = TestClient.approve(admin2, redefinition, "Org2");
        assertThat(commit(TestClient.transaction(approve1, List.of(endorsed(peer1, approve1))),
                TestClient.transaction(approve2, List.of(endorsed(peer2, approve2)))))
                .containsExactly(TxValidationCode.VALID, TxValidationCode.VALID);
        Proposed redefine = TestClient.commit(admin1, redefinition);
        var blockN = fixture.block(peer1.ledger.lastHeader().orElseThrow(),
                List.of(TestClient.transaction(redefine, List.of(endorsed(peer1, redefine), endorsed(peer2, redefine)))));
        Proposed put = TestClient.invoke(fixture.client1, "rogue", "Put", "ahead", "1");
        var blockN1 = fixture.block(blockN.getHeader(), List.of(TestClient.transaction(put, List.of(endorsed(peer1, put)))));

        // the validator checks block n+1 while block n is not committed yet (as the commit pipeline does)
        var ahead = peer1.validator.prevalidate(blockN1);
        assertThat(ahead.transactions().getFirst().code()).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(peer1.committer.commit(blockN)).isInstanceOf(CommitResult.Committed.class);
        assertThat(peer1.committer.commit(ahead)).isInstanceOfSatisfying(CommitResult.Committed.class,
                committed -> assertThat(committed.codes()).containsExactly(TxValidationCode.VALID));
        // peer2, without the pipelining, decides the same
        peer2.committer.commit(blockN);
        assertThat(peer2.committer.commit(blockN1)).isInstanceOfSatisfying(CommitResult.Committed.class,
                committed -> assertThat(committed.codes()).containsExactly(TxValidationCode.VALID));
    }

    @Test
    void malformedDefinitionsAreNotEndorsed() {
        failed(endorse(peer1, TestClient.approve(admin1, ContractDefinition.newBuilder().setName("echo2").setVersion("1")
                .setSequence(1).setEndorsementPolicy("AND(").build(), "Org1")), ContractFailure.CONTRACT_ERROR, "ENDORSEMENT_POLICY_UNPARSABLE");
        failed(endorse(peer1, TestClient.approve(admin1, ContractDefinition.newBuilder().setName("_sneaky").setVersion("1")
                .setSequence(1).build(), "Org1")), ContractFailure.CONTRACT_ERROR, "INVALID_NAME");
        failed(endorse(peer1, TestClient.commit(admin1, ContractDefinition.newBuilder().setName("echo2").setVersion("1")
                .setSequence(1).addApprovedBy("Org1").build())), ContractFailure.CONTRACT_ERROR, "APPROVED_BY_NOT_EMPTY");
    }
}
