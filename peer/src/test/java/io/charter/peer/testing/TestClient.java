package io.charter.peer.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.TransactionIds;
import io.charter.common.testing.TestPki;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.ContractInvocation;
import io.charter.protocol.EndorsedAction;
import io.charter.protocol.HeaderType;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.Proposal;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.SignedProposal;
import io.charter.protocol.Transaction;
import io.charter.protocol.TransactionAction;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Builds proposals and transactions the way a client application (the SDK) does. */
public final class TestClient {

    private TestClient() {}

    public record Proposed(String txId, PayloadHeader header, Proposal proposal, SignedProposal signed,
                           TestPki.Credential creator) {}

    /** A signed ENDORSER_TRANSACTION proposal invoking {@code contract.function(args)} on the fixture's channel. */
    public static Proposed invoke(TestPki.Credential creator, String contract, String function, String... args) {
        return propose(creator, HeaderType.ENDORSER_TRANSACTION, ChannelFixture.CHANNEL, Instant.now(), contract, function,
                Arrays.stream(args).map(ByteString::copyFromUtf8).toList());
    }

    /** As {@link #invoke}, with private inputs in the proposal's transient map (outside what is signed and ordered). */
    public static Proposed invokeWithTransient(TestPki.Credential creator, java.util.Map<String, String> transientData,
                                               String contract, String function, String... args) {
        Proposed plain = invoke(creator, contract, function, args);
        Proposal.Builder proposal = plain.proposal().toBuilder();
        transientData.forEach((name, value) -> proposal.putTransientMap(name, ByteString.copyFromUtf8(value)));
        ByteString bytes = proposal.build().toByteString();
        SignedProposal signed = SignedProposal.newBuilder()
                .setProposalBytes(bytes)
                .setSignature(ByteString.copyFrom(EcdsaSigner.of(creator.keys()).sign(bytes.toByteArray())))
                .build();
        return new Proposed(plain.txId(), plain.header(), proposal.build(), signed, creator);
    }

    /** A signed {@code _lifecycle.approve(definition, mspId)} proposal: {@code admin} approves for {@code mspId}. */
    public static Proposed approve(TestPki.Credential admin, ContractDefinition definition, String mspId) {
        return propose(admin, HeaderType.CONTRACT_DEFINITION, ChannelFixture.CHANNEL, Instant.now(), "_lifecycle", "approve",
                List.of(definition.toByteString(), ByteString.copyFromUtf8(mspId)));
    }

    /** A signed {@code _lifecycle.commit(definition)} proposal. */
    public static Proposed commit(TestPki.Credential admin, ContractDefinition definition) {
        return propose(admin, HeaderType.CONTRACT_DEFINITION, ChannelFixture.CHANNEL, Instant.now(), "_lifecycle", "commit",
                List.of(definition.toByteString()));
    }

    /** A signed {@code _lifecycle.readiness(definition)} query. */
    public static Proposed readiness(TestPki.Credential creator, ContractDefinition definition) {
        return propose(creator, HeaderType.CONTRACT_DEFINITION, ChannelFixture.CHANNEL, Instant.now(), "_lifecycle", "readiness",
                List.of(definition.toByteString()));
    }

    /**
     * The envelope of {@code proposed} with results {@code rwset} signed directly by {@code endorsers}' keys, without
     * asking any peer: transactions that no honest peer would endorse today (a retired single-step definition as
     * older peers endorsed it, a forged approval).
     */
    public static ByteString forged(Proposed proposed, io.charter.protocol.TxReadWriteSet rwset, TestPki.Credential... endorsers) {
        ByteString payload = io.charter.protocol.ProposalResponsePayload.newBuilder()
                .setProposalHash(io.charter.common.protocol.Proposals.hash(proposed.proposal()))
                .setResults(rwset.toByteString())
                .build().toByteString();
        EndorsedAction.Builder endorsed = EndorsedAction.newBuilder()
                .setProposalPayload(proposed.proposal().getPayload())
                .setProposalResponsePayload(payload);
        for (TestPki.Credential endorser : endorsers) {
            endorsed.addEndorsements(io.charter.common.protocol.Endorsements.endorse(payload, EcdsaSigner.of(endorser.keys()),
                    ChannelFixture.identity(endorser)));
        }
        Transaction transaction = Transaction.newBuilder()
                .addActions(TransactionAction.newBuilder().setHeader(proposed.proposal().getHeader()).setEndorsedAction(endorsed))
                .build();
        return Envelopes.seal(proposed.header(), transaction.toByteString(), EcdsaSigner.of(proposed.creator().keys()))
                .toByteString();
    }

    /** A signed CONTRACT_DEFINITION proposal: {@code _lifecycle.define(definition)}, the retired single step. */
    public static Proposed define(TestPki.Credential admin, ContractDefinition definition) {
        return propose(admin, HeaderType.CONTRACT_DEFINITION, ChannelFixture.CHANNEL, Instant.now(), "_lifecycle", "define",
                List.of(definition.toByteString()));
    }

    public static Proposed propose(TestPki.Credential creator, HeaderType type, String channel, Instant timestamp,
                                   String contract, String function, List<ByteString> args) {
        ByteString creatorBytes = ChannelFixture.identity(creator);
        ByteString nonce = TransactionIds.newNonce();
        PayloadHeader header = PayloadHeader.newBuilder()
                .setType(type)
                .setChannelId(channel)
                .setTxId(TransactionIds.compute(nonce, creatorBytes))
                .setTimestamp(Timestamp.newBuilder().setSeconds(timestamp.getEpochSecond()).setNanos(timestamp.getNano()))
                .setCreator(creatorBytes)
                .setNonce(nonce)
                .build();
        return sign(creator, header, ContractInvocation.newBuilder().setContractName(contract).setFunction(function)
                .addAllArgs(args).build());
    }

    /** Serializes and signs a proposal of {@code header} and {@code invocation} as {@code creator}. */
    public static Proposed sign(TestPki.Credential creator, PayloadHeader header, ContractInvocation invocation) {
        Proposal proposal = Proposal.newBuilder()
                .setHeader(header.toByteString())
                .setPayload(invocation.toByteString())
                .build();
        ByteString bytes = proposal.toByteString();
        SignedProposal signed = SignedProposal.newBuilder()
                .setProposalBytes(bytes)
                .setSignature(ByteString.copyFrom(EcdsaSigner.of(creator.keys()).sign(bytes.toByteArray())))
                .build();
        return new Proposed(header.getTxId(), header, proposal, signed, creator);
    }

    /**
     * The envelope a client broadcasts: the proposal with the endorsements of {@code responses}, which
     * must all be endorsed and carry the same payload.
     */
    public static ByteString transaction(Proposed proposed, List<ProposalResponse> responses) {
        if (responses.isEmpty()) {
            throw new IllegalArgumentException("no endorsement");
        }
        ByteString payload = responses.getFirst().getPayload();
        EndorsedAction.Builder endorsed = EndorsedAction.newBuilder()
                .setProposalPayload(proposed.proposal().getPayload())
                .setProposalResponsePayload(payload);
        for (ProposalResponse response : responses) {
            if (response.getResponse().getStatus() != 200 || !response.hasEndorsement()) {
                throw new IllegalArgumentException("not endorsed: " + response.getResponse().getMessage());
            }
            if (!response.getPayload().equals(payload)) {
                throw new IllegalArgumentException("the endorsers disagree: their response payloads differ");
            }
            endorsed.addEndorsements(response.getEndorsement());
        }
        Transaction transaction = Transaction.newBuilder()
                .addActions(TransactionAction.newBuilder().setHeader(proposed.proposal().getHeader()).setEndorsedAction(endorsed))
                .build();
        return Envelopes.seal(proposed.header(), transaction.toByteString(), EcdsaSigner.of(proposed.creator().keys()))
                .toByteString();
    }
}
