package io.charter.peer.endorsement;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.lifecycle.DefinitionProblem;
import io.charter.common.lifecycle.DefinitionRules;
import io.charter.common.protocol.Endorsements;
import io.charter.common.protocol.Proposals;
import io.charter.contract.ClientIdentity;
import io.charter.contract.ContractException;
import io.charter.contract.Transaction;
import io.charter.peer.contract.ContractFailure;
import io.charter.peer.contract.ContractFunction;
import io.charter.peer.contract.ContractLoadException;
import io.charter.peer.contract.ContractRuntime;
import io.charter.peer.contract.InvocationResult;
import io.charter.peer.contract.LoadedContract;
import io.charter.peer.ledger.LedgerException;
import io.charter.peer.ledger.TxRecord;
import io.charter.peer.lifecycle.DefinedContract;
import io.charter.peer.lifecycle.Lifecycle;
import io.charter.peer.lifecycle.Approvals;
import io.charter.protocol.ApprovalReadiness;
import io.charter.protocol.OrganizationApproval;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import io.charter.peer.simulation.SimulationResults;
import io.charter.peer.simulation.PrivateDataAccess;
import io.charter.peer.privatedata.Collection;
import io.charter.peer.privatedata.Dissemination;
import java.util.List;
import io.charter.peer.simulation.TransactionInfo;
import io.charter.peer.simulation.TransactionSimulator;
import io.charter.peer.validation.ChannelContext;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.ContractInvocation;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.Proposal;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.ProposalResponsePayload;
import io.charter.protocol.Response;
import io.charter.protocol.SignedProposal;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Endorses proposals: checks a {@link SignedProposal}, simulates the contract it invokes against the
 * channel's current state, and signs the result. Nothing is ever written to the ledger here.
 *
 * <p>Checks, in order; the first failure refuses the proposal with its {@link RefusalReason}: the
 * bytes parse (SignedProposal, Proposal, header, invocation; header type ENDORSER_TRANSACTION or
 * CONTRACT_DEFINITION); the channel is joined; tx id = SHA-256(nonce ‖ creator); the timestamp is
 * within the proposal window; the creator's certificate is valid (revoked / expired / otherwise); the
 * creator satisfies Writers; the signature verifies; the tx id is neither in the ledger nor seen within
 * the window; the contract is defined and installed (for the lifecycle, see below). The checks that need no
 * ledger are {@link ProposalChecks}'; this class adds the channel lookup, the replay checks and the contract's.
 *
 * <p>Then the contract runs in a {@link TransactionSimulator} on the contract's threads with its time
 * limit. A failure gives {@link EndorsementResult.ContractFailed} (status 500, not endorsed); success
 * gives a ProposalResponse with status 200, the contract's return value as response payload, and an
 * endorsement over the {@link ProposalResponsePayload} (proposal hash, read-write set, events) made with
 * the peer's key. Note that the response payload (the return value) is outside what is signed, as the
 * protocol's ProposalResponsePayload has no field for it.
 *
 * <p>CONTRACT_DEFINITION proposals run the built-in lifecycle instead of a contract (see
 * {@link Lifecycle}): {@code approve(definition, mspId)} by an admin of {@code mspId} writes its organization's
 * approval; {@code commit(definition)} by an admin writes the definition with the application organizations whose
 * approval is exactly it, when they satisfy LifecycleEndorsement; {@code readiness(definition)} answers
 * {@code ApprovalReadiness}; the retired {@code define} is refused ({@link RefusalReason#DEFINE_RETIRED}). The
 * definition must be well-formed with sequence = committed + 1; the simulation reads the current definition's key
 * (so MVCC orders concurrent definitions) and the approvals it counts. Thread-safe.
 */
public final class Endorser {

    private static final Logger LOG = LoggerFactory.getLogger(Endorser.class);

    private final SigningIdentity identity;
    private final Function<String, Optional<EndorsingChannel>> channels;
    private final ContractRuntime runtime;
    private final ProposalChecks checks;
    private final RecentProposals recent;
    private final String ownMspId;
    private final Dissemination dissemination;

    /** An endorser that knows no other peer: private writes stay on this peer (when its organization is a member). */
    public Endorser(SigningIdentity identity, Function<String, Optional<EndorsingChannel>> channels,
                    ContractRuntime runtime, Clock clock, EndorserSettings settings) {
        this(identity, channels, runtime, clock, settings, Dissemination.isolated(mspIdOf(identity)));
    }

    /** @param dissemination how private writes reach the peers of the collections' member organizations */
    public Endorser(SigningIdentity identity, Function<String, Optional<EndorsingChannel>> channels,
                    ContractRuntime runtime, Clock clock, EndorserSettings settings, Dissemination dissemination) {
        this.identity = identity;
        String ownMspId = mspIdOf(identity);
        this.ownMspId = ownMspId;
        this.dissemination = java.util.Objects.requireNonNull(dissemination, "dissemination");
        this.channels = channels;
        this.runtime = runtime;
        this.checks = new ProposalChecks(ownMspId, clock, settings.proposalWindow(), new EcdsaVerifier());
        this.recent = new RecentProposals(settings.proposalWindow().toMillis(), settings.maxRememberedProposals());
    }

    private static String mspIdOf(SigningIdentity identity) {
        try {
            return io.charter.protocol.SerializedIdentity.parseFrom(identity.serializedIdentity()).getMspId();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("the signing identity is not a serialized identity", e);
        }
    }

    /** Endorses {@code signedProposal}, or says why not. Never throws for bad input or a bad contract. */
    public EndorsementResult endorse(SignedProposal signedProposal) {
        try {
            return check(signedProposal);
        } catch (LedgerException e) {
            LOG.warn("endorsement failed on the ledger: {}", e.getMessage());
            return new EndorsementResult.Refused(RefusalReason.LEDGER_UNAVAILABLE, e.getMessage());
        }
    }

    /** {@link #endorse} from the serialized SignedProposal as received. */
    public EndorsementResult endorse(ByteString signedProposalBytes) {
        try {
            return endorse(SignedProposal.parseFrom(signedProposalBytes));
        } catch (InvalidProtocolBufferException e) {
            return refuse(RefusalReason.MALFORMED_PROPOSAL, "not a SignedProposal: " + e.getMessage());
        }
    }

    private EndorsementResult check(SignedProposal signedProposal) {
        ProposalChecks.Parsed parsed;
        switch (checks.parse(signedProposal)) {
            case ProposalChecks.Outcome.Passed<ProposalChecks.Parsed> passed -> parsed = passed.value();
            case ProposalChecks.Outcome.Failed<ProposalChecks.Parsed> failed -> {
                return logged(failed.result());
            }
        }
        PayloadHeader header = parsed.header();
        Optional<EndorsingChannel> found = channels.apply(header.getChannelId());
        if (found.isEmpty()) {
            return refuse(RefusalReason.UNKNOWN_CHANNEL, "this peer has not joined channel '" + header.getChannelId() + "'");
        }
        EndorsingChannel channel = found.get();
        ProposalChecks.Authenticated authenticated;
        switch (checks.authenticate(parsed, channel.context())) {
            case ProposalChecks.Outcome.Passed<ProposalChecks.Authenticated> passed -> authenticated = passed.value();
            case ProposalChecks.Outcome.Failed<ProposalChecks.Authenticated> failed -> {
                return logged(failed.result());
            }
        }
        String txId = header.getTxId();
        Optional<TxRecord> committed = channel.ledger().transaction(txId);
        if (committed.isPresent()) {
            return refuse(RefusalReason.REPLAYED_PROPOSAL, "tx " + txId + " is already in block "
                    + committed.get().blockNumber() + " (" + committed.get().code() + ")");
        }
        if (!recent.firstTime(txId, authenticated.now())) {
            return refuse(RefusalReason.REPLAYED_PROPOSAL, "tx " + txId + " was already proposed to this peer; a new"
                    + " proposal needs a new nonce");
        }
        ContractInvocation invocation = parsed.invocation();
        ValidatedIdentity caller = authenticated.caller();
        TransactionInfo info = new TransactionInfo(txId, authenticated.timestamp(), invocation.getFunction(),
                clientIdentity(caller), transientData(parsed.proposal()));
        ByteString proposalHash = Proposals.hash(parsed.proposal());
        if (parsed.definition()) {
            return endorseDefinition(channel, caller, invocation, info, proposalHash);
        }
        return endorseInvocation(channel, invocation, info, proposalHash);
    }

    private EndorsementResult endorseInvocation(EndorsingChannel channel, ContractInvocation invocation,
                                                TransactionInfo info, ByteString proposalHash) {
        String name = invocation.getContractName();
        Optional<DefinedContract> defined = DefinitionRules.isReserved(name) ? Optional.empty() : channel.definitions().definition(name);
        if (defined.isEmpty()) {
            return refuse(RefusalReason.UNDEFINED_CONTRACT, "no contract '" + name + "' is defined on " + channel.ledger().channelId());
        }
        Optional<LoadedContract> installed;
        try {
            installed = runtime.contract(name, defined.get().packageId());
        } catch (ContractLoadException e) {
            return refuse(RefusalReason.CONTRACT_NOT_INSTALLED, "the installed package of " + name + " does not load: " + e.getMessage());
        }
        if (installed.isEmpty()) {
            return refuse(RefusalReason.CONTRACT_NOT_INSTALLED, "contract " + name + " (package "
                    + (defined.get().packageId().isEmpty() ? "any" : defined.get().packageId()) + ") is not installed on this peer");
        }
        LoadedContract contract = installed.get();
        Optional<ContractFunction> function = contract.function(invocation.getFunction());
        if (function.isEmpty()) {
            return new EndorsementResult.ContractFailed(ContractFailure.UNKNOWN_FUNCTION, ContractFailure.UNKNOWN_FUNCTION.name(),
                    "contract " + name + " has no function " + invocation.getFunction());
        }
        DefinedContract definition = defined.get();
        java.util.Set<String> organizations = channel.context().applicationOrganizations();
        PrivateDataAccess privateData = new PrivateDataAccess(
                collection -> Collection.of(definition.definition(), collection, organizations), ownMspId);
        TransactionSimulator simulator = new TransactionSimulator(channel.ledger(), name, info, privateData);
        if (function.get().intent() == Transaction.Intent.EVALUATE) {
            simulator.readOnly();
        }
        InvocationResult result;
        try {
            result = contract.invoke(function.get(), simulator, invocation.getArgsList());
        } finally {
            simulator.close();
        }
        return switch (result) {
            case InvocationResult.Failure failure -> {
                LOG.debug("tx {}: {}.{} failed: {} {}: {}", info.txId(), name, invocation.getFunction(), failure.failure(),
                        failure.code(), failure.message());
                yield new EndorsementResult.ContractFailed(failure.failure(), failure.code(), failure.message());
            }
            case InvocationResult.Success success -> {
                SimulationResults results = simulator.results();
                if (!results.privateWrites().isEmpty()) {
                    List<Dissemination.Writes> writes = results.privateWrites().stream()
                            .map(w -> new Dissemination.Writes(privateData.collections().apply(w.getCollection()).orElseThrow(), w))
                            .toList();
                    Optional<String> failure = dissemination.distribute(channel.ledger(), info.txId(), writes);
                    if (failure.isPresent()) {
                        LOG.warn("tx {}: not endorsed, private data not disseminated: {}", info.txId(), failure.get());
                        yield refuse(RefusalReason.PRIVATE_DATA_NOT_DISSEMINATED, failure.get());
                    }
                }
                yield sign(proposalHash, results, success.payload());
            }
        };
    }

    private EndorsementResult endorseDefinition(EndorsingChannel channel, ValidatedIdentity caller,
                                                ContractInvocation invocation, TransactionInfo info, ByteString proposalHash) {
        ChannelContext context = channel.context();
        ProposalChecks.LifecycleRequest request;
        switch (checks.lifecycleRequest(invocation, caller, context)) {
            case ProposalChecks.Outcome.Passed<ProposalChecks.LifecycleRequest> passed -> request = passed.value();
            case ProposalChecks.Outcome.Failed<ProposalChecks.LifecycleRequest> failed -> {
                return logged(failed.result());
            }
        }
        String function = request.function();
        ContractDefinition definition = request.definition();
        TransactionSimulator simulator = new TransactionSimulator(channel.ledger(), DefinitionRules.NAMESPACE, info);
        byte[] payload = new byte[0];
        try {
            Optional<ContractDefinition> committed = simulator.get(Lifecycle.key(definition.getName()))
                    .map(bytes -> parse(definition.getName(), bytes));
            long current = committed.map(ContractDefinition::getSequence).orElse(0L);
            if (definition.getSequence() != current + 1 && !function.equals(DefinitionRules.READINESS)) {
                return new EndorsementResult.ContractFailed(ContractFailure.CONTRACT_ERROR, "SEQUENCE_MISMATCH",
                        "the definition of " + definition.getName() + " has sequence " + definition.getSequence()
                                + "; the next one is " + (current + 1));
            }
            Optional<DefinitionProblem> update = committed.flatMap(before -> DefinitionRules.updateProblem(before, definition));
            if (update.isPresent()) {
                return new EndorsementResult.ContractFailed(ContractFailure.CONTRACT_ERROR, update.get().code().name(),
                        update.get().message());
            }
            switch (function) {
                case DefinitionRules.APPROVE -> simulator.put(Lifecycle.approvalKey(definition.getName(), caller.mspId()),
                        invocation.getArgs(0).toByteArray());
                case DefinitionRules.COMMIT -> {
                    Map<String, Optional<ContractDefinition>> approvals = approvals(simulator, definition.getName(), context);
                    SortedSet<String> approvers = Approvals.approvers(definition, approvals);
                    if (!Approvals.satisfy(context.lifecycleEndorsement(), approvers, context.applicationSubPolicies())) {
                        SortedSet<String> missing = new TreeSet<>(context.applicationOrganizations());
                        missing.removeAll(approvers);
                        return new EndorsementResult.ContractFailed(ContractFailure.CONTRACT_ERROR, "APPROVALS_INSUFFICIENT",
                                "the approvals of exactly this definition of " + definition.getName() + " (sequence "
                                        + definition.getSequence() + ") by " + approvers + " do not satisfy LifecycleEndorsement "
                                        + context.lifecycleEndorsement() + "; missing the approval of " + missing
                                        + ": an admin of each approves it (charter contract approve)");
                    }
                    simulator.put(Lifecycle.key(definition.getName()),
                            definition.toBuilder().addAllApprovedBy(approvers).build().toByteArray());
                }
                default -> {
                    simulator.readOnly();
                    Map<String, Optional<ContractDefinition>> approvals = approvals(simulator, definition.getName(), context);
                    SortedSet<String> approvers = Approvals.approvers(definition, approvals);
                    ApprovalReadiness.Builder readiness = ApprovalReadiness.newBuilder()
                            .setLifecycleEndorsement(context.lifecycleEndorsement().text())
                            .setReady(definition.getSequence() == current + 1 && Approvals.satisfy(
                                    context.lifecycleEndorsement(), approvers, context.applicationSubPolicies()))
                            .setNextSequence(current + 1);
                    approvals.forEach((mspId, approval) -> readiness.addOrganizations(OrganizationApproval.newBuilder()
                            .setMspId(mspId).setApproved(approvers.contains(mspId))
                            .setDetail(Approvals.difference(definition, approval))));
                    payload = readiness.build().toByteArray();
                }
            }
        } catch (ContractException e) {
            return new EndorsementResult.ContractFailed(ContractFailure.CONTRACT_ERROR, e.code(), e.getMessage());
        } finally {
            simulator.close();
        }
        return sign(proposalHash, simulator.results(), payload);
    }

    /** Each application organization's approval of a definition of {@code name}, read through the simulator. */
    private static Map<String, Optional<ContractDefinition>> approvals(TransactionSimulator simulator, String name,
                                                                       ChannelContext context) {
        Map<String, Optional<ContractDefinition>> approvals = new TreeMap<>();
        for (String mspId : context.applicationOrganizations()) {
            approvals.put(mspId, simulator.get(Lifecycle.approvalKey(name, mspId)).map(bytes -> parse(name, bytes)));
        }
        return approvals;
    }

    private static ContractDefinition parse(String name, byte[] bytes) {
        try {
            return ContractDefinition.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new LedgerException("the lifecycle state of " + name + " is corrupt", e);
        }
    }

    private EndorsementResult sign(ByteString proposalHash, SimulationResults results, byte[] payload) {
        ByteString responsePayload = ProposalResponsePayload.newBuilder()
                .setProposalHash(proposalHash)
                .setResults(results.rwset().toByteString())
                .setEvents(results.events().getEventsCount() == 0 ? ByteString.EMPTY : results.events().toByteString())
                .build()
                .toByteString();
        ProposalResponse response = ProposalResponse.newBuilder()
                .setResponse(Response.newBuilder().setStatus(200).setPayload(ByteString.copyFrom(payload)))
                .setPayload(responsePayload)
                .setEndorsement(Endorsements.endorse(responsePayload, identity.signer(), identity.serializedIdentity()))
                .build();
        return new EndorsementResult.Endorsed(response);
    }

    private static EndorsementResult refuse(RefusalReason reason, String detail) {
        return logged(new EndorsementResult.Refused(reason, detail));
    }

    private static EndorsementResult logged(EndorsementResult refusal) {
        LOG.debug("proposal not endorsed: {}", refusal.response().getResponse().getMessage());
        return refusal;
    }

    private static ClientIdentity clientIdentity(ValidatedIdentity identity) {
        byte[] der;
        try {
            der = identity.certificate().getEncoded();
        } catch (CertificateEncodingException e) {
            der = new byte[0];
        }
        return new ClientIdentity(identity.mspId(), identity.role().label(), identity.enrollmentId(), identity.attributes(), der);
    }

    private static Map<String, byte[]> transientData(Proposal proposal) {
        Map<String, byte[]> data = new HashMap<>();
        proposal.getTransientMapMap().forEach((k, v) -> data.put(k, v.toByteArray()));
        return data;
    }
}
