package io.charter.client.sdk;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.policy.Evaluation;
import io.charter.common.policy.PolicyParser;
import io.charter.common.policy.PolicySyntaxException;
import io.charter.common.protocol.OrdererMethodNames;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportException;
import io.charter.protocol.ApprovalReadiness;
import io.charter.protocol.BroadcastReason;
import io.charter.protocol.BroadcastResponse;
import io.charter.protocol.BroadcastStatus;
import io.charter.protocol.CommitStatusRequest;
import io.charter.protocol.CommitStatusResponse;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.ContractInvocation;
import io.charter.protocol.ContractPolicyOutcome;
import io.charter.protocol.ContractDefinitionsRequest;
import io.charter.protocol.ContractDefinitionsResponse;
import io.charter.protocol.ContractPolicyRequest;
import io.charter.protocol.ContractPolicyResponse;
import io.charter.protocol.Endorsement;
import io.charter.protocol.EndorsementRefusal;
import io.charter.protocol.HeaderType;
import io.charter.protocol.MvccConflict;
import io.charter.protocol.Proposal;
import io.charter.protocol.ProposalResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * One channel, as seen through a {@link Gateway}: its peers (by organization) and orderers, the gateway's explicit
 * ones or found through discovery when first needed (call {@link #refresh()} to ask discovery again). Hands out
 * {@link Contract}s, broadcasts endorsed transactions, reports commit statuses and streams block and
 * contract events. Thread-safe.
 */
public final class Network {

    /** The peer's unary endorsement method: request a serialized SignedProposal, response a ProposalResponse. */
    static final String ENDORSE = PeerMethodNames.ENDORSE;
    static final String COMMIT_STATUS = PeerMethodNames.COMMIT_STATUS;
    static final String BLOCK_EVENTS = PeerMethodNames.BLOCK_EVENTS;
    static final String BROADCAST = OrdererMethodNames.BROADCAST;
    static final String CONTRACT_POLICY = PeerMethodNames.CONTRACT_POLICY;
    static final String CONTRACT_DEFINITIONS = PeerMethodNames.CONTRACT_DEFINITIONS;
    static final String LIFECYCLE = "_lifecycle";

    /** Refusals that another peer of the same organization may not repeat. */
    private static final Set<String> RETRYABLE_ON_ANOTHER_PEER = Set.of(EndorsementRefusal.UNKNOWN_CHANNEL.name(),
            EndorsementRefusal.UNDEFINED_CONTRACT.name(), EndorsementRefusal.CONTRACT_NOT_INSTALLED.name(),
            EndorsementRefusal.LEDGER_UNAVAILABLE.name(), EndorsementRefusal.STALE_PROPOSAL.name(),
            EndorsementRefusal.PRIVATE_DATA_NOT_DISSEMINATED.name(), ResponseCheck.BAD_ENDORSEMENT, ResponseCheck.BUSY);

    private final Gateway gateway;
    private final String channel;
    private final SignedProposalBuilder proposals;
    private final AtomicInteger rotation = new AtomicInteger();
    private final Object discovery = new Object();
    private volatile List<NodeEndpoint> peers; // null until first needed: discovered then, or on refresh()
    private volatile List<NodeEndpoint> orderers; // likewise, so that a query to given peers never asks the index
    /** Policies learned from the peers, by contract; empty when the peers asked do not serve peer.ContractPolicy. */
    private final Map<String, Optional<ContractPolicy>> policies = new ConcurrentHashMap<>();

    Network(Gateway gateway, String channel) {
        this.gateway = gateway;
        this.channel = channel;
        this.proposals = new SignedProposalBuilder(gateway.identity(), gateway.clock());
    }

    public String channel() {
        return channel;
    }

    /**
     * The channel's peers: the gateway's explicit ones, else as last discovered (asking discovery the first time).
     *
     * @throws SdkException {@code MEMBERSHIP_FAILED} when discovery is needed and fails
     */
    public List<NodeEndpoint> peers() {
        List<NodeEndpoint> known = peers;
        if (known == null) {
            synchronized (discovery) {
                if (peers == null) {
                    peers = List.copyOf(gateway.discoverPeers(channel));
                }
                known = peers;
            }
        }
        return known;
    }

    /**
     * The channel's orderers: the gateway's explicit ones, else as last discovered (asking discovery the first time
     * they are needed, so that evaluating on explicit peers works while the membership service is down).
     *
     * @throws SdkException {@code MEMBERSHIP_FAILED} when discovery is needed and fails
     */
    public List<NodeEndpoint> orderers() {
        List<NodeEndpoint> known = orderers;
        if (known == null) {
            synchronized (discovery) {
                if (orderers == null) {
                    orderers = List.copyOf(gateway.discoverOrderers(channel));
                }
                known = orderers;
            }
        }
        return known;
    }

    /** The organizations that have at least one known peer on the channel, sorted. */
    public SortedSet<String> organizations() {
        return peers().stream().map(NodeEndpoint::mspId).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Asks discovery again for the channel's peers and orderers, and forgets the contract policies learned. */
    public void refresh() {
        List<NodeEndpoint> freshPeers = List.copyOf(gateway.discoverPeers(channel));
        List<NodeEndpoint> freshOrderers = List.copyOf(gateway.discoverOrderers(channel));
        synchronized (discovery) {
            peers = freshPeers;
            orderers = freshOrderers;
        }
        policies.clear();
    }

    /**
     * A contract whose endorsement policy the SDK learns from the channel: at its first submit (or
     * {@link Contract#endorsementPlan()}), a peer is asked for the policy in force ({@link #contractPolicy});
     * submits then ask only the organizations needed to satisfy it. The policy is kept for this network
     * and learned again when a submit fails in a way a redefinition explains (see {@link Contract#submit}).
     * Evaluating does not need the policy.
     */
    public Contract contract(String name) {
        return new Contract(this, name, Optional.empty());
    }

    /**
     * The endorsement policy of {@code contractName} in force on the channel, as a peer reports it
     * ({@code peer.ContractPolicy}; this identity's organization first, the next peer when one cannot
     * answer), learned once per network and kept. Empty when the peers do not serve
     * {@code peer.ContractPolicy} (a version before it): submits then ask every organization.
     *
     * @throws SdkException in step ENDORSE: {@code CONTRACT_NOT_DEFINED} (no committed definition on the
     *     channel), {@code PROPOSAL_REFUSED} (the peers have not joined the channel, or this identity is not a
     *     reader of it: {@code endorsementFailures()}), {@code PEER_UNAVAILABLE}, {@code TIMEOUT}, {@code NO_PEERS},
     *     {@code CANCELLED}
     */
    public Optional<ContractPolicy> contractPolicy(String contractName) {
        Optional<ContractPolicy> known = policies.get(contractName);
        if (known != null) {
            return known;
        }
        // a contract's first submits, made at once, ask once: the others wait for the same answer
        return policies.computeIfAbsent(contractName, this::learnPolicy);
    }

    /**
     * The contracts the channel has committed definitions of, sorted by name, as the peers' committed lifecycle state
     * has them ({@code peer.ContractDefinitions}): every known peer of the channel is asked and the answer of the
     * one at the greatest height is taken, so that a definition just committed is not missed on a peer that lags.
     *
     * @throws SdkException in step EVALUATE: {@code NO_PEERS}; {@code PROPOSAL_REFUSED} when the peers refused the
     *     caller (not a reader of the channel) or have not joined it; {@code PEER_UNAVAILABLE}, {@code TIMEOUT}
     */
    public List<ContractDefinition> contractDefinitions() {
        gateway.requireOpen(Step.EVALUATE);
        List<NodeEndpoint> candidates = preferOwnOrganization(peers(), List.of());
        if (candidates.isEmpty()) {
            throw SdkException.of(Step.EVALUATE, SdkErrorCode.NO_PEERS, "no peer is known for channel '" + channel
                    + "' to ask for its contract definitions").build();
        }
        ByteString request = ContractDefinitionsRequest.newBuilder().setChannelId(channel).build().toByteString();
        Duration deadline = gateway.timeouts().evaluate();
        Map<NodeEndpoint, CompletableFuture<ByteString>> calls = new LinkedHashMap<>();
        candidates.forEach(peer -> calls.put(peer, call(peer, CONTRACT_DEFINITIONS, request, deadline)));
        Optional<ContractDefinitionsResponse> freshest = Optional.empty();
        List<String> failures = new ArrayList<>();
        boolean refused = false;
        boolean timedOut = false;
        for (Map.Entry<NodeEndpoint, CompletableFuture<ByteString>> answer : calls.entrySet()) {
            String peer = answer.getKey().name();
            try {
                ContractDefinitionsResponse response = ContractDefinitionsResponse.parseFrom(await(answer.getValue(),
                        Step.EVALUATE));
                if (!response.getJoined()) {
                    refused = true;
                    failures.add(peer + ": has not joined channel '" + channel + "'");
                } else if (freshest.isEmpty() || response.getHeight() > freshest.get().getHeight()) {
                    freshest = Optional.of(response);
                }
            } catch (TransportException e) {
                refused |= e.code() == ErrorCode.PERMISSION_DENIED || e.code() == ErrorCode.UNAUTHENTICATED;
                timedOut |= e.code() == ErrorCode.DEADLINE_EXCEEDED;
                failures.add(peer + ": " + e.code() + " " + e.detail());
            } catch (InvalidProtocolBufferException e) {
                failures.add(peer + ": not a ContractDefinitionsResponse");
            }
        }
        if (freshest.isPresent()) {
            return List.copyOf(freshest.get().getDefinitionsList());
        }
        SdkErrorCode code = refused ? SdkErrorCode.PROPOSAL_REFUSED : timedOut ? SdkErrorCode.TIMEOUT
                : SdkErrorCode.PEER_UNAVAILABLE;
        throw SdkException.of(Step.EVALUATE, code, "no peer listed the contracts of '" + channel + "': " + failures)
                .build();
    }

    /**
     * Forgets {@code stale} (what {@link #contractPolicy} answered before) and asks the peers again;
     * another thread that already did so is not repeated.
     */
    Optional<ContractPolicy> relearnPolicy(String contractName, Optional<ContractPolicy> stale) {
        policies.remove(contractName, stale);
        return contractPolicy(contractName);
    }

    private Optional<ContractPolicy> learnPolicy(String contractName) {
        gateway.requireOpen(Step.ENDORSE);
        List<NodeEndpoint> candidates = preferOwnOrganization(peers(), List.of());
        if (candidates.isEmpty()) {
            throw SdkException.of(Step.ENDORSE, SdkErrorCode.NO_PEERS, "no peer is known for channel '" + channel
                    + "' to ask the endorsement policy of " + contractName).build();
        }
        ByteString request = ContractPolicyRequest.newBuilder().setChannelId(channel).setContractName(contractName).build()
                .toByteString();
        long deadline = System.nanoTime() + gateway.timeouts().endorse().toNanos();
        List<EndorsementFailure> failures = new ArrayList<>();
        List<String> undefinedOn = new ArrayList<>();
        boolean unsupported = false;
        boolean timedOut = false;
        for (NodeEndpoint peer : candidates) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                timedOut = true;
                break;
            }
            ContractPolicyResponse response;
            try {
                response = ContractPolicyResponse.parseFrom(await(call(peer, CONTRACT_POLICY, request,
                        Duration.ofNanos(remaining)), Step.ENDORSE));
            } catch (TransportException e) {
                if (e.code() == ErrorCode.UNKNOWN_METHOD) {
                    unsupported = true;
                } else {
                    timedOut |= e.code() == ErrorCode.DEADLINE_EXCEEDED;
                    failures.add(new EndorsementFailure(peer.mspId(), peer.name(), 0, e.code().name(), e.detail()));
                }
                continue;
            } catch (InvalidProtocolBufferException e) {
                failures.add(new EndorsementFailure(peer.mspId(), peer.name(), 0, "MALFORMED_ANSWER",
                        "not a ContractPolicyResponse"));
                continue;
            }
            switch (response.getOutcome()) {
                case DEFINED -> {
                    try {
                        PolicyParser.parse(response.getEndorsementPolicy());
                        return Optional.of(new ContractPolicy(contractName, response.getSequence(), response.getVersion(),
                                response.getEndorsementPolicy(), response.getChannelDefault(),
                                new TreeSet<>(response.getOrganizationsList())));
                    } catch (PolicySyntaxException e) {
                        failures.add(new EndorsementFailure(peer.mspId(), peer.name(), 0, "MALFORMED_ANSWER",
                                "the policy '" + response.getEndorsementPolicy() + "' does not parse: " + e.getMessage()));
                    }
                }
                // another peer may have committed the definition already (this one may lag behind)
                case UNDEFINED_CONTRACT -> undefinedOn.add(peer.name());
                case UNKNOWN_CHANNEL -> failures.add(new EndorsementFailure(peer.mspId(), peer.name(), 404,
                        ContractPolicyOutcome.UNKNOWN_CHANNEL.name(), response.getDetail()));
                default -> failures.add(new EndorsementFailure(peer.mspId(), peer.name(), 0, "MALFORMED_ANSWER",
                        "outcome " + response.getOutcome() + ": " + response.getDetail()));
            }
        }
        if (!undefinedOn.isEmpty()) {
            throw SdkException.of(Step.ENDORSE, SdkErrorCode.CONTRACT_NOT_DEFINED, "contract '" + contractName
                    + "' is not defined on channel '" + channel + "' (asked " + undefinedOn + "): define it first (charter"
                    + " contract approve by each organization's admin, then charter contract commit; or Network.approveContract"
                    + " and commitContract), or check the contract's name and the channel")
                    .endorsementFailures(failures).build();
        }
        if (unsupported) {
            return Optional.empty();
        }
        boolean refused = !failures.isEmpty() && failures.stream().allMatch(Network::isRefusal);
        SdkErrorCode code = refused ? SdkErrorCode.PROPOSAL_REFUSED : timedOut ? SdkErrorCode.TIMEOUT : SdkErrorCode.PEER_UNAVAILABLE;
        throw SdkException.of(Step.ENDORSE, code, "no peer of channel '" + channel + "' told the endorsement policy of "
                        + contractName + ": " + failures + (refused ? " (is this identity a reader of the channel, and"
                        + " have the peers joined it?)" : timedOut ? " within " + gateway.timeouts().endorse() : ""))
                .endorsementFailures(failures).build();
    }

    /**
     * A contract with its endorsement policy (as defined on the channel, e.g.
     * {@code AND('Org1.peer', 'Org2.peer')} or {@code MAJORITY Endorsement}): submits ask only the
     * organizations needed to satisfy it, and others when one of those cannot endorse.
     *
     * @throws IllegalArgumentException when the policy does not parse (the message says where)
     */
    public Contract contract(String name, String endorsementPolicy) {
        try {
            return new Contract(this, name, Optional.of(PolicyParser.parse(endorsementPolicy)));
        } catch (PolicySyntaxException e) {
            throw new IllegalArgumentException("the endorsement policy of " + name + " does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * Approves {@code definition} for this identity's organization ({@code _lifecycle.approve}, as Fabric's
     * {@code approveformyorg}): endorsed by a peer of the organization, ordered and waited for. The identity must be
     * an admin of an application organization of the channel; the definition's sequence must be the committed one + 1.
     * The approval records exactly this definition (name, version, sequence, endorsement policy, package id, private
     * data collections in their order; {@link CollectionsConfig} reads Fabric's collections_config.json); a commit
     * counts it only for exactly the same definition.
     *
     * @throws SdkException e.g. {@code PROPOSAL_REFUSED} (not an admin: {@code CREATOR_NOT_ADMIN}), {@code CONTRACT_FAILED}
     *     ({@code SEQUENCE_MISMATCH}, or an ill-formed definition with its
     *     {@link io.charter.common.lifecycle.DefinitionProblem.Code}, e.g. {@code COLLECTION_UNKNOWN_ORGANIZATION}), or
     *     the usual ORDER/COMMIT failures
     */
    public SubmitResult approveContract(ContractDefinition definition) {
        String own = gateway.identity().mspId();
        ContractInvocation invocation = ContractInvocation.newBuilder().setContractName(LIFECYCLE).setFunction("approve")
                .addArgs(definition.toByteString()).addArgs(ByteString.copyFromUtf8(own)).build();
        SignedProposalBuilder.Proposed proposed = proposals.propose(HeaderType.CONTRACT_DEFINITION, channel, invocation,
                Proposal.newBuilder());
        EndorsedTransaction endorsed = endorse(proposed, new EndorsementPlanner(
                Optional.of(PolicyParser.parse("OR('" + own + ".peer')")), organizations()));
        return submit(endorsed);
    }

    /**
     * Which application organizations of the channel approved exactly {@code definition}, and whether a commit would
     * be accepted now ({@code _lifecycle.readiness}, as Fabric's {@code checkcommitreadiness}): a query to one peer,
     * nothing is ordered.
     */
    public ApprovalReadiness contractReadiness(ContractDefinition definition) {
        ContractInvocation invocation = ContractInvocation.newBuilder().setContractName(LIFECYCLE).setFunction("readiness")
                .addArgs(definition.toByteString()).build();
        byte[] answer = evaluate(proposals.propose(HeaderType.CONTRACT_DEFINITION, channel, invocation, Proposal.newBuilder()));
        try {
            return ApprovalReadiness.parseFrom(answer);
        } catch (InvalidProtocolBufferException e) {
            throw SdkException.of(Step.EVALUATE, SdkErrorCode.PROPOSAL_REFUSED, "the peer's readiness answer is not an"
                    + " ApprovalReadiness: " + e.getMessage()).build();
        }
    }

    /**
     * Commits {@code definition} ({@code _lifecycle.commit}, as Fabric's {@code commit}): endorsed by a peer of every
     * organization, ordered and waited for. Accepted only when the organizations whose approval is exactly this
     * definition satisfy the channel's LifecycleEndorsement policy (MAJORITY Endorsement by default); the committed
     * definition records them ({@code approved_by}). The identity must be an organization admin.
     *
     * @throws SdkException {@code CONTRACT_FAILED} with {@code APPROVALS_INSUFFICIENT} naming the organizations whose
     *     approval is missing, or {@code SEQUENCE_MISMATCH}; {@code TRANSACTION_INVALID} when the approvals changed
     *     before the commit was ordered
     */
    public SubmitResult commitContract(ContractDefinition definition) {
        ContractInvocation invocation = ContractInvocation.newBuilder().setContractName(LIFECYCLE).setFunction("commit")
                .addArgs(definition.toByteString()).build();
        SignedProposalBuilder.Proposed proposed = proposals.propose(HeaderType.CONTRACT_DEFINITION, channel, invocation,
                Proposal.newBuilder());
        EndorsedTransaction endorsed = endorse(proposed, new EndorsementPlanner(Optional.empty(), organizations()));
        try {
            return submit(endorsed);
        } finally {
            policies.remove(definition.getName());
        }
    }

    /**
     * Broadcasts {@code transaction} and waits for its commit status.
     *
     * @throws SdkException in step ORDER ({@code ORDERING_REFUSED}, {@code ORDERERS_UNAVAILABLE}, {@code TIMEOUT}) or
     *     COMMIT ({@code MVCC_READ_CONFLICT} with the key, {@code TRANSACTION_INVALID}, {@code PEER_UNAVAILABLE},
     *     {@code TIMEOUT})
     */
    public SubmitResult submit(EndorsedTransaction transaction) {
        broadcast(transaction);
        CommitStatus status = commitStatus(transaction.txId(), transaction.endorsers());
        if (!status.isValid()) {
            throw invalid(status);
        }
        return new SubmitResult(transaction.txId(), status.blockNumber(), status.txNumber(), transaction.resultBytes(), 1);
    }

    // ---- endorsement

    EndorsedTransaction endorse(SignedProposalBuilder.Proposed proposed, EndorsementPlanner planner) {
        gateway.requireOpen(Step.ENDORSE);
        Map<String, List<NodeEndpoint>> byOrganization = new TreeMap<>();
        int start = rotation.getAndIncrement();
        for (NodeEndpoint peer : peers()) {
            byOrganization.computeIfAbsent(peer.mspId(), k -> new ArrayList<>()).add(peer);
        }
        if (byOrganization.isEmpty()) {
            throw SdkException.of(Step.ENDORSE, SdkErrorCode.NO_PEERS, "no peer is known for channel '" + channel
                    + "': check discovery (are the peers up and registered?) or the explicit peers given to the gateway")
                    .txId(proposed.txId()).build();
        }
        Map<String, ArrayList<NodeEndpoint>> untried = new TreeMap<>();
        byOrganization.forEach((org, list) -> {
            ArrayList<NodeEndpoint> rotated = new ArrayList<>(list);
            java.util.Collections.rotate(rotated, -(Math.floorMod(start, list.size())));
            untried.put(org, rotated);
        });
        Map<String, ResponseCheck.Endorsed> endorsed = new LinkedHashMap<>();
        List<EndorsementFailure> failures = new ArrayList<>();
        Set<String> givenUp = new TreeSet<>();
        long deadline = System.nanoTime() + gateway.timeouts().endorse().toNanos();
        while (true) {
            Set<String> usable = new TreeSet<>();
            untried.forEach((org, list) -> {
                if (!list.isEmpty() && !givenUp.contains(org)) {
                    usable.add(org);
                }
            });
            Optional<SortedSet<String>> plan = planner.plan(endorsed.keySet(), usable);
            if (plan.isEmpty()) {
                throw notEndorsed(proposed, planner, endorsed.keySet(), failures, byOrganization.keySet());
            }
            List<String> toAsk = plan.get().stream().filter(o -> !endorsed.containsKey(o)).toList();
            if (toAsk.isEmpty()) {
                break;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw SdkException.of(Step.ENDORSE, SdkErrorCode.TIMEOUT, "no endorsement from " + toAsk + " within "
                        + gateway.timeouts().endorse() + " (raise Timeouts.endorse, or check those peers)")
                        .txId(proposed.txId()).missingOrganizations(toAsk).endorsementFailures(failures).build();
            }
            Map<NodeEndpoint, CompletableFuture<ByteString>> calls = new LinkedHashMap<>();
            for (String org : toAsk) {
                NodeEndpoint peer = untried.get(org).removeFirst();
                calls.put(peer, call(peer, ENDORSE, proposed.signed().toByteString(), Duration.ofNanos(remaining)));
            }
            for (Map.Entry<NodeEndpoint, CompletableFuture<ByteString>> call : calls.entrySet()) {
                NodeEndpoint peer = call.getKey();
                ResponseCheck.Outcome outcome = endorsementOutcome(proposed, peer, call.getValue());
                switch (outcome) {
                    case ResponseCheck.Endorsed ok -> endorsed.put(peer.mspId(), ok);
                    case ResponseCheck.Failed failed -> {
                        failures.add(failed.failure());
                        if (ResponseCheck.CONTRACT_FAILED.equals(failed.failure().reason())) {
                            throw SdkException.of(Step.ENDORSE, SdkErrorCode.CONTRACT_FAILED, "the contract failed on "
                                    + peer.name() + ": " + failed.failure().message()).txId(proposed.txId())
                                    .endorsementFailures(failures).build();
                        }
                        if (failed.failure().status() != 0
                                && !RETRYABLE_ON_ANOTHER_PEER.contains(failed.failure().reason())) {
                            givenUp.add(peer.mspId());
                        }
                    }
                }
            }
        }
        List<ValidatedIdentity> endorsers = endorsed.values().stream().map(ResponseCheck.Endorsed::endorser).toList();
        Evaluation evaluation = planner.evaluate(endorsers);
        if (!evaluation.satisfied()) {
            throw SdkException.of(Step.ENDORSE, SdkErrorCode.ENDORSEMENT_POLICY_NOT_SATISFIED, "the endorsements collected do not"
                    + " satisfy " + planner.describe() + ": " + evaluation.explanation()).txId(proposed.txId())
                    .missingOrganizations(List.copyOf(planner.missing(endorsed.keySet()))).endorsementFailures(failures).build();
        }
        Map<ByteString, List<String>> byPayload = new LinkedHashMap<>();
        endorsed.values().forEach(e -> byPayload.computeIfAbsent(e.response().getPayload(), k -> new ArrayList<>())
                .add(e.peer().name()));
        if (byPayload.size() > 1) {
            throw SdkException.of(Step.ENDORSE, SdkErrorCode.ENDORSEMENTS_DIFFER, "the endorsing peers simulated different"
                    + " results " + byPayload.values() + ": their world states differ (one may lag behind; retry, or check"
                    + " that the contract is deterministic)").txId(proposed.txId()).endorsementFailures(failures).build();
        }
        ByteString payload = byPayload.keySet().iterator().next();
        List<Endorsement> endorsements = endorsed.values().stream().map(e -> e.response().getEndorsement()).toList();
        ProposalResponse first = endorsed.values().iterator().next().response();
        return new EndorsedTransaction(proposed.txId(), channel,
                proposals.envelope(proposed, payload, endorsements).toByteString(), first.getResponse().getPayload(),
                endorsed.values().stream().map(ResponseCheck.Endorsed::peer).toList());
    }

    private ResponseCheck.Outcome endorsementOutcome(SignedProposalBuilder.Proposed proposed, NodeEndpoint peer,
                                                     CompletableFuture<ByteString> call) {
        try {
            ByteString answer = await(call, Step.ENDORSE);
            return ResponseCheck.check(proposed, peer, ProposalResponse.parseFrom(answer));
        } catch (TransportException e) {
            return new ResponseCheck.Failed(new EndorsementFailure(peer.mspId(), peer.name(), 0, e.code().name(), e.detail()));
        } catch (InvalidProtocolBufferException e) {
            return new ResponseCheck.Failed(new EndorsementFailure(peer.mspId(), peer.name(), 0, ResponseCheck.BAD_ENDORSEMENT,
                    "the answer is not a ProposalResponse"));
        }
    }

    private SdkException notEndorsed(SignedProposalBuilder.Proposed proposed, EndorsementPlanner planner,
                                     Set<String> endorsed, List<EndorsementFailure> failures, Set<String> known) {
        SortedSet<String> missing = planner.missing(endorsed);
        String why = missing.stream().map(org -> org + " (" + missingReason(org, failures, known) + ")")
                .collect(Collectors.joining(", "));
        SdkErrorCode code;
        String advice;
        List<EndorsementFailure> ofMissing = failures.stream().filter(f -> missing.contains(f.mspId())).toList();
        if (!ofMissing.isEmpty() && ofMissing.stream().allMatch(Network::isBusy)) {
            code = SdkErrorCode.PEERS_BUSY;
            advice = "the peers are at their contract's concurrency limit: send fewer at once, or retry later";
        } else if (!failures.isEmpty() && failures.stream().allMatch(f -> f.reason().equals(ErrorCode.DEADLINE_EXCEEDED.name()))) {
            code = SdkErrorCode.TIMEOUT;
            advice = "the peers did not answer within " + gateway.timeouts().endorse();
        } else if (endorsed.isEmpty() && !failures.isEmpty() && failures.stream().allMatch(Network::isRefusal)) {
            code = SdkErrorCode.PROPOSAL_REFUSED;
            advice = "the peers refused the proposal; the reasons say what to fix";
        } else {
            code = SdkErrorCode.ENDORSEMENT_POLICY_NOT_SATISFIED;
            advice = "start or reach a peer of the missing organizations, or check their refusals";
        }
        return SdkException.of(Step.ENDORSE, code, "cannot satisfy " + planner.describe() + ": missing the endorsement of "
                        + why + (endorsed.isEmpty() ? "" : "; endorsed by " + endorsed) + " — " + advice)
                .txId(proposed.txId()).missingOrganizations(List.copyOf(missing)).endorsementFailures(failures).build();
    }

    /**
     * Why {@code org} gave no endorsement: its peers' failures; else "not asked" when peers of it are known (the
     * plan failed on other organizations first); "no peer known" only when discovery knows none of its peers.
     */
    static String missingReason(String org, List<EndorsementFailure> failures, Set<String> known) {
        String failed = failures.stream().filter(f -> f.mspId().equals(org)).map(EndorsementFailure::toString)
                .collect(Collectors.joining("; "));
        if (!failed.isEmpty()) {
            return failed;
        }
        return known.contains(org) ? "peers known, not asked: the other organizations missing cannot be reached"
                : "no peer known";
    }

    /**
     * Whether the peer refused this client rather than failing to answer: a refusal status, or a transport
     * that would not let the client in (its TLS certificate refused, or not a reader of the channel).
     */
    private static boolean isBusy(EndorsementFailure failure) {
        return failure.reason().equals(ResponseCheck.BUSY);
    }

    private static boolean isRefusal(EndorsementFailure failure) {
        return failure.status() != 0 || failure.reason().equals(ErrorCode.UNAUTHENTICATED.name())
                || failure.reason().equals(ErrorCode.PERMISSION_DENIED.name());
    }

    // ---- evaluation

    byte[] evaluate(SignedProposalBuilder.Proposed proposed) {
        gateway.requireOpen(Step.EVALUATE);
        List<NodeEndpoint> candidates = preferOwnOrganization(peers(), List.of());
        if (candidates.isEmpty()) {
            throw SdkException.of(Step.EVALUATE, SdkErrorCode.NO_PEERS, "no peer is known for channel '" + channel + "'")
                    .txId(proposed.txId()).build();
        }
        long deadline = System.nanoTime() + gateway.timeouts().evaluate().toNanos();
        List<EndorsementFailure> failures = new ArrayList<>();
        for (NodeEndpoint peer : candidates) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw SdkException.of(Step.EVALUATE, SdkErrorCode.TIMEOUT, "no peer answered within "
                        + gateway.timeouts().evaluate()).txId(proposed.txId()).endorsementFailures(failures).build();
            }
            ProposalResponse response;
            try {
                response = ProposalResponse.parseFrom(await(call(peer, ENDORSE, proposed.signed().toByteString(),
                        Duration.ofNanos(remaining)), Step.EVALUATE));
            } catch (TransportException e) {
                failures.add(new EndorsementFailure(peer.mspId(), peer.name(), 0, e.code().name(), e.detail()));
                continue;
            } catch (InvalidProtocolBufferException e) {
                failures.add(new EndorsementFailure(peer.mspId(), peer.name(), 0, "MALFORMED_ANSWER", "not a ProposalResponse"));
                continue;
            }
            int status = response.getResponse().getStatus();
            if (status == 200) {
                return response.getResponse().getPayload().toByteArray();
            }
            String reason = ResponseCheck.reason(response.getRefusal(), status, response.getResponse().getMessage());
            EndorsementFailure failure = new EndorsementFailure(peer.mspId(), peer.name(), status, reason,
                    response.getResponse().getMessage());
            failures.add(failure);
            if (ResponseCheck.CONTRACT_FAILED.equals(reason)) {
                throw SdkException.of(Step.EVALUATE, SdkErrorCode.CONTRACT_FAILED, "the contract failed on " + peer.name()
                        + ": " + failure.message()).txId(proposed.txId()).endorsementFailures(failures).build();
            }
            if (!RETRYABLE_ON_ANOTHER_PEER.contains(reason)) {
                throw SdkException.of(Step.EVALUATE, SdkErrorCode.PROPOSAL_REFUSED, peer.name() + " refused the query: "
                        + failure.message()).txId(proposed.txId()).endorsementFailures(failures).build();
            }
        }
        boolean busy = !failures.isEmpty() && failures.stream().allMatch(Network::isBusy);
        boolean refused = !failures.isEmpty() && failures.stream().allMatch(Network::isRefusal);
        throw SdkException.of(Step.EVALUATE, busy ? SdkErrorCode.PEERS_BUSY
                        : refused ? SdkErrorCode.PROPOSAL_REFUSED : SdkErrorCode.PEER_UNAVAILABLE,
                "no peer of channel '" + channel + "' answered the query: " + failures).txId(proposed.txId())
                .endorsementFailures(failures).build();
    }

    // ---- configuration

    /** The channel's configuration at the orderers: read the one in force, submit a config update. */
    public ChannelConfigs configs() {
        return new ChannelConfigs(this);
    }

    // ---- ordering

    /**
     * Broadcasts {@code transaction} to the channel's orderers, one after the other until one orders it
     * (unreachable or 503: next orderer; the same envelope is never ordered twice). Returns the number
     * of the block that holds it.
     */
    public long broadcast(EndorsedTransaction transaction) {
        gateway.requireOpen(Step.ORDER);
        List<NodeEndpoint> orderers = orderers();
        if (orderers.isEmpty()) {
            throw SdkException.of(Step.ORDER, SdkErrorCode.NO_ORDERERS, "no orderer is known for channel '" + channel
                    + "': check discovery or the explicit orderers given to the gateway").txId(transaction.txId()).build();
        }
        List<NodeEndpoint> rotated = new ArrayList<>(orderers);
        java.util.Collections.rotate(rotated, -Math.floorMod(rotation.getAndIncrement(), rotated.size()));
        long deadline = System.nanoTime() + gateway.timeouts().order().toNanos();
        List<String> failures = new ArrayList<>();
        boolean timedOut = false;
        for (NodeEndpoint orderer : rotated) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                timedOut = true;
                break;
            }
            BroadcastResponse response;
            try {
                response = BroadcastResponse.parseFrom(await(call(orderer, BROADCAST, transaction.envelope(),
                        Duration.ofNanos(remaining)), Step.ORDER));
            } catch (TransportException e) {
                timedOut |= e.code() == ErrorCode.DEADLINE_EXCEEDED;
                failures.add(orderer.name() + ": " + e.getMessage());
                continue;
            } catch (InvalidProtocolBufferException e) {
                failures.add(orderer.name() + ": the answer is not a BroadcastResponse");
                continue;
            }
            if (response.getStatus() == BroadcastStatus.SUCCESS || response.getReason() == BroadcastReason.DUPLICATE_TXID) {
                return response.hasBlockNumber() ? response.getBlockNumber() : -1;
            }
            if (response.getStatus() == BroadcastStatus.SERVICE_UNAVAILABLE) {
                failures.add(orderer.name() + ": " + response.getReason() + " " + response.getMessage());
                continue;
            }
            throw SdkException.of(Step.ORDER, SdkErrorCode.ORDERING_REFUSED, orderer.name() + " refused the transaction: "
                    + response.getStatus() + " " + response.getReason() + ": " + response.getMessage())
                    .txId(transaction.txId()).ordererReason(response.getReason().name()).build();
        }
        throw SdkException.of(Step.ORDER, timedOut ? SdkErrorCode.TIMEOUT : SdkErrorCode.ORDERERS_UNAVAILABLE,
                "no orderer ordered the transaction" + (timedOut ? " within " + gateway.timeouts().order() : "") + ": "
                        + failures + " (submit the same EndorsedTransaction again: it is never ordered twice)")
                .txId(transaction.txId()).build();
    }

    // ---- commit status

    /** Waits (up to {@link Timeouts#commit()}) for {@code txId} to commit, asking a peer of this identity's organization first. */
    public CommitStatus commitStatus(String txId) {
        return commitStatus(txId, List.of());
    }

    /**
     * The status of {@code txId} as a peer knows it now, without waiting: empty when that peer has not
     * committed it (not yet, or never submitted).
     */
    public Optional<CommitStatus> transactionStatus(String txId) {
        return status(txId, List.of(), false);
    }

    CommitStatus commitStatus(String txId, List<NodeEndpoint> endorsers) {
        return status(txId, endorsers, true).orElseThrow(() -> SdkException.of(Step.COMMIT, SdkErrorCode.PEER_UNAVAILABLE,
                "no peer reported the commit status of " + txId).txId(txId).build());
    }

    private Optional<CommitStatus> status(String txId, List<NodeEndpoint> endorsers, boolean wait) {
        gateway.requireOpen(Step.COMMIT);
        List<NodeEndpoint> candidates = preferOwnOrganization(peers(), endorsers);
        if (candidates.isEmpty()) {
            throw SdkException.of(Step.COMMIT, SdkErrorCode.NO_PEERS, "no peer is known for channel '" + channel + "'")
                    .txId(txId).build();
        }
        ByteString request = CommitStatusRequest.newBuilder().setChannelId(channel).setTxId(txId).setWait(wait).build()
                .toByteString();
        long deadline = System.nanoTime() + gateway.timeouts().commit().toNanos();
        List<String> failures = new ArrayList<>();
        for (NodeEndpoint peer : candidates) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            CommitStatusResponse response;
            try {
                response = CommitStatusResponse.parseFrom(await(call(peer, COMMIT_STATUS, request, Duration.ofNanos(remaining)),
                        Step.COMMIT));
            } catch (TransportException e) {
                if (e.code() == ErrorCode.DEADLINE_EXCEEDED) {
                    throw SdkException.of(Step.COMMIT, SdkErrorCode.TIMEOUT, (wait ? peer.name() + " did not see " + txId
                            + " commit" : peer.name() + " did not answer") + " within " + gateway.timeouts().commit()
                            + "; ask again with Network.commitStatus(\"" + txId + "\")").txId(txId).build();
                }
                failures.add(peer.name() + ": " + e.getMessage());
                continue;
            } catch (InvalidProtocolBufferException e) {
                failures.add(peer.name() + ": the answer is not a CommitStatusResponse");
                continue;
            }
            // a claim (an unverified envelope naming the id) is never the answer a submitter waits for
            if (!response.getFound() || (wait && response.getClaim())) {
                if (!wait) {
                    return Optional.empty();
                }
                failures.add(peer.name() + ": answered without the transaction");
                continue;
            }
            return Optional.of(new CommitStatus(txId, response.getBlockNumber(), response.getTxNumber(), response.getValidationCode(),
                    response.hasMvccConflict() ? Optional.of(conflict(response.getMvccConflict(),
                            response.getValidationCode().equals("PHANTOM_READ_CONFLICT"))) : Optional.empty(),
                    response.getClaim()));
        }
        throw SdkException.of(Step.COMMIT, failures.isEmpty() ? SdkErrorCode.TIMEOUT : SdkErrorCode.PEER_UNAVAILABLE,
                "no peer reported the commit status of " + txId + ": " + failures).txId(txId).build();
    }

    static ReadConflict conflict(MvccConflict conflict, boolean phantom) {
        return new ReadConflict(conflict.getNamespace(), conflict.getKey(),
                conflict.hasReadVersion() ? Optional.of(new ReadConflict.KeyVersion(conflict.getReadVersion().getBlockNumber(),
                        conflict.getReadVersion().getTxNumber())) : Optional.empty(),
                conflict.hasCommittedVersion() ? Optional.of(new ReadConflict.KeyVersion(
                        conflict.getCommittedVersion().getBlockNumber(), conflict.getCommittedVersion().getTxNumber()))
                        : Optional.empty(),
                phantom);
    }

    static SdkException invalid(CommitStatus status) {
        String code = status.validationCode();
        SdkErrorCode error = switch (code) {
            case "MVCC_READ_CONFLICT" -> SdkErrorCode.MVCC_READ_CONFLICT;
            case "PHANTOM_READ_CONFLICT" -> SdkErrorCode.PHANTOM_READ_CONFLICT;
            default -> SdkErrorCode.TRANSACTION_INVALID;
        };
        String detail = switch (error) {
            case MVCC_READ_CONFLICT, PHANTOM_READ_CONFLICT -> status.conflict()
                    .map(c -> "key " + c + " changed between endorsement and validation")
                    .orElse("a key read changed between endorsement and validation")
                    + "; submit again (Invocation.withMvccRetries does it for you)";
            default -> "the peers invalidated it with " + code;
        };
        return SdkException.of(Step.COMMIT, error, "transaction " + status.txId() + " was ordered in block "
                        + status.blockNumber() + " but is invalid: " + detail)
                .txId(status.txId()).validationCode(code).conflict(status.conflict().orElse(null)).build();
    }

    // ---- events

    /** Committed blocks from {@code startBlock} on, then each new one; resumable from {@link EventStream#nextBlockNumber()}. */
    public EventStream<BlockEvent> blockEvents(long startBlock) {
        gateway.requireOpen(Step.EVENTS);
        return EventStream.open(this, startBlock, event -> List.of(event));
    }

    /**
     * The events of {@code contractName} in valid transactions, from block {@code startBlock} on; resumable
     * from {@link EventStream#nextBlockNumber()}.
     */
    public EventStream<ContractEvent> contractEvents(String contractName, long startBlock) {
        gateway.requireOpen(Step.EVENTS);
        return EventStream.open(this, startBlock, event -> ContractEvents.of(event, contractName));
    }

    /**
     * Block {@code number} as a peer committed it, waiting up to {@code timeout} for it; empty when it was not
     * committed within that time.
     */
    public Optional<BlockEvent> block(long number, Duration timeout) {
        try (EventStream<BlockEvent> stream = blockEvents(number)) {
            return stream.next(timeout);
        }
    }

    /** Peers for streams: this identity's organization first. */
    List<NodeEndpoint> streamPeers() {
        return preferOwnOrganization(peers(), List.of());
    }

    // ---- plumbing

    Gateway gateway() {
        return gateway;
    }

    SignedProposalBuilder proposals() {
        return proposals;
    }

    private List<NodeEndpoint> preferOwnOrganization(List<NodeEndpoint> all, List<NodeEndpoint> preferred) {
        String own = gateway.identity().mspId();
        List<NodeEndpoint> ordered = new ArrayList<>();
        preferred.stream().filter(p -> p.mspId().equals(own)).forEach(ordered::add);
        List<NodeEndpoint> rotated = new ArrayList<>(all);
        if (!rotated.isEmpty()) {
            java.util.Collections.rotate(rotated, -Math.floorMod(rotation.getAndIncrement(), rotated.size()));
        }
        rotated.stream().filter(p -> p.mspId().equals(own) && !ordered.contains(p)).forEach(ordered::add);
        preferred.stream().filter(p -> !ordered.contains(p)).forEach(ordered::add);
        rotated.stream().filter(p -> !ordered.contains(p)).forEach(ordered::add);
        return ordered;
    }

    private CompletableFuture<ByteString> call(NodeEndpoint node, String method, ByteString request, Duration deadline) {
        TransportClient client = BROADCAST.equals(method) ? gateway.ordererClient(node) : gateway.peerClient(node);
        return client.call(method, request, deadline.isZero() ? Duration.ofMillis(1) : deadline);
    }

    /**
     * The answer of {@code call}; a transport failure is thrown as the TransportException, for the step
     * to report; an interruption ends the whole operation with {@link SdkErrorCode#CANCELLED} in {@code step}.
     */
    static ByteString await(CompletableFuture<ByteString> call, Step step) {
        try {
            return call.get();
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw SdkException.of(step, SdkErrorCode.CANCELLED, "interrupted while waiting for an answer").cause(e).build();
        } catch (CancellationException e) {
            throw SdkException.of(step, SdkErrorCode.CANCELLED, "the call was cancelled").cause(e).build();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TransportException transport) {
                throw transport;
            }
            throw new TransportException(ErrorCode.INTERNAL, String.valueOf(e.getCause()), e.getCause());
        }
    }
}
