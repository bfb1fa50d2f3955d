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
    private final EndorsementPlanner planner;

    Contract(Network network, String name, Optional<Policy> endorsementPolicy) {
        this.network = network;
        this.name = Objects.requireNonNull(name, "name");
        this.planner = new EndorsementPlanner(endorsementPolicy, network.organizations());
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

    /** As {@link #submit(String, String...)}; with {@link Invocation#mvccRetries()} &gt; 0, MVCC conflicts are retried. */
    public SubmitResult submit(Invocation invocation) {
        int attempt = 1;
        while (true) {
            EndorsedTransaction transaction = endorse(invocation);
            try {
                SubmitResult result = network.submit(transaction);
                return new SubmitResult(result.txId(), result.blockNumber(), result.txNumber(), result.result(), attempt);
            } catch (SdkException e) {
                boolean conflict = e.code() == SdkErrorCode.MVCC_READ_CONFLICT || e.code() == SdkErrorCode.PHANTOM_READ_CONFLICT;
                if (!conflict || attempt > invocation.mvccRetries()) {
                    throw e;
                }
                attempt++;
            }
        }
    }

    /**
     * Endorses {@code invocation} and signs the transaction without broadcasting it; send it later with
     * {@link Network#submit(EndorsedTransaction)} or {@link Network#broadcast(EndorsedTransaction)}.
     */
    public EndorsedTransaction endorse(Invocation invocation) {
        return whileBusy(() -> network.endorse(network.proposals().invoke(network.channel(), name, invocation), planner));
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

    /** The endorsement policy the SDK plans with, as text (or a description of the default). */
    public String endorsementPlan() {
        return planner.describe();
    }
}
