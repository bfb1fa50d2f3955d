package io.charter.client.sdk;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.TransactionIds;
import io.charter.protocol.ContractInvocation;
import io.charter.protocol.EndorsedAction;
import io.charter.protocol.Endorsement;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.Proposal;
import io.charter.protocol.SignedProposal;
import io.charter.protocol.Transaction;
import io.charter.protocol.TransactionAction;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Builds signed proposals and the envelopes that carry their endorsements, with common's encodings
 * (tx id = SHA-256(nonce ‖ creator), signatures over the bytes as carried).
 */
final class SignedProposalBuilder {

    /** A proposal as signed, kept whole: its header and payload bytes go into the transaction unchanged. */
    record Proposed(String txId, PayloadHeader header, Proposal proposal, SignedProposal signed) {}

    private final Identity identity;
    private final Clock clock;

    SignedProposalBuilder(Identity identity, Clock clock) {
        this.identity = identity;
        this.clock = clock;
    }

    Proposed invoke(String channel, String contract, Invocation invocation) {
        ContractInvocation.Builder call = ContractInvocation.newBuilder().setContractName(contract)
                .setFunction(invocation.function());
        invocation.args().forEach(a -> call.addArgs(ByteString.copyFrom(a)));
        Proposal.Builder proposal = Proposal.newBuilder();
        invocation.transientData().forEach((k, v) -> proposal.putTransientMap(k, ByteString.copyFrom(v)));
        return propose(HeaderType.ENDORSER_TRANSACTION, channel, call.build(), proposal);
    }

    Proposed propose(HeaderType type, String channel, ContractInvocation invocation, Proposal.Builder proposal) {
        ByteString creator = identity.serialized();
        ByteString nonce = TransactionIds.newNonce();
        Instant now = clock.instant();
        PayloadHeader header = PayloadHeader.newBuilder()
                .setType(type)
                .setChannelId(channel)
                .setTxId(TransactionIds.compute(nonce, creator))
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setCreator(creator)
                .setNonce(nonce)
                .build();
        Proposal built = proposal.setHeader(header.toByteString()).setPayload(invocation.toByteString()).build();
        ByteString bytes = built.toByteString();
        SignedProposal signed = SignedProposal.newBuilder()
                .setProposalBytes(bytes)
                .setSignature(ByteString.copyFrom(identity.signer().sign(bytes.toByteArray())))
                .build();
        return new Proposed(header.getTxId(), header, built, signed);
    }

    /** The signed envelope of {@code proposed} with {@code endorsements}, all over {@code responsePayload}. */
    Envelope envelope(Proposed proposed, ByteString responsePayload, List<Endorsement> endorsements) {
        EndorsedAction action = EndorsedAction.newBuilder()
                .setProposalPayload(proposed.proposal().getPayload())
                .setProposalResponsePayload(responsePayload)
                .addAllEndorsements(endorsements)
                .build();
        Transaction transaction = Transaction.newBuilder()
                .addActions(TransactionAction.newBuilder().setHeader(proposed.proposal().getHeader()).setEndorsedAction(action))
                .build();
        return Envelopes.seal(proposed.header(), transaction.toByteString(), identity.signer());
    }
}
