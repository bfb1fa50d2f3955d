package io.charter.peer.endorsement;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.identity.ValidationResult;
import io.charter.common.lifecycle.DefinitionRules;
import io.charter.common.pki.Role;
import io.charter.common.pki.Validity;
import io.charter.common.protocol.TransactionIds;
import io.charter.common.testing.TestPki;
import io.charter.peer.contract.ContractFailure;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.TestClient;
import io.charter.peer.validation.ChannelContext;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.CollectionConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.ContractInvocation;
import io.charter.protocol.HeaderType;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.Proposal;
import io.charter.protocol.SerializedIdentity;
import io.charter.protocol.SignedProposal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The endorser's checks that need no ledger, one refusal at a time: each bad proposal is refused with its own reason
 * and a detail that says what was wrong, and the proposals that pass carry on what the later steps read.
 */
class ProposalChecksTest {

    private static final Duration WINDOW = Duration.ofMinutes(15);
    private static final Instant NOW = Instant.now();

    private final ChannelFixture fixture = new ChannelFixture();
    private final TestPki.Credential admin1 = fixture.pki.organization("Org1").enroll("admin1", Role.ADMIN);
    private final ChannelContext context = ChannelContext.of(fixture.config(), Clock.systemUTC());
    private final ProposalChecks checks = checksOf("Org1");

    private static ProposalChecks checksOf(String ownMspId) {
        return new ProposalChecks(ownMspId, Clock.fixed(NOW, ZoneOffset.UTC), WINDOW, new EcdsaVerifier());
    }

    // ---- parse ----

    @Test
    void aProposalThatParsesPassesWithItsParts() {
        TestClient.Proposed proposed = invoke(fixture.client1, NOW);

        ProposalChecks.Parsed parsed = passed(checks.parse(proposed.signed()));

        assertThat(parsed.signed()).isEqualTo(proposed.signed());
        assertThat(parsed.proposal()).isEqualTo(proposed.proposal());
        assertThat(parsed.header()).isEqualTo(proposed.header());
        assertThat(parsed.invocation().getContractName()).isEqualTo(ChannelFixture.CONTRACT);
        assertThat(parsed.creator().getMspId()).isEqualTo("Org1");
        assertThat(parsed.definition()).isFalse();
        assertThat(passed(checks.parse(TestClient.readiness(fixture.client1, definition()).signed())).definition()).isTrue();
    }

    @Test
    void aSignedProposalWithoutProposalBytesIsMalformed() {
        assertRefused(checks.parse(SignedProposal.getDefaultInstance()), RefusalReason.MALFORMED_PROPOSAL,
                "carries no proposal");
    }

    @Test
    void proposalBytesThatDoNotParseAreMalformed() {
        SignedProposal garbage = SignedProposal.newBuilder().setProposalBytes(ByteString.copyFrom(new byte[] {(byte) 0xff}))
                .build();
        assertRefused(checks.parse(garbage), RefusalReason.MALFORMED_PROPOSAL, "does not parse");

        Proposal badHeader = Proposal.newBuilder().setHeader(ByteString.copyFrom(new byte[] {(byte) 0xff})).build();
        assertRefused(checks.parse(SignedProposal.newBuilder().setProposalBytes(badHeader.toByteString()).build()),
                RefusalReason.MALFORMED_PROPOSAL, "does not parse");
    }

    @Test
    void aHeaderTypeOtherThanTransactionOrDefinitionIsNotEndorsed() {
        TestClient.Proposed config = sign(fixture.client1, header(fixture.client1, NOW).setType(HeaderType.CONFIG),
                invocation());
        assertRefused(checks.parse(config.signed()), RefusalReason.MALFORMED_PROPOSAL, "header type CONFIG is not endorsed");
    }

    @Test
    void aCreatorWithoutOrganizationOrCertificateIsMalformed() {
        SerializedIdentity full = ChannelFixtureIdentity.of(fixture.client1);
        for (SerializedIdentity partial : List.of(full.toBuilder().clearMspId().build(),
                full.toBuilder().clearCertificate().build())) {
            PayloadHeader.Builder header = header(fixture.client1, NOW).setCreator(partial.toByteString());
            assertRefused(checks.parse(sign(fixture.client1, header, invocation()).signed()),
                    RefusalReason.MALFORMED_PROPOSAL, "names no creator");
        }
    }

    @Test
    void anInvocationWithoutContractOrFunctionIsMalformed() {
        for (ContractInvocation partial : List.of(invocation().toBuilder().clearContractName().build(),
                invocation().toBuilder().clearFunction().build())) {
            assertRefused(checks.parse(sign(fixture.client1, header(fixture.client1, NOW), partial).signed()),
                    RefusalReason.MALFORMED_PROPOSAL, "names no contract or no function");
        }
    }

    @Test
    void aHeaderWithoutTimestampIsMalformed() {
        PayloadHeader.Builder header = header(fixture.client1, NOW).clearTimestamp();
        assertRefused(checks.parse(sign(fixture.client1, header, invocation()).signed()),
                RefusalReason.MALFORMED_PROPOSAL, "no timestamp");
    }

    // ---- authenticate ----

    @Test
    void aProposalOfAValidWriterPassesWithItsCallerAndTimes() {
        ProposalChecks.Authenticated authenticated = passed(checks.authenticate(parsed(invoke(fixture.client1, NOW)), context));

        assertThat(authenticated.caller().enrollmentId()).isEqualTo("client1");
        assertThat(authenticated.caller().mspId()).isEqualTo("Org1");
        assertThat(authenticated.timestamp()).isEqualTo(NOW);
        assertThat(authenticated.now()).isEqualTo(NOW);
    }

    @Test
    void aPeerWhoseOrganizationLeftTheChannelNoLongerEndorses() {
        assertRefused(checksOf("Org9").authenticate(parsed(invoke(fixture.client1, NOW)), context),
                RefusalReason.PEER_NOT_IN_CHANNEL, "Org9 is not a member of channel trade");
    }

    @Test
    void aTxIdThatIsNotTheHashOfNonceAndCreatorIsRefused() {
        PayloadHeader.Builder noNonce = header(fixture.client1, NOW).clearNonce();
        assertRefused(checks.authenticate(parsed(sign(fixture.client1, noNonce, invocation())), context),
                RefusalReason.BAD_TXID, "is not SHA-256(nonce || creator)");

        PayloadHeader.Builder forged = header(fixture.client1, NOW).setTxId("00".repeat(32));
        assertRefused(checks.authenticate(parsed(sign(fixture.client1, forged, invocation())), context),
                RefusalReason.BAD_TXID, "'" + "00".repeat(32) + "'");
    }

    @Test
    void proposalsAtTheEdgeOfTheWindowPassAndBeyondItAreStale() {
        for (Instant edge : List.of(NOW.minus(WINDOW), NOW.plus(WINDOW))) {
            assertThat(checks.authenticate(parsed(invoke(fixture.client1, edge)), context))
                    .as("at %s", edge).isInstanceOf(ProposalChecks.Outcome.Passed.class);
        }
        for (Instant beyond : List.of(NOW.minus(WINDOW).minusNanos(1), NOW.plus(WINDOW).plusNanos(1))) {
            assertRefused(checks.authenticate(parsed(invoke(fixture.client1, beyond)), context),
                    RefusalReason.STALE_PROPOSAL, "the proposal is from " + beyond);
        }
    }

    @Test
    void aRevokedCreatorIsRefusedAsRevoked() {
        TestPki.Credential revoked = fixture.pki.organization("Org1").enroll("revoked", Role.CLIENT);
        ChannelContext revoking = ChannelContext.of(fixture.config(), Clock.systemUTC());
        revoking.registry().updateCrls("Org1", List.of(fixture.crl("Org1", revoked)));

        assertRefused(checks.authenticate(parsed(invoke(revoked, NOW)), revoking), RefusalReason.CREATOR_REVOKED, "creator Org1: ");
    }

    @Test
    void anExpiredOrNotYetValidCreatorIsRefusedAsExpired() {
        Instant now = Instant.now();
        TestPki.Credential expired = fixture.pki.organization("Org1").enroll("expired", Role.CLIENT,
                new Validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))));
        TestPki.Credential early = fixture.pki.organization("Org1").enroll("early", Role.CLIENT,
                new Validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10))));

        assertRefused(checks.authenticate(parsed(invoke(expired, NOW)), context), RefusalReason.CREATOR_EXPIRED, "EXPIRED");
        assertRefused(checks.authenticate(parsed(invoke(early, NOW)), context), RefusalReason.CREATOR_EXPIRED, "NOT_YET_VALID");
    }

    @Test
    void aCreatorThatIsNoIdentityOfItsClaimedOrganizationIsInvalid() {
        // client1 is of Org1: claiming Org2 does not make its certificate one of Org2's.
        SerializedIdentity claimed = ChannelFixtureIdentity.of(fixture.client1).toBuilder().setMspId("Org2").build();
        PayloadHeader.Builder header = header(fixture.client1, NOW, claimed.toByteString());

        assertRefused(checks.authenticate(parsed(sign(fixture.client1, header, invocation())), context),
                RefusalReason.CREATOR_INVALID, "creator Org2");
    }

    @Test
    void aValidIdentityOutsideWritersMayNotPropose() {
        assertRefused(checks.authenticate(parsed(invoke(fixture.orderer, NOW)), context), RefusalReason.CREATOR_NOT_WRITER,
                "orderer1 (OrdererOrg) may not write to trade");
    }

    @Test
    void aSignatureByAnotherKeyIsRefused() {
        TestClient.Proposed proposed = invoke(fixture.client1, NOW);
        ByteString proposalBytes = proposed.signed().getProposalBytes();
        SignedProposal resigned = proposed.signed().toBuilder()
                .setSignature(ByteString.copyFrom(EcdsaSigner.of(fixture.client2.keys()).sign(proposalBytes.toByteArray())))
                .build();

        assertRefused(checks.authenticate(passed(checks.parse(resigned)), context), RefusalReason.BAD_SIGNATURE,
                "does not verify");
    }

    // ---- lifecycle requests ----

    @Test
    void anApprovalByAnAdminForItsOwnApplicationOrganizationPasses() {
        ProposalChecks.LifecycleRequest request = passed(checks.lifecycleRequest(
                lifecycle("approve", definition().toByteString(), utf8("Org1")), caller(admin1), context));

        assertThat(request.function()).isEqualTo("approve");
        assertThat(request.definition()).isEqualTo(definition());
    }

    @Test
    void commitsNeedAnAdminAndReadinessAnyWriter() {
        assertThat(passed(checks.lifecycleRequest(lifecycle("commit", definition().toByteString()), caller(admin1), context))
                .function()).isEqualTo("commit");
        assertThat(passed(checks.lifecycleRequest(lifecycle("readiness", definition().toByteString()),
                caller(fixture.client1), context)).function()).isEqualTo("readiness");

        assertRefused(checks.lifecycleRequest(lifecycle("commit", definition().toByteString()), caller(fixture.client1),
                context), RefusalReason.CREATOR_NOT_ADMIN, "not by client1 (client)");
        assertRefused(checks.lifecycleRequest(lifecycle("approve", definition().toByteString(), utf8("Org1")),
                caller(fixture.client1), context), RefusalReason.CREATOR_NOT_ADMIN, "not by client1");
    }

    @Test
    void aLifecycleProposalInvokesTheLifecycleNamespace() {
        ContractInvocation elsewhere = lifecycle("commit", definition().toByteString()).toBuilder()
                .setContractName("assets").build();
        assertRefused(checks.lifecycleRequest(elsewhere, caller(admin1), context), RefusalReason.MALFORMED_PROPOSAL,
                "invokes _lifecycle");
    }

    @Test
    void theSingleStepDefineIsRetired() {
        assertRefused(checks.lifecycleRequest(lifecycle("define", definition().toByteString()), caller(admin1), context),
                RefusalReason.DEFINE_RETIRED, "charter contract approve");
    }

    @Test
    void unknownFunctionsAndWrongArgumentCountsAreMalformed() {
        ByteString definition = definition().toByteString();
        for (ContractInvocation wrong : List.of(lifecycle("delete", definition), lifecycle("approve", definition),
                lifecycle("commit", definition, utf8("Org1")), lifecycle("readiness"),
                lifecycle("readiness", definition, definition))) {
            assertRefused(checks.lifecycleRequest(wrong, caller(admin1), context), RefusalReason.MALFORMED_PROPOSAL,
                    "_lifecycle.approve(definition, mspId)");
        }
    }

    @Test
    void anArgumentThatIsNoDefinitionIsMalformedAndAnIllFormedDefinitionFails() {
        assertRefused(checks.lifecycleRequest(lifecycle("commit", ByteString.copyFrom(new byte[] {(byte) 0xff})),
                caller(admin1), context), RefusalReason.MALFORMED_PROPOSAL, "not a ContractDefinition");

        ContractDefinition noVersion = definition().toBuilder().clearVersion().build();
        ProposalChecks.Outcome<ProposalChecks.LifecycleRequest> outcome = checks.lifecycleRequest(
                lifecycle("commit", noVersion.toByteString()), caller(admin1), context);
        assertThat(outcome).isInstanceOfSatisfying(ProposalChecks.Outcome.Failed.class, failed ->
                assertThat(failed.result()).isEqualTo(new EndorsementResult.ContractFailed(ContractFailure.CONTRACT_ERROR,
                        "INVALID_VERSION", "a definition needs a version of 1 to 64 characters")));
    }

    @Test
    void aDefinitionWithBadCollectionsFailsWithTheProblemsCode() {
        CollectionConfig prices = CollectionConfig.newBuilder().setName("prices").setMemberPolicy("OR('Org1.member', 'Org2.member')")
                .setRequiredPeerCount(1).setMaxPeerCount(2).build();
        assertThat(passed(checks.lifecycleRequest(lifecycle("approve", definition().toBuilder().addCollections(prices).build()
                .toByteString(), utf8("Org1")), caller(admin1), context)).definition().getCollectionsList()).containsExactly(prices);

        Map<String, ContractDefinition> bad = new LinkedHashMap<>();
        bad.put("COLLECTION_DUPLICATE_NAME", definition().toBuilder().addCollections(prices).addCollections(prices).build());
        bad.put("COLLECTION_REQUIRED_ABOVE_MAX", definition().toBuilder().addCollections(prices.toBuilder().setRequiredPeerCount(3)).build());
        bad.put("COLLECTION_POLICY_UNPARSABLE", definition().toBuilder().addCollections(prices.toBuilder().setMemberPolicy("OR(")).build());
        bad.put("COLLECTION_UNKNOWN_ORGANIZATION", definition().toBuilder()
                .addCollections(prices.toBuilder().setMemberPolicy("OR('Org1.member', 'Org7.member')")).build());
        bad.put("COLLECTION_NAME_RESERVED", definition().toBuilder().addCollections(prices.toBuilder().setName("_implicit_org_Org1")).build());
        for (String function : List.of("approve", "commit", "readiness")) {
            bad.forEach((code, definition) -> {
                ContractInvocation invocation = function.equals("approve") ? lifecycle(function, definition.toByteString(), utf8("Org1"))
                        : lifecycle(function, definition.toByteString());
                ProposalChecks.Outcome<ProposalChecks.LifecycleRequest> outcome = checks.lifecycleRequest(invocation, caller(admin1), context);
                assertThat(outcome).as(function + " " + code).isInstanceOfSatisfying(ProposalChecks.Outcome.Failed.class, failed ->
                        assertThat(failed.result()).isInstanceOfSatisfying(EndorsementResult.ContractFailed.class, contractFailed -> {
                            assertThat(contractFailed.failure()).isEqualTo(ContractFailure.CONTRACT_ERROR);
                            assertThat(contractFailed.code()).isEqualTo(code);
                            assertThat(contractFailed.message()).isEqualTo(DefinitionRules.check(definition, context.applicationOrganizations())
                                    .orElseThrow().message());
                        }));
            });
        }
    }

    @Test
    void anAdminApprovesForItsOwnApplicationOrganizationOnly() {
        assertRefused(checks.lifecycleRequest(lifecycle("approve", definition().toByteString(), utf8("Org2")),
                caller(admin1), context), RefusalReason.APPROVAL_NOT_OWN_ORGANIZATION, "not for 'Org2'");

        // OrdererOrg runs the channel's consenter: it is no application organization, and does not approve contracts.
        ChannelConfig withConsenter = fixture.config().toBuilder()
                .setOrderer(OrdererConfig.newBuilder().addConsenters(Consenter.newBuilder()
                        .setIdentity(ChannelFixture.identity(fixture.orderer))))
                .build();
        ChannelContext ordered = ChannelContext.of(withConsenter, Clock.systemUTC());
        TestPki.Credential ordererAdmin = fixture.pki.organization("OrdererOrg").enroll("ordereradmin", Role.ADMIN);
        assertRefused(checks.lifecycleRequest(lifecycle("approve", definition().toByteString(), utf8("OrdererOrg")),
                caller(ordered, ordererAdmin), ordered), RefusalReason.APPROVAL_NOT_OWN_ORGANIZATION,
                "OrdererOrg is not an application organization of trade [Org1, Org2]");
    }

    // ---- helpers ----

    private static <T> T passed(ProposalChecks.Outcome<T> outcome) {
        assertThat(outcome).isInstanceOf(ProposalChecks.Outcome.Passed.class);
        return ((ProposalChecks.Outcome.Passed<T>) outcome).value();
    }

    private static void assertRefused(ProposalChecks.Outcome<?> outcome, RefusalReason reason, String detail) {
        assertThat(outcome).isInstanceOfSatisfying(ProposalChecks.Outcome.Failed.class, failed ->
                assertThat(failed.result()).isInstanceOfSatisfying(EndorsementResult.Refused.class, refused -> {
                    assertThat(refused.reason()).isEqualTo(reason);
                    assertThat(refused.detail()).contains(detail);
                }));
    }

    private ProposalChecks.Parsed parsed(TestClient.Proposed proposed) {
        return passed(checks.parse(proposed.signed()));
    }

    private ValidatedIdentity caller(TestPki.Credential credential) {
        return caller(context, credential);
    }

    private static ValidatedIdentity caller(ChannelContext context, TestPki.Credential credential) {
        SerializedIdentity identity = ChannelFixtureIdentity.of(credential);
        ValidationResult result = context.identities().validate(identity.getMspId(), identity.getCertificate());
        assertThat(result).isInstanceOf(ValidationResult.Valid.class);
        return ((ValidationResult.Valid) result).validatedIdentity();
    }

    private static TestClient.Proposed invoke(TestPki.Credential creator, Instant timestamp) {
        return TestClient.propose(creator, HeaderType.ENDORSER_TRANSACTION, ChannelFixture.CHANNEL, timestamp,
                ChannelFixture.CONTRACT, "put", List.of());
    }

    private static PayloadHeader.Builder header(TestPki.Credential creator, Instant timestamp) {
        return header(creator, timestamp, ChannelFixture.identity(creator));
    }

    private static PayloadHeader.Builder header(TestPki.Credential creator, Instant timestamp, ByteString creatorBytes) {
        ByteString nonce = TransactionIds.newNonce();
        return PayloadHeader.newBuilder()
                .setType(HeaderType.ENDORSER_TRANSACTION)
                .setChannelId(ChannelFixture.CHANNEL)
                .setTxId(TransactionIds.compute(nonce, creatorBytes))
                .setTimestamp(Timestamp.newBuilder().setSeconds(timestamp.getEpochSecond()).setNanos(timestamp.getNano()))
                .setCreator(creatorBytes)
                .setNonce(nonce);
    }

    private static TestClient.Proposed sign(TestPki.Credential creator, PayloadHeader.Builder header,
                                            ContractInvocation invocation) {
        return TestClient.sign(creator, header.build(), invocation);
    }

    private static ContractInvocation invocation() {
        return ContractInvocation.newBuilder().setContractName(ChannelFixture.CONTRACT).setFunction("put").build();
    }

    private static ContractInvocation lifecycle(String function, ByteString... args) {
        return ContractInvocation.newBuilder().setContractName("_lifecycle").setFunction(function)
                .addAllArgs(List.of(args)).build();
    }

    private static ContractDefinition definition() {
        return ContractDefinition.newBuilder().setName("assets").setVersion("1.0").setSequence(1).build();
    }

    private static ByteString utf8(String text) {
        return ByteString.copyFromUtf8(text);
    }

    /** The fixture's serialized identity of a credential, parsed. */
    private static final class ChannelFixtureIdentity {
        static SerializedIdentity of(TestPki.Credential credential) {
            try {
                return SerializedIdentity.parseFrom(ChannelFixture.identity(credential));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
