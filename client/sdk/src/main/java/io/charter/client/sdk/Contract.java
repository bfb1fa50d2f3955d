package io.charter.client.sdk;

import io.charter.common.policy.Policy;
import java.util.Objects;
import java.util.Optional;

/**
 * A contract on a channel: {@link #evaluate} queries one peer, {@link #submit} runs the whole
 * execute-order-validate flow and returns once the transaction committed as valid. Thread-safe.
 */
public final class Contract {

    static final int BUSY_RETRIES = 5;
    static final long FIRST_BUSY_BACKOFF_MILLIS = 25;

    private final Network network;
    private final String name;
    /** The caller's policy ({@link Network#contract(String, String)}); empty = learned from the channel. */
    private final Optional<EndorsementPlanner> explicit;

    Contract(Network network, String name, Optional<Policy> endorsementPolicy) {
        this.network = network;
        this.name = Objects.requireNonNull(name, "name");
        this.explicit = endorsementPolicy.map(policy -> new EndorsementPlanner(Optional.of(policy), network.organizations()));
    }

    /** What endorsements are planned with: the caller's policy, or the one learned from the channel. */
    private record Plan(EndorsementPlanner planner, Optional<ContractPolicy> learned) {}

    private Plan plan() {
        if (explicit.isPresent()) {
            return new Plan(explicit.get(), Optional.empty());
        }
        return planOf(network.contractPolicy(name));
    }

    private Plan planOf(Optional<ContractPolicy> learned) {
        return new Plan(learned.map(p -> new EndorsementPlanner(Optional.of(Policy.parse(p.endorsementPolicy())),
                p.organizations())).orElseGet(() -> new EndorsementPlanner(Optional.empty(), network.organizations())), learned);
    }

    /**
     * The policy learned again when {@code plan} may be stale: empty when the contract's policy is the
     * caller's, or the peers report the same definition (same sequence) as before.
     */
    private Optional<Plan> relearned(Plan plan) {
        if (explicit.isPresent() || plan.learned().isEmpty()) {
            return Optional.empty();
        }
        Optional<ContractPolicy> fresh = network.relearnPolicy(name, plan.learned());
        boolean changed = fresh.isEmpty() || fresh.get().sequence() != plan.learned().get().sequence()
                || !fresh.get().endorsementPolicy().equals(plan.learned().get().endorsementPolicy());
        return changed ? Optional.of(planOf(fresh)) : Optional.empty();
    }

    public String name() {
        return name;
    }

    public Network network() {
        return network;
    }

    /**
     * Runs {@code function(args)} on one peer (this identity's organization first, the next peer when one
     * cannot answer) without ordering anything, and returns what it returned.
     *
     * @throws SdkException in step EVALUATE: {@code CONTRACT_FAILED}, {@code PROPOSAL_REFUSED},
     *     {@code PEER_UNAVAILABLE}, {@code NO_PEERS}, {@code TIMEOUT}
     */
    public byte[] evaluate(String function, String... args) {
        return evaluate(Invocation.of(function, args));
    }

    public byte[] evaluate(Invocation invocation) {
        return whileBusy(() -> network.evaluate(network.proposals().invoke(network.channel(), name, invocation)));
    }

    /**
     * Submits {@code function(args)}: endorsement by enough organizations, agreement of the endorsements,
     * broadcast with orderer failover, and the commit status. Returns once committed as valid.
     *
     * @throws SdkException naming the step that failed: ENDORSE ({@code ENDORSEMENT_POLICY_NOT_SATISFIED}
     *     with the missing organizations, {@code CONTRACT_FAILED}, {@code ENDORSEMENTS_DIFFER},
     *     {@code PROPOSAL_REFUSED}, ...), ORDER, or COMMIT ({@code MVCC_READ_CONFLICT} with the key, ...)
     */
    public SubmitResult submit(String function, String... args) {
        return submit(Invocation.of(function, args));
    }

    /**
     * As {@link #submit(String, String...)}; with {@link Invocation#mvccRetries()} &gt; 0, MVCC conflicts are retried.
     * For a contract whose policy was learned from the channel, a transaction invalidated with
     * {@code ENDORSEMENT_POLICY_FAILURE} makes the SDK ask the policy again: when the contract was redefined
     * since (another sequence or policy), it is submitted once more, from a new proposal, under the new policy.
     */
    public SubmitResult submit(Invocation invocation) {
        int attempt = 1;
        int conflicts = 0;
        boolean policyRelearned = false;
        while (true) {
            Plan plan = plan();
            EndorsedTransaction transaction = endorse(invocation, plan);
            try {
                SubmitResult result = network.submit(transaction);
                return new SubmitResult(result.txId(), result.blockNumber(), result.txNumber(), result.result(), attempt);
            } catch (SdkException e) {
                boolean conflict = e.code() == SdkErrorCode.MVCC_READ_CONFLICT || e.code() == SdkErrorCode.PHANTOM_READ_CONFLICT;
                if (conflict && conflicts < invocation.mvccRetries()) {
                    conflicts++;
                    attempt++;
                    continue;
                }
                boolean policyFailure = e.code() == SdkErrorCode.TRANSACTION_INVALID
                        && e.validationCode().filter("ENDORSEMENT_POLICY_FAILURE"::equals).isPresent();
                if (policyFailure && !policyRelearned && relearned(plan).isPresent()) {
                    policyRelearned = true;
                    attempt++;
                    continue;
                }
                throw e;
            }
        }
    }

    /**
     * Endorses {@code invocation} and signs the transaction without broadcasting it; send it later with
     * {@link Network#submit(EndorsedTransaction)} or {@link Network#broadcast(EndorsedTransaction)}.
     */
    public EndorsedTransaction endorse(Invocation invocation) {
        return endorse(invocation, plan());
    }

    /**
     * Endorses under {@code plan}; when that cannot be satisfied with a policy learned from the channel and
     * the peers now report another definition, once more under the new one.
     */
    private EndorsedTransaction endorse(Invocation invocation, Plan plan) {
        try {
            return whileBusy(() -> network.endorse(network.proposals().invoke(network.channel(), name, invocation),
                    plan.planner()));
        } catch (SdkException e) {
            boolean maybeStale = e.code() == SdkErrorCode.ENDORSEMENT_POLICY_NOT_SATISFIED
                    || (e.code() == SdkErrorCode.PROPOSAL_REFUSED && e.endorsementFailures().stream()
                            .anyMatch(f -> f.reason().equals("UNDEFINED_CONTRACT")));
            if (!maybeStale) {
                throw e;
            }
            Optional<Plan> fresh = relearned(plan);
            if (fresh.isEmpty()) {
                throw e;
            }
            return whileBusy(() -> network.endorse(network.proposals().invoke(network.channel(), name, invocation),
                    fresh.get().planner()));
        }
    }

    /**
     * Runs {@code attempt} again, with a new proposal each time (a peer refuses a tx id it has seen), while the
     * peers answer that the contract is busy: up to {@value #BUSY_RETRIES} more times, backing off from
     * {@value #FIRST_BUSY_BACKOFF_MILLIS} ms, doubling, with jitter.
     */
    private static <T> T whileBusy(java.util.function.Supplier<T> attempt) {
        for (int retry = 0; ; retry++) {
            try {
                return attempt.get();
            } catch (SdkException e) {
                if (e.code() != SdkErrorCode.PEERS_BUSY || retry >= BUSY_RETRIES) {
                    throw e;
                }
                long backoff = FIRST_BUSY_BACKOFF_MILLIS << retry;
                try {
                    Thread.sleep(backoff / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(backoff));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw SdkException.of(e.step(), SdkErrorCode.CANCELLED, "interrupted while the peers were busy")
                            .cause(interrupted).build();
                }
            }
        }
    }

    /**
     * The endorsement policy the SDK plans with, as text (or a description of the default when the peers
     * cannot tell it). For a contract without an explicit policy this asks a peer the first time.
     *
     * @throws SdkException as {@link Network#contractPolicy}
     */
    public String endorsementPlan() {
        return plan().planner().describe();
    }
}
