package io.charter.peer.endorsement;

import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.identity.ValidationResult;
import io.charter.common.lifecycle.DefinitionRules;
import io.charter.common.pki.Role;
import io.charter.common.policy.Evaluation;
import io.charter.common.protocol.TransactionIds;
import io.charter.peer.contract.ContractFailure;
import io.charter.peer.validation.ChannelContext;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.ContractInvocation;
import io.charter.protocol.HeaderType;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.Proposal;
import io.charter.protocol.SerializedIdentity;
import io.charter.protocol.SignedProposal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The checks of a proposal that need no ledger, split out of the {@link Endorser} so that they are tested (and
 * mutation tested) without a database: what the bytes are ({@link #parse}), who sent them and whether they may
 * ({@link #authenticate}), and what a lifecycle proposal asks ({@link #lifecycleRequest}). Each step passes its
 * result on or fails with the refusal the client receives; the endorser runs them in this order and adds the
 * checks that read the ledger (replays, contract definitions). Thread-safe.
 */
final class ProposalChecks {

    /** What a step gives the next one, or the refusal that ends the endorsement. */
    sealed interface Outcome<T> {
        record Passed<T>(T value) implements Outcome<T> {}

        record Failed<T>(EndorsementResult result) implements Outcome<T> {}
    }

    /** A proposal whose bytes parse, with every field the later checks read present. */
    record Parsed(SignedProposal signed, Proposal proposal, PayloadHeader header, ContractInvocation invocation,
                  SerializedIdentity creator) {
        boolean definition() {
            return header.getType() == HeaderType.CONTRACT_DEFINITION;
        }
    }

    /** A proposal whose creator is a valid writer of the channel and signed it, within the window, tx id correct. */
    record Authenticated(Parsed parsed, ValidatedIdentity caller, Instant timestamp, Instant now) {}

    /** A lifecycle proposal's function ({@code approve}, {@code commit}, {@code readiness}) and well-formed definition. */
    record LifecycleRequest(String function, ContractDefinition definition) {}

    private final String ownMspId;
    private final Clock clock;
    private final Duration proposalWindow;
    private final EcdsaVerifier verifier;

    ProposalChecks(String ownMspId, Clock clock, Duration proposalWindow, EcdsaVerifier verifier) {
        this.ownMspId = Objects.requireNonNull(ownMspId, "ownMspId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.proposalWindow = Objects.requireNonNull(proposalWindow, "proposalWindow");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /**
     * The bytes parse (Proposal, header, invocation, creator); the header type is ENDORSER_TRANSACTION or
     * CONTRACT_DEFINITION; a creator, a contract, a function and a timestamp are named.
     */
    Outcome<Parsed> parse(SignedProposal signed) {
        if (signed.getProposalBytes().isEmpty()) {
            return refused(RefusalReason.MALFORMED_PROPOSAL, "the signed proposal carries no proposal");
        }
        Proposal proposal;
        PayloadHeader header;
        ContractInvocation invocation;
        SerializedIdentity creator;
        try {
            proposal = Proposal.parseFrom(signed.getProposalBytes());
            header = PayloadHeader.parseFrom(proposal.getHeader());
            invocation = ContractInvocation.parseFrom(proposal.getPayload());
            creator = SerializedIdentity.parseFrom(header.getCreator());
        } catch (InvalidProtocolBufferException e) {
            return refused(RefusalReason.MALFORMED_PROPOSAL, "the proposal does not parse: " + e.getMessage());
        }
        if (header.getType() != HeaderType.ENDORSER_TRANSACTION && header.getType() != HeaderType.CONTRACT_DEFINITION) {
            return refused(RefusalReason.MALFORMED_PROPOSAL, "header type " + header.getType() + " is not endorsed");
        }
        if (creator.getMspId().isEmpty() || creator.getCertificate().isEmpty()) {
            return refused(RefusalReason.MALFORMED_PROPOSAL, "the header names no creator");
        }
        if (invocation.getContractName().isEmpty() || invocation.getFunction().isEmpty()) {
            return refused(RefusalReason.MALFORMED_PROPOSAL, "the invocation names no contract or no function");
        }
        if (!header.hasTimestamp()) {
            return refused(RefusalReason.MALFORMED_PROPOSAL, "the header has no timestamp");
        }
        return new Outcome.Passed<>(new Parsed(signed, proposal, header, invocation, creator));
    }

    /**
     * Against the channel's configuration in force: this peer's organization is still a member; tx id =
     * SHA-256(nonce ‖ creator); the timestamp is within the proposal window; the creator's certificate is a valid
     * identity of a channel organization (revoked / expired / otherwise); the creator satisfies Writers; the
     * signature verifies with the creator's key.
     */
    Outcome<Authenticated> authenticate(Parsed parsed, ChannelContext context) {
        if (!context.registry().mspIds().contains(ownMspId)) {
            return refused(RefusalReason.PEER_NOT_IN_CHANNEL, "this peer's organization " + ownMspId
                    + " is not a member of channel " + context.channelId() + " in its configuration sequence "
                    + context.config().getSequence() + "; this peer no longer endorses for it");
        }
        PayloadHeader header = parsed.header();
        String txId = header.getTxId();
        if (header.getNonce().isEmpty() || !txId.equals(TransactionIds.compute(header.getNonce(), header.getCreator()))) {
            return refused(RefusalReason.BAD_TXID, "tx id '" + txId + "' is not SHA-256(nonce || creator)");
        }
        Instant now = clock.instant();
        Instant timestamp = Instant.ofEpochSecond(header.getTimestamp().getSeconds(), header.getTimestamp().getNanos());
        if (Duration.between(timestamp, now).abs().compareTo(proposalWindow) > 0) {
            return refused(RefusalReason.STALE_PROPOSAL, "the proposal is from " + timestamp + ", more than "
                    + proposalWindow + " from this peer's clock (" + now + ")");
        }
        SerializedIdentity creator = parsed.creator();
        ValidationResult creatorResult = context.identities().validate(creator.getMspId(), creator.getCertificate());
        if (!(creatorResult instanceof ValidationResult.Valid valid)) {
            ValidationResult.Rejected rejected = (ValidationResult.Rejected) creatorResult;
            RefusalReason reason = switch (rejected.reason()) {
                case REVOKED -> RefusalReason.CREATOR_REVOKED;
                case EXPIRED, NOT_YET_VALID -> RefusalReason.CREATOR_EXPIRED;
                default -> RefusalReason.CREATOR_INVALID;
            };
            return refused(reason, "creator " + creator.getMspId() + ": " + rejected);
        }
        ValidatedIdentity caller = valid.validatedIdentity();
        Evaluation writers = context.evaluate(context.writers(), List.of(caller));
        if (!writers.satisfied()) {
            return refused(RefusalReason.CREATOR_NOT_WRITER, caller.enrollmentId() + " (" + caller.mspId()
                    + ") may not write to " + context.channelId() + ": " + writers.explanation());
        }
        SignedProposal signed = parsed.signed();
        if (!verifier.verify(caller.certificate().getPublicKey(), signed.getProposalBytes().toByteArray(),
                signed.getSignature().toByteArray())) {
            return refused(RefusalReason.BAD_SIGNATURE, "the signature does not verify with the creator's key");
        }
        return new Outcome.Passed<>(new Authenticated(parsed, caller, timestamp, now));
    }

    /**
     * A CONTRACT_DEFINITION proposal: it invokes {@code _lifecycle.approve(definition, mspId)}, {@code commit(definition)}
     * or {@code readiness(definition)} (the retired {@code define} is refused as such); approvals and commits come from
     * an admin; the definition parses and is well-formed ({@link DefinitionRules}, its collections naming application
     * organizations of the channel only), else {@code CONTRACT_ERROR} with the problem's code; an approval is for the caller's own
     * organization, an application organization of the channel.
     */
    Outcome<LifecycleRequest> lifecycleRequest(ContractInvocation invocation, ValidatedIdentity caller,
                                               ChannelContext context) {
        if (!invocation.getContractName().equals(DefinitionRules.NAMESPACE)) {
            return refused(RefusalReason.MALFORMED_PROPOSAL, "a lifecycle proposal invokes " + DefinitionRules.NAMESPACE);
        }
        String function = invocation.getFunction();
        if (function.equals(DefinitionRules.DEFINE)) {
            return refused(RefusalReason.DEFINE_RETIRED, "single-step definitions are retired: each organization's admin"
                    + " approves the definition (charter contract approve), then an admin commits it (charter contract commit)"
                    + " once the approvals satisfy the channel's LifecycleEndorsement");
        }
        int args = function.equals(DefinitionRules.APPROVE) ? 2 : 1;
        if (!List.of(DefinitionRules.APPROVE, DefinitionRules.COMMIT, DefinitionRules.READINESS).contains(function)
                || invocation.getArgsCount() != args) {
            return refused(RefusalReason.MALFORMED_PROPOSAL, "a lifecycle proposal invokes " + DefinitionRules.NAMESPACE
                    + "." + DefinitionRules.APPROVE + "(definition, mspId), " + DefinitionRules.READINESS
                    + "(definition) or " + DefinitionRules.COMMIT + "(definition)");
        }
        if (!function.equals(DefinitionRules.READINESS) && caller.role() != Role.ADMIN) {
            return refused(RefusalReason.CREATOR_NOT_ADMIN, "contracts are approved and committed by organization admins,"
                    + " not by " + caller.enrollmentId() + " (" + caller.role().label() + ")");
        }
        ContractDefinition definition;
        try {
            definition = ContractDefinition.parseFrom(invocation.getArgs(0));
        } catch (InvalidProtocolBufferException e) {
            return refused(RefusalReason.MALFORMED_PROPOSAL, "the argument is not a ContractDefinition");
        }
        var problem = DefinitionRules.check(definition, context.applicationOrganizations());
        if (problem.isPresent()) {
            return new Outcome.Failed<>(new EndorsementResult.ContractFailed(ContractFailure.CONTRACT_ERROR,
                    problem.get().code().name(), problem.get().message()));
        }
        if (function.equals(DefinitionRules.APPROVE)) {
            String mspId = invocation.getArgs(1).toStringUtf8();
            if (!mspId.equals(caller.mspId())) {
                return refused(RefusalReason.APPROVAL_NOT_OWN_ORGANIZATION, caller.enrollmentId() + " is an admin of "
                        + caller.mspId() + " and may approve for " + caller.mspId() + " only, not for '" + mspId
                        + "'; an admin of " + mspId + " approves for it");
            }
            if (!context.applicationOrganizations().contains(mspId)) {
                return refused(RefusalReason.APPROVAL_NOT_OWN_ORGANIZATION, mspId + " is not an application organization of "
                        + context.channelId() + " " + context.applicationOrganizations() + "; only they approve contracts");
            }
        }
        return new Outcome.Passed<>(new LifecycleRequest(function, definition));
    }

    private static <T> Outcome<T> refused(RefusalReason reason, String detail) {
        return new Outcome.Failed<>(new EndorsementResult.Refused(reason, detail));
    }
}
