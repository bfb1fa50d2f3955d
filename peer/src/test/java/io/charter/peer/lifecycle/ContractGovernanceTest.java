package io.charter.peer.lifecycle;

import static io.charter.peer.testing.ChannelFixture.ns;
import static io.charter.peer.testing.ChannelFixture.readAbsent;
import static io.charter.peer.testing.ChannelFixture.rwset;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.lifecycle.DefinitionRules;
import io.charter.common.pki.Role;
import io.charter.common.testing.RequiresDocker;
import io.charter.common.testing.TestPki;
import io.charter.peer.contract.ContractRuntimeSettings;
import io.charter.peer.endorsement.EndorsementResult;
import io.charter.peer.endorsement.RefusalReason;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.ContractPeer;
import io.charter.peer.testing.PeerDatabases;
import io.charter.peer.testing.TestClient;
import io.charter.peer.testing.TestClient.Proposed;
import io.charter.peer.testing.TestContracts;
import io.charter.peer.validation.CommitResult;
import io.charter.protocol.ApprovalReadiness;
import io.charter.protocol.CollectionConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.OrganizationApproval;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.SerializedIdentity;
import io.charter.protocol.TxValidationCode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contract governance as Fabric 2.x on a channel of two application organizations (Org1, Org2) and an ordering
 * organization that runs the consenter (so LifecycleEndorsement, MAJORITY Endorsement by default, needs both Org1
 * and Org2): each organization's admin approves a definition for its own organization, and a commit is valid only
 * when the committed approvals satisfy LifecycleEndorsement. Every refusal leaves the lifecycle's state as it was.
 */
@RequiresDocker
class ContractGovernanceTest {

    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    static Path dataDir;
    private static PeerDatabases databases;
    private static ChannelFixture fixture;
    private static ContractPeer peer1;
    private static ContractPeer peer2;
    private static TestPki.Credential admin1;
    private static TestPki.Credential admin2;

    @BeforeAll
    static void start() {
        databases = PeerDatabases.start();
        fixture = new ChannelFixture(config -> config.toBuilder().setOrderer(OrdererConfig.newBuilder()
                .addConsenters(Consenter.newBuilder().setIdentity(SerializedIdentity.newBuilder().setMspId("OrdererOrg")
                        .setCertificate(ByteString.copyFromUtf8("only its organization counts here")).build().toByteString())))
                .build());
        admin1 = fixture.pki.organization("Org1").enroll("admin1", Role.ADMIN);
        admin2 = fixture.pki.organization("Org2").enroll("admin2", Role.ADMIN);
        ContractRuntimeSettings runtime = ContractRuntimeSettings.DEFAULTS;
        peer1 = new ContractPeer(databases.dataSource(databases.createDatabase()), fixture, fixture.peer1, dataDir.resolve("p1"), runtime);
        peer2 = new ContractPeer(databases.dataSource(databases.createDatabase()), fixture, fixture.peer2, dataDir.resolve("p2"), runtime);
        byte[] echo = TestContracts.compile(Map.of("echo.Echo", """
                package echo;
                import io.charter.contract.*;
                @Contract(name = "echo")
                public class Echo {
                    @Transaction public String Say(Context ctx, String text) { ctx.putString("said", text); return text; }
                }
                """));
        byte[] say = TestContracts.compile(Map.of("say.Say", """
                package say;
                import io.charter.contract.*;
                @Contract(name = "say")
                public class Say {
                    @Transaction public String Say(Context ctx, String text) { ctx.putString("said", text); return text; }
                }
                """));
        for (ContractPeer peer : List.of(peer1, peer2)) {
            peer.store.install(echo);
            peer.store.install(say);
        }
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

    /** A definition of a contract name no other test uses. */
    private static ContractDefinition fresh() {
        return ContractDefinition.newBuilder().setName("gov-" + NAMES.incrementAndGet()).setVersion("1").setSequence(1)
                .setEndorsementPolicy("AND('Org1.peer', 'Org2.peer')").build();
    }

    private static EndorsementResult endorse(ContractPeer peer, Proposed proposed) {
        return peer.endorser.endorse(proposed.signed());
    }

    private static ProposalResponse endorsed(ContractPeer peer, Proposed proposed) {
        EndorsementResult result = endorse(peer, proposed);
        assertThat(result).as("%s", result).isInstanceOf(EndorsementResult.Endorsed.class);
        return result.response();
    }

    /** Orders the envelopes into the next block and commits it on both peers. */
    private static List<TxValidationCode> commit(ByteString... envelopes) {
        var block = fixture.block(peer1.ledger.lastHeader().orElseThrow(), List.of(envelopes));
        CommitResult first = peer1.committer.commit(block);
        CommitResult second = peer2.committer.commit(block);
        assertThat(first).isInstanceOf(CommitResult.Committed.class);
        assertThat(second).isEqualTo(first);
        return ((CommitResult.Committed) first).codes();
    }

    private static TxValidationCode approve(TestPki.Credential admin, ContractPeer peer, String mspId, ContractDefinition definition) {
        Proposed approval = TestClient.approve(admin, definition, mspId);
        return commit(TestClient.transaction(approval, List.of(endorsed(peer, approval)))).getFirst();
    }

    private static Optional<ContractDefinition> lifecycleValue(ContractPeer peer, String key) {
        return peer.ledger.get(DefinitionRules.NAMESPACE, key).map(value -> {
            try {
                return ContractDefinition.parseFrom(value.value());
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        });
    }

    private static ApprovalReadiness readiness(TestPki.Credential creator, ContractDefinition definition) throws Exception {
        ProposalResponse response = endorsed(peer1, TestClient.readiness(creator, definition));
        return ApprovalReadiness.parseFrom(response.getResponse().getPayload());
    }

    private static EndorsementResult.Refused refused(EndorsementResult result, RefusalReason reason) {
        assertThat(result).as("%s", result).isInstanceOfSatisfying(EndorsementResult.Refused.class,
                refused -> assertThat(refused.reason()).isEqualTo(reason));
        return (EndorsementResult.Refused) result;
    }

    private static EndorsementResult.ContractFailed failed(EndorsementResult result, String code) {
        assertThat(result).as("%s", result).isInstanceOfSatisfying(EndorsementResult.ContractFailed.class,
                failed -> assertThat(failed.code()).isEqualTo(code));
        return (EndorsementResult.ContractFailed) result;
    }

    // ---- approvals ----

    @Test
    void anAdminApprovesForItsOwnOrganizationAndTheApprovalRecordsExactlyTheDefinition() {
        ContractDefinition definition = fresh();

        assertThat(approve(admin1, peer1, "Org1", definition)).isEqualTo(TxValidationCode.VALID);

        assertThat(lifecycleValue(peer2, Lifecycle.approvalKey(definition.getName(), "Org1"))).contains(definition);
        assertThat(lifecycleValue(peer2, Lifecycle.approvalKey(definition.getName(), "Org2"))).isEmpty();
        assertThat(peer2.definitions.definition(definition.getName())).isEmpty();
    }

    @Test
    void org1sAdminCannotApproveForOrg2AndNothingIsWritten() {
        ContractDefinition definition = fresh();
        long height = peer1.ledger.height();

        // an honest peer refuses to endorse it
        EndorsementResult.Refused refused = refused(endorse(peer2, TestClient.approve(admin1, definition, "Org2")),
                RefusalReason.APPROVAL_NOT_OWN_ORGANIZATION);
        assertThat(refused.detail()).contains("Org1").contains("Org2");
        assertThat(peer1.ledger.height()).isEqualTo(height);

        // a transaction built without honest peers (Org2's peer key signing Org2's approval, created by Org1's admin)
        Proposed forged = TestClient.approve(admin1, definition, "Org2");
        String key = Lifecycle.approvalKey(definition.getName(), "Org2");
        ByteString envelope = TestClient.forged(forged, rwset(ns(DefinitionRules.NAMESPACE)
                .addReads(readAbsent(Lifecycle.key(definition.getName())))
                .addWrites(ChannelFixture.write(key, definition.toByteString()))), fixture.peer2);

        assertThat(commit(envelope)).containsExactly(TxValidationCode.APPROVAL_NOT_OWN_ORGANIZATION);
        assertThat(peer1.ledger.height()).isEqualTo(height + 1);
        assertThat(lifecycleValue(peer1, key)).isEmpty();
        assertThat(lifecycleValue(peer2, key)).isEmpty();
    }

    @Test
    void anApprovalNeedsThePeerOfTheApprovingOrganization() {
        ContractDefinition definition = fresh();
        Proposed approval = TestClient.approve(admin1, definition, "Org1");

        assertThat(commit(TestClient.transaction(approval, List.of(endorsed(peer2, approval)))))
                .containsExactly(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(lifecycleValue(peer1, Lifecycle.approvalKey(definition.getName(), "Org1"))).isEmpty();
    }

    @Test
    void anApprovalForAnotherSequenceThanTheNextIsRefused() {
        ContractDefinition definition = fresh().toBuilder().setSequence(2).build();

        failed(endorse(peer1, TestClient.approve(admin1, definition, "Org1")), "SEQUENCE_MISMATCH");
        // and in a block, endorsed by peers that skipped the check
        Proposed forged = TestClient.approve(admin1, definition, "Org1");
        String key = Lifecycle.approvalKey(definition.getName(), "Org1");
        assertThat(commit(TestClient.forged(forged, rwset(ns(DefinitionRules.NAMESPACE)
                .addReads(readAbsent(Lifecycle.key(definition.getName())))
                .addWrites(ChannelFixture.write(key, definition.toByteString()))), fixture.peer1)))
                .containsExactly(TxValidationCode.SEQUENCE_MISMATCH);
        assertThat(lifecycleValue(peer1, key)).isEmpty();
    }

    // ---- readiness ----

    @Test
    void readinessShowsWhoApprovedExactlyThisDefinition() throws Exception {
        ContractDefinition definition = fresh();
        assertThat(approve(admin1, peer1, "Org1", definition)).isEqualTo(TxValidationCode.VALID);
        // Org2 approves the same name and sequence with another endorsement policy
        assertThat(approve(admin2, peer2, "Org2", definition.toBuilder().setEndorsementPolicy("OR('Org2.peer')").build()))
                .isEqualTo(TxValidationCode.VALID);
        long height = peer1.ledger.height();

        ApprovalReadiness readiness = readiness(fixture.client1, definition);

        assertThat(readiness.getReady()).isFalse();
        assertThat(readiness.getLifecycleEndorsement()).isEqualTo("MAJORITY Endorsement");
        assertThat(readiness.getNextSequence()).isEqualTo(1);
        assertThat(readiness.getOrganizationsList()).extracting(OrganizationApproval::getMspId).containsExactly("Org1", "Org2");
        assertThat(readiness.getOrganizations(0).getApproved()).isTrue();
        assertThat(readiness.getOrganizations(1).getApproved()).isFalse();
        assertThat(readiness.getOrganizations(1).getDetail()).contains("endorsement policy 'OR('Org2.peer')'");
        // the other definition is the one Org2 approved
        ApprovalReadiness other = readiness(fixture.client1, definition.toBuilder().setEndorsementPolicy("OR('Org2.peer')").build());
        assertThat(other.getOrganizationsList()).extracting(OrganizationApproval::getApproved).containsExactly(false, true);
        // a query: nothing committed
        assertThat(peer1.ledger.height()).isEqualTo(height);
    }

    @Test
    void aReadinessQuerySubmittedAsATransactionIsInvalid() {
        ContractDefinition definition = fresh();
        Proposed query = TestClient.readiness(fixture.client1, definition);

        assertThat(commit(TestClient.transaction(query, List.of(endorsed(peer1, query), endorsed(peer2, query)))))
                .containsExactly(TxValidationCode.BAD_CONTRACT_DEFINITION);
    }

    // ---- commits ----

    @Test
    void aCommitWithOnlyOrg1sApprovalIsRefusedNamingOrg2() {
        ContractDefinition definition = fresh();
        assertThat(approve(admin1, peer1, "Org1", definition)).isEqualTo(TxValidationCode.VALID);
        Proposed commit = TestClient.commit(admin1, definition);

        EndorsementResult.ContractFailed failed = failed(endorse(peer1, commit), "APPROVALS_INSUFFICIENT");
        assertThat(failed.message()).contains("missing the approval of [Org2]");

        // the same commit in a block, endorsed by peers that skipped the check (recording Org1 as approver)
        long height = peer1.ledger.height();
        ContractDefinition written = definition.toBuilder().addApprovedBy("Org1").build();
        ByteString envelope = TestClient.forged(TestClient.commit(admin1, definition), rwset(ns(DefinitionRules.NAMESPACE)
                .addReads(readAbsent(Lifecycle.key(definition.getName())))
                .addWrites(ChannelFixture.write(Lifecycle.key(definition.getName()), written.toByteString()))),
                fixture.peer1, fixture.peer2);
        assertThat(commit(envelope)).containsExactly(TxValidationCode.APPROVALS_INSUFFICIENT);
        assertThat(peer1.ledger.height()).isEqualTo(height + 1);
        assertThat(lifecycleValue(peer1, Lifecycle.key(definition.getName()))).isEmpty();
        assertThat(peer1.definitions.definition(definition.getName())).isEmpty();
    }

    @Test
    void aCommitAfterBothApproveSucceedsAndRecordsTheApprovers() {
        ContractDefinition definition = fresh();
        assertThat(approve(admin1, peer1, "Org1", definition)).isEqualTo(TxValidationCode.VALID);
        assertThat(approve(admin2, peer2, "Org2", definition)).isEqualTo(TxValidationCode.VALID);
        Proposed commit = TestClient.commit(admin2, definition);

        assertThat(commit(TestClient.transaction(commit, List.of(endorsed(peer1, commit), endorsed(peer2, commit)))))
                .containsExactly(TxValidationCode.VALID);

        for (ContractPeer peer : List.of(peer1, peer2)) {
            DefinedContract defined = peer.definitions.definition(definition.getName()).orElseThrow();
            assertThat(defined.definition().getApprovedByList()).containsExactly("Org1", "Org2");
            assertThat(Approvals.approvable(defined.definition())).isEqualTo(definition);
        }
    }

    @Test
    void aCommitThatRecordsOtherApproversThanTheCommittedOnesIsRefused() {
        ContractDefinition definition = fresh();
        assertThat(approve(admin1, peer1, "Org1", definition)).isEqualTo(TxValidationCode.VALID);
        assertThat(approve(admin2, peer2, "Org2", definition)).isEqualTo(TxValidationCode.VALID);
        ContractDefinition written = definition.toBuilder().addApprovedBy("Org1").build();

        assertThat(commit(TestClient.forged(TestClient.commit(admin1, definition), rwset(ns(DefinitionRules.NAMESPACE)
                .addReads(readAbsent(Lifecycle.key(definition.getName())))
                .addWrites(ChannelFixture.write(Lifecycle.key(definition.getName()), written.toByteString()))),
                fixture.peer1, fixture.peer2))).containsExactly(TxValidationCode.APPROVALS_INSUFFICIENT);
        assertThat(peer1.definitions.definition(definition.getName())).isEmpty();
    }

    @Test
    void theNextDefinitionNeedsNewApprovalsAndTheNextSequence() {
        ContractDefinition first = fresh();
        for (var admin : List.of(Map.entry("Org1", admin1), Map.entry("Org2", admin2))) {
            assertThat(approve(admin.getValue(), admin.getKey().equals("Org1") ? peer1 : peer2, admin.getKey(), first))
                    .isEqualTo(TxValidationCode.VALID);
        }
        Proposed commit = TestClient.commit(admin1, first);
        assertThat(commit(TestClient.transaction(commit, List.of(endorsed(peer1, commit), endorsed(peer2, commit)))))
                .containsExactly(TxValidationCode.VALID);

        // committing sequence 1 again is refused; sequence 2 without approvals of sequence 2 is refused
        failed(endorse(peer1, TestClient.commit(admin1, first)), "SEQUENCE_MISMATCH");
        ContractDefinition second = first.toBuilder().setSequence(2).setEndorsementPolicy("OR('Org1.peer')").build();
        assertThat(approve(admin1, peer1, "Org1", second)).isEqualTo(TxValidationCode.VALID);
        failed(endorse(peer1, TestClient.commit(admin1, second)), "APPROVALS_INSUFFICIENT");
        assertThat(peer1.definitions.definition(first.getName()).orElseThrow().sequence()).isEqualTo(1);
    }

    // ---- collections ----

    private static final CollectionConfig PRICES = CollectionConfig.newBuilder().setName("prices")
            .setMemberPolicy("OR('Org1.member', 'Org2.member')").setRequiredPeerCount(0).setMaxPeerCount(1)
            .setBlockToLive(100).setMemberOnlyRead(true).setMemberOnlyWrite(true)
            .setEndorsementPolicy("OR('Org1.peer', 'Org2.peer')").build();

    @Test
    void badCollectionDefinitionsAreRefusedWhenProposedWithTheirCodesAndNothingIsWritten() {
        ContractDefinition definition = fresh();
        Map<String, ContractDefinition> bad = new LinkedHashMap<>();
        bad.put("COLLECTION_UNKNOWN_ORGANIZATION", definition.toBuilder()
                .addCollections(PRICES.toBuilder().setMemberPolicy("OR('Org1.member', 'Org3.member')")).build());
        bad.put("COLLECTION_REQUIRED_ABOVE_MAX", definition.toBuilder()
                .addCollections(PRICES.toBuilder().setRequiredPeerCount(2).setMaxPeerCount(1)).build());
        bad.put("COLLECTION_POLICY_UNPARSABLE", definition.toBuilder()
                .addCollections(PRICES.toBuilder().setMemberPolicy("OR('Org1.member'")).build());
        bad.put("COLLECTION_DUPLICATE_NAME", definition.toBuilder().addCollections(PRICES).addCollections(PRICES).build());
        bad.put("COLLECTION_NAME_RESERVED", definition.toBuilder()
                .addCollections(PRICES.toBuilder().setName("_implicit_org_Org1")).build());
        long height = peer1.ledger.height();
        String approvalKey = Lifecycle.approvalKey(definition.getName(), "Org1");

        bad.forEach((code, wrong) -> {
            EndorsementResult.ContractFailed failed = failed(endorse(peer1, TestClient.approve(admin1, wrong, "Org1")), code);
            assertThat(failed.message()).as(code).contains("collection");
            failed(endorse(peer2, TestClient.commit(admin2, wrong)), code);
        });
        EndorsementResult.ContractFailed unknown = failed(endorse(peer1, TestClient.approve(admin1,
                bad.get("COLLECTION_UNKNOWN_ORGANIZATION"), "Org1")), "COLLECTION_UNKNOWN_ORGANIZATION");
        assertThat(unknown.message()).isEqualTo("collection 'prices' names [Org3], not application organizations of the"
                + " channel [Org1, Org2]");
        assertThat(peer1.ledger.height()).isEqualTo(height);
        assertThat(lifecycleValue(peer1, approvalKey)).isEmpty();

        // the same approval in a block, endorsed by a peer that skipped the check: invalid, nothing written
        ContractDefinition ordererMember = definition.toBuilder()
                .addCollections(PRICES.toBuilder().setMemberPolicy("OR('Org1.member', 'OrdererOrg.member')")).build();
        ByteString envelope = TestClient.forged(TestClient.approve(admin1, ordererMember, "Org1"),
                rwset(ns(DefinitionRules.NAMESPACE).addReads(readAbsent(Lifecycle.key(definition.getName())))
                        .addWrites(ChannelFixture.write(approvalKey, ordererMember.toByteString()))), fixture.peer1);
        assertThat(commit(envelope)).containsExactly(TxValidationCode.BAD_CONTRACT_DEFINITION);
        assertThat(peer1.ledger.height()).isEqualTo(height + 1);
        for (ContractPeer peer : List.of(peer1, peer2)) {
            assertThat(lifecycleValue(peer, approvalKey)).isEmpty();
            assertThat(peer.definitions.definition(definition.getName())).isEmpty();
        }
    }

    @Test
    void aDefinitionWithACollectionIsApprovedCommittedAndReadBackWithItsCollections() throws Exception {
        ContractDefinition definition = fresh().toBuilder().addCollections(PRICES)
                .addCollections(CollectionConfig.newBuilder().setName("org1-notes").setMemberPolicy("'Org1.member'")).build();
        assertThat(approve(admin1, peer1, "Org1", definition)).isEqualTo(TxValidationCode.VALID);
        // Org2 approves the definition without its collections first: not the same definition
        assertThat(approve(admin2, peer2, "Org2", definition.toBuilder().clearCollections().build()))
                .isEqualTo(TxValidationCode.VALID);
        ApprovalReadiness readiness = readiness(fixture.client1, definition);
        assertThat(readiness.getReady()).isFalse();
        assertThat(readiness.getOrganizations(1).getDetail()).isEqualTo("approved sequence 1 with another definition, collections []");
        failed(endorse(peer1, TestClient.commit(admin1, definition)), "APPROVALS_INSUFFICIENT");

        assertThat(approve(admin2, peer2, "Org2", definition)).isEqualTo(TxValidationCode.VALID);
        assertThat(readiness(fixture.client1, definition).getReady()).isTrue();
        Proposed commit = TestClient.commit(admin1, definition);
        assertThat(commit(TestClient.transaction(commit, List.of(endorsed(peer1, commit), endorsed(peer2, commit)))))
                .containsExactly(TxValidationCode.VALID);

        for (ContractPeer peer : List.of(peer1, peer2)) {
            ContractDefinition committed = peer.definitions.definition(definition.getName()).orElseThrow().definition();
            assertThat(committed.getCollectionsList()).isEqualTo(definition.getCollectionsList());
            assertThat(committed.getApprovedByList()).containsExactly("Org1", "Org2");
            assertThat(lifecycleValue(peer, Lifecycle.key(definition.getName())).orElseThrow().getCollectionsList())
                    .isEqualTo(definition.getCollectionsList());
        }
    }

    @Test
    void theNextDefinitionKeepsTheCommittedCollectionsAndTheirBlockToLive() {
        ContractDefinition first = fresh().toBuilder().addCollections(PRICES).build();
        assertThat(approve(admin1, peer1, "Org1", first)).isEqualTo(TxValidationCode.VALID);
        assertThat(approve(admin2, peer2, "Org2", first)).isEqualTo(TxValidationCode.VALID);
        Proposed commit = TestClient.commit(admin1, first);
        assertThat(commit(TestClient.transaction(commit, List.of(endorsed(peer1, commit), endorsed(peer2, commit)))))
                .containsExactly(TxValidationCode.VALID);
        long height = peer1.ledger.height();
        String approvalKey = Lifecycle.approvalKey(first.getName(), "Org1");

        ContractDefinition dropped = first.toBuilder().setSequence(2).clearCollections().build();
        EndorsementResult.ContractFailed removed = failed(endorse(peer1, TestClient.approve(admin1, dropped, "Org1")),
                "COLLECTION_REMOVED");
        assertThat(removed.message()).contains("collection 'prices'");
        failed(endorse(peer2, TestClient.commit(admin2, dropped)), "COLLECTION_REMOVED");
        ContractDefinition shorter = first.toBuilder().setSequence(2).clearCollections()
                .addCollections(PRICES.toBuilder().setBlockToLive(5)).build();
        failed(endorse(peer1, TestClient.approve(admin1, shorter, "Org1")), "COLLECTION_BLOCK_TO_LIVE_CHANGED");
        assertThat(peer1.ledger.height()).isEqualTo(height);

        // the same approval in a block, endorsed by a peer that skipped the check: invalid, nothing written
        ByteString envelope = TestClient.forged(TestClient.approve(admin1, dropped, "Org1"),
                rwset(ns(DefinitionRules.NAMESPACE).addReads(ChannelFixture.read(Lifecycle.key(first.getName()),
                                peer1.ledger.height() - 1, 0))
                        .addWrites(ChannelFixture.write(approvalKey, dropped.toByteString()))), fixture.peer1);
        assertThat(commit(envelope)).containsExactly(TxValidationCode.BAD_CONTRACT_DEFINITION);
        assertThat(lifecycleValue(peer1, approvalKey)).contains(first);

        // adding a collection and changing the other fields of one is a valid next definition
        ContractDefinition grown = first.toBuilder().setSequence(2).clearCollections()
                .addCollections(PRICES.toBuilder().setMaxPeerCount(3).setMemberOnlyRead(false))
                .addCollections(CollectionConfig.newBuilder().setName("terms").setMemberPolicy("'Org2.member'")).build();
        assertThat(approve(admin1, peer1, "Org1", grown)).isEqualTo(TxValidationCode.VALID);
        assertThat(lifecycleValue(peer2, approvalKey)).contains(grown);
    }

    @Test
    void aContractWithMajorityOrAllEndorsementIsInvocableWithTheTwoApplicationOrganizationsEndorsements() {
        // the channel has Org1, Org2 and OrdererOrg; counted over all three, ALL would need an OrdererOrg peer
        for (String policy : List.of("MAJORITY Endorsement", "ALL Endorsement")) {
            ContractDefinition definition = ContractDefinition.newBuilder().setName("say").setVersion(policy)
                    .setSequence(peer1.definitions.definition("say").map(DefinedContract::sequence).orElse(0L) + 1)
                    .setEndorsementPolicy(policy).build();
            assertThat(approve(admin1, peer1, "Org1", definition)).isEqualTo(TxValidationCode.VALID);
            assertThat(approve(admin2, peer2, "Org2", definition)).isEqualTo(TxValidationCode.VALID);
            Proposed commit = TestClient.commit(admin1, definition);
            assertThat(commit(TestClient.transaction(commit, List.of(endorsed(peer1, commit), endorsed(peer2, commit)))))
                    .containsExactly(TxValidationCode.VALID);

            Proposed say = TestClient.invoke(fixture.client1, "say", "Say", policy);
            assertThat(commit(TestClient.transaction(say, List.of(endorsed(peer1, say), endorsed(peer2, say)))))
                    .as(policy).containsExactly(TxValidationCode.VALID);
            Proposed alone = TestClient.invoke(fixture.client1, "say", "Say", policy + " alone");
            assertThat(commit(TestClient.transaction(alone, List.of(endorsed(peer1, alone)))))
                    .as(policy + ", Org1 alone").containsExactly(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        }
    }

    @Test
    void aClientCannotCommit() {
        refused(endorse(peer1, TestClient.commit(fixture.client1, fresh())), RefusalReason.CREATOR_NOT_ADMIN);
    }

    // ---- the retired single step ----

    @Test
    void peersNoLongerEndorseASingleStepDefinition() {
        long height = peer1.ledger.height();

        refused(endorse(peer1, TestClient.define(admin1, fresh())), RefusalReason.DEFINE_RETIRED);

        assertThat(peer1.ledger.height()).isEqualTo(height);
    }

    @Test
    void aSingleStepDefinitionAlreadyInABlockStaysValidAndItsContractInvocable() {
        // as peers before approvals endorsed it: both organizations' peers, sequence 1, no approvals
        ContractDefinition definition = ContractDefinition.newBuilder().setName("echo").setVersion("1").setSequence(1).build();
        Proposed define = TestClient.define(admin1, definition);
        ByteString envelope = TestClient.forged(define, rwset(ns(DefinitionRules.NAMESPACE)
                .addReads(readAbsent(Lifecycle.key("echo")))
                .addWrites(ChannelFixture.write(Lifecycle.key("echo"), definition.toByteString()))), fixture.peer1, fixture.peer2);

        assertThat(commit(envelope)).containsExactly(TxValidationCode.VALID);

        assertThat(peer2.definitions.definition("echo").orElseThrow().definition()).isEqualTo(definition);
        Proposed say = TestClient.invoke(fixture.client1, "echo", "Say", "still defined");
        assertThat(commit(TestClient.transaction(say, List.of(endorsed(peer1, say), endorsed(peer2, say)))))
                .containsExactly(TxValidationCode.VALID);
    }
}
