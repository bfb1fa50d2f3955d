package io.charter.peer.validation;

import static io.charter.peer.testing.ChannelFixture.CHANNEL;
import static io.charter.peer.testing.ChannelFixture.CONTRACT;
import static io.charter.peer.testing.ChannelFixture.ns;
import static io.charter.peer.testing.ChannelFixture.read;
import static io.charter.peer.testing.ChannelFixture.readAbsent;
import static io.charter.peer.testing.ChannelFixture.rwset;
import static io.charter.peer.testing.ChannelFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.pki.Role;
import io.charter.common.pki.Validity;
import io.charter.common.policy.Policy;
import io.charter.common.policy.PolicyParser;
import io.charter.common.protocol.Blocks;
import io.charter.common.protocol.Endorsements;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.Proposals;
import io.charter.common.protocol.TransactionIds;
import io.charter.common.testing.ConfigUpdates;
import io.charter.common.testing.TestPki;
import io.charter.peer.lifecycle.LifecycleWrite;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.TestClient;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.CollectionConfig;
import io.charter.protocol.ConfigEnvelope;
import io.charter.protocol.Consenter;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.ContractInvocation;
import io.charter.protocol.EndorsedAction;
import io.charter.protocol.Endorsement;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.Payload;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.ProposalResponsePayload;
import io.charter.protocol.RangeQueryInfo;
import io.charter.protocol.Transaction;
import io.charter.protocol.TransactionAction;
import io.charter.protocol.TxReadWriteSet;
import io.charter.protocol.TxValidationCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The checks of a block that need no ledger, one transaction at a time: each bad transaction gets its own
 * validation code, whether its tx id is trusted (indexed for duplicates) and a detail that says what was wrong;
 * a good one passes with its read-write set. The committer's use of these verdicts, on PostgreSQL, is
 * {@link BlockCommitterTest}'s.
 */
class BlockValidatorTest {

    private static final ContractDefinition DEFINITION =
            ContractDefinition.newBuilder().setName(CONTRACT).setVersion("1.0").setSequence(1).build();

    private final ChannelFixture fixture = new ChannelFixture();
    private final TestPki.Credential admin1 = fixture.pki.organization("Org1").enroll("admin1", Role.ADMIN);
    private final TestPki.Credential admin2 = fixture.pki.organization("Org2").enroll("admin2", Role.ADMIN);
    private final Map<String, Policy> policies = Map.of(
            CONTRACT, PolicyParser.parse("AND('Org1.peer', 'Org2.peer')"),
            "ledger", PolicyParser.parse("OR('Org1.peer')"));
    private final ChannelContext context = ChannelContext.of(fixture.config(), Clock.systemUTC());
    private final BlockValidator validator = new BlockValidator(context,
            namespace -> Optional.ofNullable(policies.get(namespace)), new EcdsaVerifier(), 2);

    @AfterEach
    void close() {
        validator.close();
    }

    // ---- a transaction's envelope and creator ----

    @Test
    void aWellFormedEndorsedTransactionIsValidWithItsReadWriteSet() {
        TxReadWriteSet results = rwset(ns(CONTRACT).addReads(read("a", 1, 0)).addWrites(write("a", "2")));
        ChannelFixture.Tx tx = fixture.tx(results);

        TxCheck check = validator.checkTransaction(3, tx.envelope());

        assertThat(check.code()).isEqualTo(TxValidationCode.VALID);
        assertThat(check.isValid()).isTrue();
        assertThat(check.position()).isEqualTo(3);
        assertThat(check.trustedTxId()).contains(tx.txId());
        assertThat(check.authenticated()).isTrue();
        assertThat(check.detail()).isEmpty();
        TxCheck.Passed passed = passed(check);
        assertThat(passed.rwset()).isEqualTo(results);
        assertThat(passed.lifecycle()).isEmpty();
        assertThat(passed.config()).isEmpty();
    }

    @Test
    void anEmptyEnvelopeIsNil() {
        assertInvalid(validator.checkTransaction(0, ByteString.EMPTY), TxValidationCode.NIL_ENVELOPE, false, "empty envelope");
    }

    @Test
    void bytesThatAreNoEnvelopeOrPayloadAreABadPayload() {
        assertInvalid(check(ByteString.copyFrom(new byte[] {(byte) 0xff})), TxValidationCode.BAD_PAYLOAD, false,
                "MALFORMED_ENVELOPE");
        Envelope badPayload = Envelope.newBuilder().setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff})).build();
        assertInvalid(check(badPayload.toByteString()), TxValidationCode.BAD_PAYLOAD, false, "MALFORMED_PAYLOAD");
    }

    @Test
    void aPayloadWithoutHeaderOrCreatorIsABadHeader() {
        Envelope noHeader = Envelope.newBuilder().setPayload(Payload.newBuilder().setData(ByteString.copyFromUtf8("x"))
                .build().toByteString()).build();
        assertInvalid(check(noHeader.toByteString()), TxValidationCode.BAD_HEADER, false, "MISSING_HEADER");

        PayloadHeader noCreator = header(fixture.client1).clearCreator().build();
        assertInvalid(check(Envelopes.seal(noCreator, ByteString.EMPTY, EcdsaSigner.of(fixture.client1.keys())).toByteString()),
                TxValidationCode.BAD_HEADER, false, "MISSING_CREATOR");

        PayloadHeader badCreator = header(fixture.client1).setCreator(ByteString.copyFrom(new byte[] {(byte) 0xff})).build();
        assertInvalid(check(Envelopes.seal(badCreator, ByteString.EMPTY, EcdsaSigner.of(fixture.client1.keys())).toByteString()),
                TxValidationCode.BAD_HEADER, false, "MALFORMED_CREATOR");
    }

    @Test
    void aHeaderTypeThePeerDoesNotValidateIsUnknown() {
        ByteString admin = transaction(header(fixture.client1).setType(HeaderType.PEER_ADMIN), invocation(CONTRACT),
                contractWrite(), List.of(fixture.peer1, fixture.peer2), fixture.client1, UnaryOperator.identity());
        assertInvalid(check(admin), TxValidationCode.UNKNOWN_HEADER_TYPE, false, "header type PEER_ADMIN");
    }

    @Test
    void aTransactionOfAnotherChannelIsRefused() {
        ByteString other = transaction(header(fixture.client1).setChannelId("other"), invocation(CONTRACT), contractWrite(),
                List.of(fixture.peer1, fixture.peer2), fixture.client1, UnaryOperator.identity());
        assertInvalid(check(other), TxValidationCode.UNKNOWN_CHANNEL, false, "for channel 'other', not trade");
    }

    @Test
    void aTxIdThatIsNotTheHashOfNonceAndCreatorIsNotTrusted() {
        for (PayloadHeader.Builder bad : List.of(header(fixture.client1).clearNonce(),
                header(fixture.client1).setTxId("00".repeat(32)))) {
            ByteString envelope = transaction(bad, invocation(CONTRACT), contractWrite(),
                    List.of(fixture.peer1, fixture.peer2), fixture.client1, UnaryOperator.identity());
            assertInvalid(check(envelope), TxValidationCode.BAD_TXID, false, "is not SHA-256(nonce || creator)");
        }
    }

    @Test
    void aRevokedCreatorIsRefusedAsRevoked() {
        TestPki.Credential revoked = fixture.pki.organization("Org1").enroll("revoked", Role.CLIENT);
        context.registry().updateCrls("Org1", List.of(fixture.crl("Org1", revoked)));

        assertInvalid(check(fixture.tx(revoked, contractWrite(), fixture.peer1, fixture.peer2).envelope()),
                TxValidationCode.REVOKED_CREATOR, false, "creator: REVOKED");
    }

    @Test
    void anExpiredCreatorIsRefusedAsExpiredAndANotYetValidOneAsUnauthorized() {
        Instant now = Instant.now();
        TestPki.Credential expired = fixture.pki.organization("Org1").enroll("expired", Role.CLIENT,
                new Validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))));
        TestPki.Credential early = fixture.pki.organization("Org1").enroll("early", Role.CLIENT,
                new Validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10))));

        assertInvalid(check(fixture.tx(expired, contractWrite(), fixture.peer1, fixture.peer2).envelope()),
                TxValidationCode.EXPIRED_CREATOR, false, "creator: EXPIRED");
        assertInvalid(check(fixture.tx(early, contractWrite(), fixture.peer1, fixture.peer2).envelope()),
                TxValidationCode.UNAUTHORIZED_CREATOR, false, "creator: NOT_YET_VALID");
    }

    @Test
    void aValidIdentityOutsideWritersIsUnauthorized() {
        assertInvalid(check(fixture.tx(fixture.orderer, contractWrite(), fixture.peer1, fixture.peer2).envelope()),
                TxValidationCode.UNAUTHORIZED_CREATOR, false, "creator may not write to the channel");
    }

    @Test
    void anEnvelopeSealedByAnotherKeyThanTheCreatorsHasABadCreatorSignature() {
        ByteString envelope = transaction(header(fixture.client1), invocation(CONTRACT), contractWrite(),
                List.of(fixture.peer1, fixture.peer2), fixture.client2, UnaryOperator.identity());
        assertInvalid(check(envelope), TxValidationCode.BAD_CREATOR_SIGNATURE, false, "does not verify");
    }

    // ---- the transaction's action: from here on the creator is authenticated and its tx id trusted ----

    @Test
    void aTransactionCarriesExactlyOneAction() {
        ChannelFixture.Tx none = fixture.tx(fixture.client1, contractWrite(), List.of(fixture.peer1, fixture.peer2),
                tx -> tx.toBuilder().clearActions().build());
        ChannelFixture.Tx two = fixture.tx(fixture.client1, contractWrite(), List.of(fixture.peer1, fixture.peer2),
                tx -> tx.toBuilder().addActions(tx.getActions(0)).build());

        assertInvalid(check(none.envelope()), TxValidationCode.BAD_PAYLOAD, true, "exactly one action, not 0");
        assertInvalid(check(two.envelope()), TxValidationCode.BAD_PAYLOAD, true, "exactly one action, not 2");
    }

    @Test
    void anActionWhoseProposalHeaderDiffersFromTheEnvelopesIsABadHeader() {
        ByteString otherHeader = header(fixture.client1).build().toByteString();
        ChannelFixture.Tx tx = fixture.tx(fixture.client1, contractWrite(), List.of(fixture.peer1, fixture.peer2),
                t -> t.toBuilder().setActions(0, t.getActions(0).toBuilder().setHeader(otherHeader)).build());
        assertInvalid(check(tx.envelope()), TxValidationCode.BAD_HEADER, true, "the proposal header differs");
    }

    @Test
    void dataThatIsNoTransactionOrAnActionThatDoesNotParseIsABadPayload() {
        PayloadHeader header = header(fixture.client1).build();
        ByteString notATransaction = Envelopes.seal(header, ByteString.copyFrom(new byte[] {(byte) 0xff}),
                EcdsaSigner.of(fixture.client1.keys())).toByteString();
        assertInvalid(check(notATransaction), TxValidationCode.BAD_PAYLOAD, true, "malformed");

        ChannelFixture.Tx badInvocation = fixture.tx(fixture.client1, contractWrite(), List.of(fixture.peer1, fixture.peer2),
                t -> t.toBuilder().setActions(0, t.getActions(0).toBuilder().setEndorsedAction(t.getActions(0)
                        .getEndorsedAction().toBuilder().setProposalPayload(ByteString.copyFrom(new byte[] {(byte) 0xff}))))
                        .build());
        assertInvalid(check(badInvocation.envelope()), TxValidationCode.BAD_PAYLOAD, true, "malformed");
    }

    @Test
    void anInvocationThatNamesNoContractIsABadPayload() {
        ByteString envelope = transaction(header(fixture.client1), ContractInvocation.newBuilder().setFunction("put").build(),
                contractWrite(), List.of(fixture.peer1, fixture.peer2), fixture.client1, UnaryOperator.identity());
        assertInvalid(check(envelope), TxValidationCode.BAD_PAYLOAD, true, "names no contract");
    }

    @Test
    void resultsEndorsedForAnotherProposalHaveABadProposalHash() {
        ByteString envelope = transaction(header(fixture.client1), invocation(CONTRACT), contractWrite(),
                List.of(fixture.peer1, fixture.peer2), fixture.client1, UnaryOperator.identity(),
                ByteString.copyFromUtf8("another proposal"));
        assertInvalid(check(envelope), TxValidationCode.BAD_PROPOSAL_HASH, true, "for another proposal");
    }

    @Test
    void resultsThatAreNoReadWriteSetAreABadReadWriteSet() {
        PayloadHeader.Builder header = header(fixture.client1);
        ByteString invocation = invocation(CONTRACT).toByteString();
        ByteString responsePayload = ProposalResponsePayload.newBuilder()
                .setProposalHash(Proposals.hash(header.build().toByteString(), invocation))
                .setResults(ByteString.copyFrom(new byte[] {(byte) 0xff}))
                .build().toByteString();
        assertInvalid(check(assembled(header.build(), invocation, responsePayload, List.of(fixture.peer1, fixture.peer2),
                fixture.client1)), TxValidationCode.BAD_RWSET, true, "malformed read-write set");
    }

    @Test
    void everyIllFormedReadWriteSetIsABadReadWriteSet() {
        Map<TxReadWriteSet, String> bad = ofPairs(
                rwset(ns("")), "a namespace is empty or named twice",
                rwset(ns(CONTRACT).addWrites(write("a", "1")), ns(CONTRACT)), "a namespace is empty or named twice",
                rwset(ns(CONTRACT).addReads(readAbsent(""))), "bad key read in assets",
                rwset(ns(CONTRACT).addReads(readAbsent("a\u0000b"))), "bad key read in assets",
                rwset(ns(CONTRACT).addWrites(write("", "1"))), "bad key written in assets",
                rwset(ns(CONTRACT).addWrites(write("a\u0000", "1"))), "bad key written in assets",
                rwset(ns(CONTRACT).addRangeQueries(RangeQueryInfo.newBuilder().setStartKey("a\u0000").setEndKey("z"))),
                "bad range in assets",
                rwset(ns(CONTRACT).addRangeQueries(RangeQueryInfo.newBuilder().setStartKey("a").setEndKey("\u0000z"))),
                "bad range in assets",
                rwset(ns(CONTRACT).addRangeQueries(RangeQueryInfo.newBuilder().setStartKey("\u0000a").setEndKey("z"))),
                "bad range in assets",
                rwset(ns(CONTRACT).addWrites(write("\u0000a", "1"))), "bad key written in assets",
                rwset(ns(CONTRACT).addRangeQueries(RangeQueryInfo.newBuilder().setStartKey("a").setEndKey("z")
                        .addReads(readAbsent("")))), "bad key in a range read of assets",
                rwset(ns(CONTRACT).addRangeQueries(RangeQueryInfo.newBuilder().setStartKey("a").setEndKey("z")
                        .addReads(readAbsent("b\u0000")))), "bad key in a range read of assets");
        bad.forEach((results, problem) -> assertInvalid(check(fixture.tx(results).envelope()), TxValidationCode.BAD_RWSET,
                true, problem));
    }

    @Test
    void wellFormedRangesAndKeysPass() {
        TxReadWriteSet results = rwset(ns(CONTRACT).addReads(readAbsent("a")).addWrites(write("b", "1"))
                .addRangeQueries(RangeQueryInfo.newBuilder().setStartKey("a").setEndKey("z").addReads(read("c", 1, 0))));
        assertThat(check(fixture.tx(results).envelope()).code()).isEqualTo(TxValidationCode.VALID);
    }

    // ---- endorsements and policies ----

    @Test
    void anEndorserIdentityThatDoesNotParseMakesTheTransactionInvalid() {
        ChannelFixture.Tx tx = fixture.tx(fixture.client1, contractWrite(), List.of(fixture.peer1, fixture.peer2),
                t -> withEndorsements(t, List.of(Endorsement.newBuilder()
                        .setEndorser(ByteString.copyFrom(new byte[] {(byte) 0xff})).build())));
        assertInvalid(check(tx.envelope()), TxValidationCode.INVALID_ENDORSER_SIGNATURE, true, "malformed");
    }

    @Test
    void anEndorsementThatDoesNotVerifyMakesTheTransactionInvalid() {
        ChannelFixture.Tx tx = fixture.tx(fixture.client1, contractWrite(), List.of(fixture.peer1, fixture.peer2),
                t -> {
                    List<Endorsement> endorsements = new ArrayList<>(t.getActions(0).getEndorsedAction().getEndorsementsList());
                    // peer2's identity, peer1's signature
                    endorsements.set(1, endorsements.get(1).toBuilder().setSignature(endorsements.get(0).getSignature()).build());
                    return withEndorsements(t, endorsements);
                });
        assertInvalid(check(tx.envelope()), TxValidationCode.INVALID_ENDORSER_SIGNATURE, true,
                "the endorsement of peer2 (Org2) does not verify");
    }

    @Test
    void anEndorserWhoseCertificateIsNotValidIsNotCounted() {
        TestPki.Credential revokedPeer = fixture.pki.organization("Org2").enroll("revokedpeer", Role.PEER);
        context.registry().updateCrls("Org2", List.of(fixture.crl("Org2", revokedPeer)));

        assertInvalid(check(fixture.tx(fixture.client1, contractWrite(), fixture.peer1, revokedPeer).envelope()),
                TxValidationCode.ENDORSEMENT_POLICY_FAILURE, true, "endorsers not counted: [Org2: REVOKED");
    }

    @Test
    void aPolicyNotSatisfiedByTheEndorsersFails() {
        TxCheck check = check(fixture.tx(fixture.client1, contractWrite(), fixture.peer1).envelope());
        assertInvalid(check, TxValidationCode.ENDORSEMENT_POLICY_FAILURE, true, "of assets not satisfied");
        assertThat(check.detail()).doesNotContain("not counted");
    }

    @Test
    void oneEndorserTwiceCountsOnce() {
        assertInvalid(check(fixture.tx(fixture.client1, contractWrite(), fixture.peer1, fixture.peer1).envelope()),
                TxValidationCode.ENDORSEMENT_POLICY_FAILURE, true, "of assets not satisfied");
    }

    // ---- private data collections ----

    /** "assets" has collection "org1only" (member Org1, memberOnlyWrite, own policy OR('Org1.peer')) and "shared". */
    private BlockValidator collectionsValidator() {
        ContractDefinition definition = DEFINITION.toBuilder()
                .addCollections(io.charter.protocol.CollectionConfig.newBuilder().setName("org1only")
                        .setMemberPolicy("OR('Org1.member')").setMemberOnlyWrite(true).setEndorsementPolicy("OR('Org1.peer')"))
                .addCollections(io.charter.protocol.CollectionConfig.newBuilder().setName("shared")
                        .setMemberPolicy("OR('Org1.member', 'Org2.member')"))
                .build();
        EndorsementPolicies withCollections = new EndorsementPolicies() {
            @Override
            public Optional<Policy> policyFor(String namespace) {
                return Optional.ofNullable(policies.get(namespace));
            }

            @Override
            public Optional<io.charter.peer.privatedata.Collection> collection(String namespace, String name,
                                                                               ChannelContext channel) {
                if (namespace.equals("ledger")) {
                    return io.charter.peer.privatedata.Collection.of(ContractDefinition.newBuilder().setName("ledger")
                            .addCollections(io.charter.protocol.CollectionConfig.newBuilder().setName("ledgerown")
                                    .setMemberPolicy("OR('Org1.member')").setEndorsementPolicy("OR('Org1.peer')"))
                            .build(), name, channel.applicationOrganizations());
                }
                return namespace.equals(CONTRACT)
                        ? io.charter.peer.privatedata.Collection.of(definition, name, channel.applicationOrganizations())
                        : Optional.empty();
            }
        };
        return new BlockValidator(context, withCollections, new EcdsaVerifier(), 1);
    }

    private static io.charter.protocol.CollectionHashedReadWriteSet.Builder hashedWrite(String collection, String key) {
        return io.charter.protocol.CollectionHashedReadWriteSet.newBuilder().setCollection(collection)
                .addWrites(io.charter.protocol.KeyWriteHash.newBuilder()
                        .setKeyHash(io.charter.peer.privatedata.PrivateDataHashes.keyHash(key))
                        .setValueHash(io.charter.peer.privatedata.PrivateDataHashes.valueHash(new byte[] {1})));
    }

    @Test
    void aCollectionTheContractDoesNotHaveIsAnUnknownCollection() {
        try (BlockValidator collections = collectionsValidator()) {
            TxReadWriteSet results = rwset(ns(CONTRACT).addCollections(hashedWrite("elsewhere", "k")));
            TxCheck check = collections.checkTransaction(0, fixture.tx(results).envelope());
            assertInvalid(check, TxValidationCode.UNKNOWN_COLLECTION, true, "has no collection 'elsewhere'");
            // implicit collections of the channel's organizations exist without being declared
            TxReadWriteSet implicit = rwset(ns(CONTRACT).addCollections(hashedWrite("_implicit_org_Org2", "k")));
            assertThat(collections.checkTransaction(0, fixture.tx(implicit).envelope()).code()).isEqualTo(TxValidationCode.VALID);
            TxReadWriteSet noSuchOrganization = rwset(ns(CONTRACT).addCollections(hashedWrite("_implicit_org_Org9", "k")));
            assertThat(collections.checkTransaction(0, fixture.tx(noSuchOrganization).envelope()).code())
                    .isEqualTo(TxValidationCode.UNKNOWN_COLLECTION);
        }
    }

    @Test
    void aWriteToAMemberOnlyWriteCollectionByAClientOfAnotherOrganizationIsDenied() {
        try (BlockValidator collections = collectionsValidator()) {
            TxReadWriteSet results = rwset(ns(CONTRACT).addCollections(hashedWrite("org1only", "k")));
            assertThat(collections.checkTransaction(0, fixture.tx(fixture.client1, results, fixture.peer1).envelope()).code())
                    .isEqualTo(TxValidationCode.VALID);
            assertInvalid(collections.checkTransaction(0, fixture.tx(fixture.client2, results, fixture.peer1).envelope()),
                    TxValidationCode.PRIVATE_WRITE_DENIED, true, "is memberOnlyWrite; the creator's organization Org2");
        }
    }

    @Test
    void aCollectionsOwnPolicyReplacesTheContractsForItsWritesOnly() {
        try (BlockValidator collections = collectionsValidator()) {
            // org1only's policy is OR('Org1.peer'); the contract's AND needs both, unless the contract is written too
            TxReadWriteSet privateOnly = rwset(ns(CONTRACT).addCollections(hashedWrite("org1only", "k")));
            TxCheck refused = collections.checkTransaction(0, fixture.tx(fixture.client1, privateOnly, fixture.peer2).envelope());
            assertInvalid(refused, TxValidationCode.ENDORSEMENT_POLICY_FAILURE, true, "of collection org1only of assets");
            assertThat(refused.detail()).doesNotContain("not counted");
            assertThat(collections.checkTransaction(0, fixture.tx(fixture.client1, privateOnly, fixture.peer1).envelope()).code())
                    .as("org1only's own policy alone").isEqualTo(TxValidationCode.VALID);
            // the invoked contract's policy still applies when the own-policy collection is another namespace's
            ByteString otherNamespace = transaction(header(fixture.client1), invocation(CONTRACT),
                    rwset(ns("ledger").addCollections(hashedWrite("ledgerown", "k"))), List.of(fixture.peer1),
                    fixture.client1, UnaryOperator.identity());
            assertInvalid(collections.checkTransaction(0, otherNamespace), TxValidationCode.ENDORSEMENT_POLICY_FAILURE, true,
                    "of assets not satisfied");
            // "shared" has none of its own: the contract's AND applies to its writes
            TxReadWriteSet shared = rwset(ns(CONTRACT).addCollections(hashedWrite("shared", "k")));
            assertInvalid(collections.checkTransaction(0, fixture.tx(fixture.client1, shared, fixture.peer1).envelope()),
                    TxValidationCode.ENDORSEMENT_POLICY_FAILURE, true, "of assets not satisfied");
            assertThat(collections.checkTransaction(0, fixture.tx(fixture.client1, shared, fixture.peer1, fixture.peer2)
                    .envelope()).code()).isEqualTo(TxValidationCode.VALID);
        }
    }

    @Test
    void hashedReadsAndWritesThatAreNotSha256HashesAreABadReadWriteSet() {
        try (BlockValidator collections = collectionsValidator()) {
            io.charter.protocol.KeyWriteHash.Builder shortKey = io.charter.protocol.KeyWriteHash.newBuilder()
                    .setKeyHash(ByteString.copyFromUtf8("k")).setValueHash(ByteString.copyFrom(new byte[32]));
            io.charter.protocol.KeyWriteHash.Builder deleteWithValue = io.charter.protocol.KeyWriteHash.newBuilder()
                    .setKeyHash(ByteString.copyFrom(new byte[32])).setIsDelete(true).setValueHash(ByteString.copyFrom(new byte[32]));
            io.charter.protocol.KeyReadHash.Builder shortRead = io.charter.protocol.KeyReadHash.newBuilder()
                    .setKeyHash(ByteString.copyFrom(new byte[31]));
            io.charter.protocol.KeyReadHash.Builder read = io.charter.protocol.KeyReadHash.newBuilder()
                    .setKeyHash(ByteString.copyFrom(new byte[32]));
            Map<TxReadWriteSet, String> details = Map.of(
                    rwset(ns(CONTRACT).addCollections(io.charter.protocol.CollectionHashedReadWriteSet.newBuilder()
                            .setCollection("shared").addReads(read).addReads(read))), "a hashed read of collection shared",
                    rwset(ns(CONTRACT).addCollections(io.charter.protocol.CollectionHashedReadWriteSet.newBuilder()
                            .setCollection("shared").addWrites(shortKey))), "a hashed write of collection shared",
                    rwset(ns(CONTRACT).addCollections(hashedWrite("", "k"))), "a collection of assets is empty or named twice");
            details.forEach((bad, detail) -> assertInvalid(collections.checkTransaction(0, fixture.tx(bad).envelope()),
                    TxValidationCode.BAD_RWSET, true, detail));
            for (TxReadWriteSet bad : List.of(
                    rwset(ns(CONTRACT).addCollections(io.charter.protocol.CollectionHashedReadWriteSet.newBuilder()
                            .setCollection("shared").addWrites(shortKey))),
                    rwset(ns(CONTRACT).addCollections(io.charter.protocol.CollectionHashedReadWriteSet.newBuilder()
                            .setCollection("shared").addWrites(deleteWithValue))),
                    rwset(ns(CONTRACT).addCollections(io.charter.protocol.CollectionHashedReadWriteSet.newBuilder()
                            .setCollection("shared").addReads(shortRead))),
                    rwset(ns(CONTRACT).addCollections(hashedWrite("shared", "k")).addCollections(hashedWrite("shared", "j"))),
                    rwset(ns(CONTRACT).addCollections(hashedWrite("shared", "k").addWrites(hashedWrite("shared", "k")
                            .getWrites(0)))))) {
                assertThat(collections.checkTransaction(0, fixture.tx(bad).envelope()).code()).as("%s", bad)
                        .isEqualTo(TxValidationCode.BAD_RWSET);
            }
        }
    }

    @Test
    void everyNamespaceTheTransactionWritesNeedsItsPolicyButNotOneItOnlyReads() {
        // "ledger" needs Org1's peer only; "assets", the invoked contract, both.
        TxReadWriteSet readsOther = rwset(ns(CONTRACT).addWrites(write("a", "1")), ns("ledger").addReads(readAbsent("x")));
        assertThat(check(fixture.tx(readsOther).envelope()).code()).isEqualTo(TxValidationCode.VALID);

        ByteString writesOnlyLedger = transaction(header(fixture.client1), invocation("ledger"),
                rwset(ns("ledger").addWrites(write("x", "1")), ns(CONTRACT).addReads(readAbsent("a"))),
                List.of(fixture.peer1), fixture.client1, UnaryOperator.identity());
        assertThat(check(writesOnlyLedger).code()).as("assets is only read").isEqualTo(TxValidationCode.VALID);

        TxReadWriteSet writesUndefined = rwset(ns(CONTRACT).addWrites(write("a", "1")), ns("nowhere").addWrites(write("x", "1")));
        assertInvalid(check(fixture.tx(writesUndefined).envelope()), TxValidationCode.UNDEFINED_CONTRACT, true,
                "no contract 'nowhere' is defined on trade");

        ByteString ledgerWritesAssets = transaction(header(fixture.client1), invocation("ledger"),
                rwset(ns("ledger").addWrites(write("x", "1")), ns(CONTRACT).addWrites(write("a", "1"))),
                List.of(fixture.peer1), fixture.client1, UnaryOperator.identity());
        assertInvalid(check(ledgerWritesAssets), TxValidationCode.ENDORSEMENT_POLICY_FAILURE, true,
                "of assets not satisfied");
    }

    @Test
    void anInvokedContractWithoutDefinitionIsUndefined() {
        ByteString envelope = transaction(header(fixture.client1), invocation("nowhere"),
                rwset(ns("nowhere").addReads(readAbsent("a"))), List.of(fixture.peer1, fixture.peer2), fixture.client1,
                UnaryOperator.identity());
        assertInvalid(check(envelope), TxValidationCode.UNDEFINED_CONTRACT, true, "no contract 'nowhere'");
    }

    @Test
    void aTransactionOtherThanADefinitionMayNotTouchOrInvokeTheReservedNamespace() {
        TxReadWriteSet touchesLifecycle = rwset(ns(CONTRACT).addWrites(write("a", "1")),
                ns("_lifecycle").addReads(readAbsent("definitions/assets")));
        assertInvalid(check(fixture.tx(touchesLifecycle).envelope()), TxValidationCode.UNDEFINED_CONTRACT, true,
                "namespace '_lifecycle' is reserved to the peer");

        ByteString invokesReserved = transaction(header(fixture.client1), invocation("_other"), rwset(),
                List.of(fixture.peer1, fixture.peer2), fixture.client1, UnaryOperator.identity());
        assertInvalid(check(invokesReserved), TxValidationCode.UNDEFINED_CONTRACT, true, "contract '_other' is reserved");
    }

    // ---- lifecycle transactions ----

    @Test
    void anApprovalByAnAdminEndorsedByAPeerOfItsOrganizationIsValid() {
        TxCheck check = check(approval(admin1, "Org1", fixture.peer1));

        assertThat(check.code()).as(check.detail()).isEqualTo(TxValidationCode.VALID);
        assertThat(passed(check).lifecycle()).contains(new LifecycleWrite.Approve("Org1", DEFINITION));
    }

    @Test
    void anApprovalNeedsAnAdminOfAnApplicationOrganizationAndAPeerOfIt() {
        assertInvalid(check(approval(fixture.client1, "Org1", fixture.peer1)), TxValidationCode.APPROVAL_NOT_OWN_ORGANIZATION,
                true, "not by client1 (client)");
        assertInvalid(check(approval(admin1, "Org1", fixture.peer2)), TxValidationCode.ENDORSEMENT_POLICY_FAILURE, true,
                "needs the endorsement of a peer of Org1");
        assertInvalid(check(approval(admin1, "Org2", fixture.peer2)), TxValidationCode.APPROVAL_NOT_OWN_ORGANIZATION, true,
                "may approve for Org1 only");
    }

    @Test
    void anOrganizationThatRunsTheConsenterDoesNotApprove() {
        ChannelConfig withConsenter = fixture.config().toBuilder()
                .putPolicies("Writers", "OR('Org1.member', 'Org2.member', 'OrdererOrg.member')")
                .setOrderer(OrdererConfig.newBuilder().addConsenters(Consenter.newBuilder()
                        .setIdentity(ChannelFixture.identity(fixture.orderer))))
                .build();
        TestPki.Credential ordererAdmin = fixture.pki.organization("OrdererOrg").enroll("ordereradmin", Role.ADMIN);
        try (BlockValidator ordered = new BlockValidator(ChannelContext.of(withConsenter, Clock.systemUTC()),
                namespace -> Optional.empty())) {
            TxCheck check = ordered.checkTransaction(0, approval(ordererAdmin, "OrdererOrg", fixture.orderer));
            assertInvalid(check, TxValidationCode.APPROVAL_NOT_OWN_ORGANIZATION, true,
                    "OrdererOrg is not an application organization of trade");
        }
    }

    @Test
    void aCommitByAnAdminSatisfyingLifecycleEndorsementIsValid() {
        TxCheck check = check(commit(admin1, fixture.peer1, fixture.peer2));

        assertThat(check.code()).as(check.detail()).isEqualTo(TxValidationCode.VALID);
        assertThat(passed(check).lifecycle()).containsInstanceOf(LifecycleWrite.Commit.class);
    }

    @Test
    void aCommitNeedsAnAdminAndLifecycleEndorsement() {
        assertInvalid(check(commit(fixture.client1, fixture.peer1, fixture.peer2)), TxValidationCode.UNAUTHORIZED_CREATOR,
                true, "committed by an organization admin, not by client1");
        assertInvalid(check(commit(admin2, fixture.peer1)), TxValidationCode.ENDORSEMENT_POLICY_FAILURE, true,
                "does not satisfy LifecycleEndorsement");
    }

    @Test
    void aRetiredSingleStepDefinitionCountsLifecycleEndorsement() {
        TestClient.Proposed define = TestClient.define(admin1, DEFINITION);
        TxReadWriteSet results = rwset(ns("_lifecycle").addReads(readAbsent("definitions/assets"))
                .addWrites(write("definitions/assets", DEFINITION.toByteString())));

        TxCheck endorsed = check(TestClient.forged(define, results, fixture.peer1, fixture.peer2));
        assertThat(endorsed.code()).as(endorsed.detail()).isEqualTo(TxValidationCode.VALID);
        assertThat(passed(endorsed).lifecycle()).contains(new LifecycleWrite.Define(DEFINITION));

        assertInvalid(check(TestClient.forged(TestClient.define(admin1, DEFINITION), results, fixture.peer1)),
                TxValidationCode.ENDORSEMENT_POLICY_FAILURE, true, "the definition of assets does not satisfy");
    }

    @Test
    void aLifecycleTransactionOfTheWrongFormIsABadDefinition() {
        TestClient.Proposed readiness = TestClient.readiness(admin1, DEFINITION);
        assertInvalid(check(TestClient.forged(readiness, approvalResults("Org1"), fixture.peer1)),
                TxValidationCode.BAD_CONTRACT_DEFINITION, true, "is a query");
    }

    @Test
    void aDefinitionWithWellFormedCollectionsOfTheChannelsOrganizationsIsValid() {
        ContractDefinition withCollection = DEFINITION.toBuilder().addCollections(collection("prices", "OR('Org1.member', 'Org2.member')"))
                .build();
        TxCheck approval = check(approvalOf(withCollection, admin1, "Org1", fixture.peer1));
        assertThat(approval.code()).as(approval.detail()).isEqualTo(TxValidationCode.VALID);
        assertThat(passed(approval).lifecycle()).contains(new LifecycleWrite.Approve("Org1", withCollection));

        TxCheck commit = check(commitOf(withCollection, admin1, fixture.peer1, fixture.peer2));
        assertThat(commit.code()).as(commit.detail()).isEqualTo(TxValidationCode.VALID);
        assertThat(passed(commit).lifecycle().orElseThrow().definition().getCollectionsList())
                .isEqualTo(withCollection.getCollectionsList());
    }

    @Test
    void aForgedLifecycleTransactionWithBadCollectionsIsABadDefinitionWithTheProblemsCode() {
        ContractDefinition duplicate = DEFINITION.toBuilder().addCollections(collection("prices", "OR('Org1.member')"))
                .addCollections(collection("prices", "OR('Org2.member')")).build();
        assertInvalid(check(approvalOf(duplicate, admin1, "Org1", fixture.peer1)), TxValidationCode.BAD_CONTRACT_DEFINITION,
                true, "COLLECTION_DUPLICATE_NAME: collection 'prices' is defined twice");

        ContractDefinition unknown = DEFINITION.toBuilder().addCollections(collection("prices", "OR('Org1.member', 'Org3.member')"))
                .build();
        assertInvalid(check(approvalOf(unknown, admin1, "Org1", fixture.peer1)), TxValidationCode.BAD_CONTRACT_DEFINITION,
                true, "COLLECTION_UNKNOWN_ORGANIZATION: collection 'prices' names [Org3]");
        assertInvalid(check(commitOf(unknown, admin1, fixture.peer1, fixture.peer2)), TxValidationCode.BAD_CONTRACT_DEFINITION,
                true, "COLLECTION_UNKNOWN_ORGANIZATION");
        // an organization that runs the consenter runs no peer: it is no member of a collection
        ChannelConfig withConsenter = fixture.config().toBuilder().setOrderer(OrdererConfig.newBuilder()
                .addConsenters(Consenter.newBuilder().setIdentity(ChannelFixture.identity(fixture.orderer)))).build();
        ContractDefinition orderer = DEFINITION.toBuilder().addCollections(collection("prices", "OR('OrdererOrg.member')"))
                .build();
        try (BlockValidator ordered = new BlockValidator(ChannelContext.of(withConsenter, Clock.systemUTC()),
                namespace -> Optional.empty())) {
            assertInvalid(ordered.checkTransaction(0, commitOf(orderer, admin1, fixture.peer1, fixture.peer2)),
                    TxValidationCode.BAD_CONTRACT_DEFINITION, true,
                    "COLLECTION_UNKNOWN_ORGANIZATION: collection 'prices' names [OrdererOrg], not application organizations"
                            + " of the channel [Org1, Org2]");
        }

        ContractDefinition aboveMax = DEFINITION.toBuilder().addCollections(collection("prices", "OR('Org1.member')")
                .toBuilder().setRequiredPeerCount(2)).build();
        assertInvalid(check(commitOf(aboveMax, admin1, fixture.peer1, fixture.peer2)), TxValidationCode.BAD_CONTRACT_DEFINITION,
                true, "COLLECTION_REQUIRED_ABOVE_MAX");

        ContractDefinition unparsable = DEFINITION.toBuilder().addCollections(collection("prices", "OR('Org1.member'")).build();
        TxReadWriteSet results = rwset(ns("_lifecycle").addReads(readAbsent("definitions/assets"))
                .addWrites(write("definitions/assets", unparsable.toByteString())));
        assertInvalid(check(TestClient.forged(TestClient.define(admin1, unparsable), results, fixture.peer1, fixture.peer2)),
                TxValidationCode.BAD_CONTRACT_DEFINITION, true, "COLLECTION_POLICY_UNPARSABLE");
    }

    private static CollectionConfig collection(String name, String memberPolicy) {
        return CollectionConfig.newBuilder().setName(name).setMemberPolicy(memberPolicy).setRequiredPeerCount(1)
                .setMaxPeerCount(1).build();
    }

    private static ByteString approvalOf(ContractDefinition definition, TestPki.Credential admin, String mspId,
                                         TestPki.Credential... endorsers) {
        TxReadWriteSet results = rwset(ns("_lifecycle").addReads(readAbsent("definitions/assets"))
                .addWrites(write("approvals/assets/" + mspId, definition.toByteString())));
        return TestClient.forged(TestClient.approve(admin, definition, mspId), results, endorsers);
    }

    private static ByteString commitOf(ContractDefinition definition, TestPki.Credential admin, TestPki.Credential... endorsers) {
        ContractDefinition committed = definition.toBuilder().addApprovedBy("Org1").addApprovedBy("Org2").build();
        TxReadWriteSet results = rwset(ns("_lifecycle").addReads(readAbsent("definitions/assets"))
                .addWrites(write("definitions/assets", committed.toByteString())));
        return TestClient.forged(TestClient.commit(admin, definition), results, endorsers);
    }

    @Test
    void anEndorserNotCountedIsNamedInALifecycleFailure() {
        TestPki.Credential revokedPeer = fixture.pki.organization("Org2").enroll("revokedpeer", Role.PEER);
        context.registry().updateCrls("Org2", List.of(fixture.crl("Org2", revokedPeer)));

        assertInvalid(check(commit(admin1, fixture.peer1, revokedPeer)), TxValidationCode.ENDORSEMENT_POLICY_FAILURE, true,
                "endorsers not counted: [Org2: REVOKED");
    }

    // ---- config transactions ----

    @Test
    void aConfigUpdateSignedByTheAdminsAndWrittenByAnOrdererIsValid() {
        ChannelConfig proposed = proposedConfig();
        TxCheck check = check(configEnvelope(proposed, update(proposed), ordererSigner()));

        assertThat(check.code()).as(check.detail()).isEqualTo(TxValidationCode.VALID);
        assertThat(passed(check).config()).contains(proposed);
        assertThat(passed(check).rwset()).isEqualTo(TxReadWriteSet.getDefaultInstance());
        assertThat(check.authenticated()).isTrue();
    }

    @Test
    void aConfigEnvelopeNotWrittenByAnOrdererOfTheChannelIsInvalid() {
        ChannelConfig proposed = proposedConfig();
        assertInvalid(check(configEnvelope(proposed, update(proposed), new ConfigUpdates.Signer("Org1", admin1))),
                TxValidationCode.INVALID_CONFIG, false, "not written by an orderer");

        ByteString otherChannel = ConfigUpdates.envelope("other", HeaderType.CONFIG, configData(proposed, update(proposed)),
                ordererSigner()).toByteString();
        assertInvalid(check(otherChannel), TxValidationCode.INVALID_CONFIG, false, "is for channel 'other'");
    }

    @Test
    void aConfigEnvelopeWithABadTxIdOrSignatureIsInvalid() {
        ChannelConfig proposed = proposedConfig();
        Envelope sealed = ConfigUpdates.envelope(CHANNEL, HeaderType.CONFIG, configData(proposed, update(proposed)),
                ordererSigner());
        Payload payload = parsePayload(sealed);
        ByteString forgedTxId = Envelopes.seal(payload.getHeader().toBuilder().setTxId("00".repeat(32)).build(),
                payload.getData(), EcdsaSigner.of(fixture.orderer.keys())).toByteString();
        assertInvalid(check(forgedTxId), TxValidationCode.INVALID_CONFIG, false, "tx id is not SHA-256");

        ByteString resigned = Envelopes.seal(payload.getHeader(), payload.getData(), EcdsaSigner.of(fixture.client1.keys()))
                .toByteString();
        assertInvalid(check(resigned), TxValidationCode.INVALID_CONFIG, false, "signature of the CONFIG envelope does not verify");
    }

    @Test
    void aConfigEnvelopeWhoseContentIsNotAnAcceptedUpdateOfThisConfigurationIsInvalid() {
        ChannelConfig proposed = proposedConfig();
        assertInvalid(check(configWith(ByteString.copyFrom(new byte[] {(byte) 0xff}))), TxValidationCode.INVALID_CONFIG,
                true, "does not carry a ConfigEnvelope");
        assertInvalid(check(configWith(ConfigEnvelope.newBuilder().setConfig(proposed).build().toByteString())),
                TxValidationCode.INVALID_CONFIG, true, "lacks its configuration or the update");
        assertInvalid(check(configWith(ConfigEnvelope.newBuilder().setLastUpdate(update(proposed).toByteString()).build()
                .toByteString())), TxValidationCode.INVALID_CONFIG, true, "lacks its configuration or the update");
        assertInvalid(check(configWith(ConfigEnvelope.newBuilder().setConfig(proposed)
                .setLastUpdate(ByteString.copyFrom(new byte[] {(byte) 0xff})).build().toByteString())),
                TxValidationCode.INVALID_CONFIG, true, "the last update is not an envelope");
        assertInvalid(check(configEnvelope(proposed, update(proposed, new ConfigUpdates.Signer("Org1", admin1)),
                ordererSigner())), TxValidationCode.INVALID_CONFIG, true, "refused against configuration sequence 0");
        ChannelConfig other = proposed.toBuilder().putPolicies("Writers", "OR('Org1.member')").build();
        assertInvalid(check(configEnvelope(other, update(proposed), ordererSigner())), TxValidationCode.INVALID_CONFIG,
                true, "not the one its update proposes");
    }

    // ---- whole blocks ----

    @Test
    void aBlockOfTransactionsIsCheckedTransactionByTransactionInOrder() {
        ChannelFixture.Tx good = fixture.tx(contractWrite());
        ChannelFixture.Tx unendorsed = fixture.tx(fixture.client1, contractWrite());
        Block block = fixture.block(fixture.genesis.getHeader(), good, unendorsed);

        PrevalidatedBlock checked = validator.prevalidate(block);

        assertThat(checked.isRefused()).isFalse();
        assertThat(checked.block()).isEqualTo(block);
        assertThat(checked.context()).isSameAs(context);
        assertThat(checked.transactions()).extracting(TxCheck::position, TxCheck::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0, TxValidationCode.VALID),
                org.assertj.core.groups.Tuple.tuple(1, TxValidationCode.ENDORSEMENT_POLICY_FAILURE));
        assertThat(checked.newConfig()).isEmpty();
    }

    @Test
    void aBlockWithoutHeaderDataOrMetadataIsMalformed() {
        Block block = fixture.block(fixture.genesis.getHeader(), fixture.tx(contractWrite()));
        for (Block partial : List.of(block.toBuilder().clearHeader().build(), block.toBuilder().clearData().build(),
                block.toBuilder().clearMetadata().build())) {
            assertRefused(validator.prevalidate(partial), BlockRefusal.MALFORMED_BLOCK, "lacks its header, data or metadata");
        }
    }

    @Test
    void aBlockWhoseDataHashIsNotItsEnvelopesBreaksTheChain() {
        Block block = fixture.block(fixture.genesis.getHeader(), fixture.tx(contractWrite()));
        Block swapped = block.toBuilder().setData(block.getData().toBuilder()
                .setEnvelopes(0, fixture.tx(contractWrite()).envelope())).build();
        assertRefused(validator.prevalidate(swapped), BlockRefusal.BROKEN_CHAIN, "declares a data hash");
    }

    @Test
    void aBlockNotSignedByAnOrdererIsRefused() {
        Block unsigned = Blocks.nextBlock(fixture.genesis.getHeader(), List.of(fixture.tx(contractWrite()).envelope()), 0);
        assertRefused(validator.prevalidate(ChannelFixture.sign(unsigned, fixture.client1)),
                BlockRefusal.BAD_ORDERER_SIGNATURES, "block 1: ");
        assertThat(validator.prevalidate(ChannelFixture.sign(unsigned, fixture.orderer)).isRefused()).isFalse();
    }

    @Test
    void aConfigBlockCarriesItsConfigTransactionAlone() {
        ChannelConfig proposed = proposedConfig();
        ByteString config = configEnvelope(proposed, update(proposed), ordererSigner());

        PrevalidatedBlock alone = validator.prevalidate(fixture.block(fixture.genesis.getHeader(), List.of(config)));
        assertThat(alone.isRefused()).as(alone.refusalDetail()).isFalse();
        assertThat(alone.newConfig()).contains(proposed);

        assertRefused(validator.prevalidate(fixture.block(fixture.genesis.getHeader(),
                List.of(fixture.tx(contractWrite()).envelope(), config))), BlockRefusal.INVALID_CONFIG_UPDATE,
                "carries a CONFIG transaction at position 1 among 2 envelopes");
        ByteString refusedConfig = configEnvelope(proposed, update(proposed, new ConfigUpdates.Signer("Org1", admin1)),
                ordererSigner());
        assertRefused(validator.prevalidate(fixture.block(fixture.genesis.getHeader(),
                List.of(fixture.tx(contractWrite()).envelope(), refusedConfig))), BlockRefusal.INVALID_CONFIG_UPDATE,
                "at position 1 among 2");
        assertRefused(validator.prevalidate(fixture.block(fixture.genesis.getHeader(), List.of(refusedConfig))),
                BlockRefusal.INVALID_CONFIG_UPDATE, "config block 1: the update is refused");
    }

    // ---- what the validator keeps ----

    @Test
    void theValidatorShowsWhatItChecksWith() {
        EndorsementPolicies definitions = namespace -> Optional.empty();
        EcdsaVerifier verifier = new EcdsaVerifier();
        CurrentConfig config = CurrentConfig.fixed(context);
        try (BlockValidator shown = new BlockValidator(config, definitions, verifier, 1)) {
            assertThat(shown.channel()).isSameAs(context);
            assertThat(shown.currentConfig()).isSameAs(config);
            assertThat(shown.endorsementPolicies()).isSameAs(definitions);
            assertThat(shown.verifier()).isSameAs(verifier);
        }
    }

    @Test
    void aClosedValidatorChecksNoMoreBlocks() {
        Block block = fixture.block(fixture.genesis.getHeader(), fixture.tx(contractWrite()));
        validator.close();

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> validator.prevalidate(block)))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    }

    @Test
    void groupsInEndorsementPoliciesCountApplicationOrganizationsOnly() {
        // OrdererOrg runs the consenter: "ALL Endorsement" of a contract asks Org1 and Org2, not OrdererOrg.
        ChannelConfig withConsenter = fixture.config().toBuilder()
                .setOrderer(OrdererConfig.newBuilder().addConsenters(Consenter.newBuilder()
                        .setIdentity(ChannelFixture.identity(fixture.orderer))))
                .build();
        try (BlockValidator ordered = new BlockValidator(ChannelContext.of(withConsenter, Clock.systemUTC()),
                namespace -> Optional.of(PolicyParser.parse("ALL Endorsement")))) {
            TxCheck check = ordered.checkTransaction(0, fixture.tx(contractWrite()).envelope());
            assertThat(check.code()).as(check.detail()).isEqualTo(TxValidationCode.VALID);
        }
    }

    @Test
    void certificateKeysAreEqualForTheSameBytesOnly() {
        byte[] bytes = new byte[40];
        java.util.Arrays.fill(bytes, (byte) 7);
        byte[] sameTail = bytes.clone();
        sameTail[0] = 8; // outside the 32 hashed bytes
        byte[] otherTail = bytes.clone();
        otherTail[39] = 8;
        BlockValidator.CertificateBytes key = new BlockValidator.CertificateBytes(ByteString.copyFrom(bytes));

        assertThat(key).isEqualTo(new BlockValidator.CertificateBytes(ByteString.copyFrom(bytes.clone())));
        assertThat(key.hashCode()).isEqualTo(new BlockValidator.CertificateBytes(ByteString.copyFrom(bytes)).hashCode());
        BlockValidator.CertificateBytes colliding = new BlockValidator.CertificateBytes(ByteString.copyFrom(sameTail));
        assertThat(colliding.hashCode()).as("only the tail is hashed").isEqualTo(key.hashCode());
        assertThat(colliding).as("yet every byte is compared").isNotEqualTo(key);
        assertThat(new BlockValidator.CertificateBytes(ByteString.copyFrom(otherTail)).hashCode())
                .isNotEqualTo(key.hashCode());
        assertThat(key.hashCode()).isNotZero();
        assertThat(key).isNotEqualTo(ByteString.copyFrom(bytes));
    }

    // ---- helpers ----

    @SuppressWarnings("unchecked")
    private static <K, V> Map<K, V> ofPairs(Object... pairs) {
        Map<K, V> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((K) pairs[i], (V) pairs[i + 1]);
        }
        return map;
    }

    private static TxCheck.Passed passed(TxCheck check) {
        assertThat(check).as(check.detail()).isInstanceOf(TxCheck.Passed.class);
        return (TxCheck.Passed) check;
    }

    private TxCheck check(ByteString envelope) {
        return validator.checkTransaction(0, envelope);
    }

    private static void assertInvalid(TxCheck check, TxValidationCode code, boolean authenticated, String detail) {
        assertThat(check.code()).as(check.detail()).isEqualTo(code);
        assertThat(check.isValid()).isFalse();
        assertThat(check).isInstanceOf(TxCheck.Failed.class);
        assertThat(check.authenticated()).as("authenticated").isEqualTo(authenticated);
        assertThat(check.trustedTxId().isPresent()).as("a trusted tx id").isEqualTo(authenticated);
        assertThat(check.detail()).contains(detail);
    }

    private static void assertRefused(PrevalidatedBlock checked, BlockRefusal refusal, String detail) {
        assertThat(checked.isRefused()).isTrue();
        assertThat(checked.refusal()).isEqualTo(refusal);
        assertThat(checked.refusalDetail()).contains(detail);
        assertThat(checked.transactions()).isEmpty();
    }

    private static TxReadWriteSet contractWrite() {
        return rwset(ns(CONTRACT).addWrites(write("a", "1")));
    }

    private static ContractInvocation invocation(String contract) {
        return ContractInvocation.newBuilder().setContractName(contract).setFunction("put").build();
    }

    private static PayloadHeader.Builder header(TestPki.Credential creator) {
        ByteString creatorBytes = ChannelFixture.identity(creator);
        ByteString nonce = TransactionIds.newNonce();
        Instant now = Instant.now();
        return PayloadHeader.newBuilder()
                .setType(HeaderType.ENDORSER_TRANSACTION)
                .setChannelId(CHANNEL)
                .setTxId(TransactionIds.compute(nonce, creatorBytes))
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setCreator(creatorBytes)
                .setNonce(nonce);
    }

    /** A transaction as a client assembles it, endorsed over the proposal of {@code header} and {@code invocation}. */
    private static ByteString transaction(PayloadHeader.Builder header, ContractInvocation invocation, TxReadWriteSet results,
                                          List<TestPki.Credential> endorsers, TestPki.Credential sealer,
                                          UnaryOperator<Transaction> tamper) {
        ByteString invocationBytes = invocation.toByteString();
        return transaction(header, invocation, results, endorsers, sealer, tamper,
                Proposals.hash(header.build().toByteString(), invocationBytes));
    }

    private static ByteString transaction(PayloadHeader.Builder header, ContractInvocation invocation, TxReadWriteSet results,
                                          List<TestPki.Credential> endorsers, TestPki.Credential sealer,
                                          UnaryOperator<Transaction> tamper, ByteString proposalHash) {
        ByteString responsePayload = ProposalResponsePayload.newBuilder()
                .setProposalHash(proposalHash)
                .setResults(results.toByteString())
                .build().toByteString();
        PayloadHeader built = header.build();
        Transaction transaction = tamper.apply(action(built, invocation.toByteString(), responsePayload, endorsers));
        return Envelopes.seal(built, transaction.toByteString(), EcdsaSigner.of(sealer.keys())).toByteString();
    }

    private static ByteString assembled(PayloadHeader header, ByteString invocation, ByteString responsePayload,
                                        List<TestPki.Credential> endorsers, TestPki.Credential sealer) {
        return Envelopes.seal(header, action(header, invocation, responsePayload, endorsers).toByteString(),
                EcdsaSigner.of(sealer.keys())).toByteString();
    }

    private static Transaction action(PayloadHeader header, ByteString invocation, ByteString responsePayload,
                                      List<TestPki.Credential> endorsers) {
        EndorsedAction.Builder endorsed = EndorsedAction.newBuilder()
                .setProposalPayload(invocation)
                .setProposalResponsePayload(responsePayload);
        for (TestPki.Credential endorser : endorsers) {
            endorsed.addEndorsements(Endorsements.endorse(responsePayload, EcdsaSigner.of(endorser.keys()),
                    ChannelFixture.identity(endorser)));
        }
        return Transaction.newBuilder()
                .addActions(TransactionAction.newBuilder().setHeader(header.toByteString()).setEndorsedAction(endorsed))
                .build();
    }

    private static Transaction withEndorsements(Transaction transaction, List<Endorsement> endorsements) {
        TransactionAction action = transaction.getActions(0);
        return transaction.toBuilder().setActions(0, action.toBuilder().setEndorsedAction(action.getEndorsedAction()
                .toBuilder().clearEndorsements().addAllEndorsements(endorsements))).build();
    }

    private static TxReadWriteSet approvalResults(String mspId) {
        return rwset(ns("_lifecycle").addReads(readAbsent("definitions/assets"))
                .addWrites(write("approvals/assets/" + mspId, DEFINITION.toByteString())));
    }

    private static ByteString approval(TestPki.Credential admin, String mspId, TestPki.Credential... endorsers) {
        return TestClient.forged(TestClient.approve(admin, DEFINITION, mspId), approvalResults(mspId), endorsers);
    }

    private static ByteString commit(TestPki.Credential admin, TestPki.Credential... endorsers) {
        ContractDefinition committed = DEFINITION.toBuilder().addApprovedBy("Org1").addApprovedBy("Org2").build();
        TxReadWriteSet results = rwset(ns("_lifecycle").addReads(readAbsent("definitions/assets"))
                .addWrites(write("definitions/assets", committed.toByteString())));
        return TestClient.forged(TestClient.commit(admin, DEFINITION), results, endorsers);
    }

    // ---- config helpers ----

    private ConfigUpdates.Signer ordererSigner() {
        return new ConfigUpdates.Signer("OrdererOrg", fixture.orderer);
    }

    /** The fixture's configuration with a wider Writers policy and a consenter, sequence 1. */
    private ChannelConfig proposedConfig() {
        return fixture.config().toBuilder().setSequence(1)
                .putPolicies("Writers", "OR('Org1.member', 'Org2.member', 'OrdererOrg.member')")
                .setOrderer(OrdererConfig.newBuilder().addConsenters(Consenter.newBuilder()
                        .setEndpoint(io.charter.protocol.Endpoint.newBuilder().setHost("127.0.0.1").setPort(7050))))
                .build();
    }

    /** The proposal signed by a majority of the channel's admins (Org1's and Org2's), submitted by Org1's. */
    private Envelope update(ChannelConfig proposed) {
        return update(proposed, new ConfigUpdates.Signer("Org1", admin1), new ConfigUpdates.Signer("Org2", admin2));
    }

    private Envelope update(ChannelConfig proposed, ConfigUpdates.Signer... admins) {
        return ConfigUpdates.envelope(CHANNEL, proposed, List.of(admins), new ConfigUpdates.Signer("Org1", admin1));
    }

    private static ByteString configData(ChannelConfig config, Envelope update) {
        return ConfigEnvelope.newBuilder().setConfig(config).setLastUpdate(update.toByteString()).build().toByteString();
    }

    private static ByteString configEnvelope(ChannelConfig config, Envelope update, ConfigUpdates.Signer writer) {
        return ConfigUpdates.envelope(CHANNEL, HeaderType.CONFIG, configData(config, update), writer).toByteString();
    }

    private ByteString configWith(ByteString data) {
        return ConfigUpdates.envelope(CHANNEL, HeaderType.CONFIG, data, ordererSigner()).toByteString();
    }

    private static Payload parsePayload(Envelope envelope) {
        try {
            return Payload.parseFrom(envelope.getPayload());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
