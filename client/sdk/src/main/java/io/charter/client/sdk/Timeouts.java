package io.charter.client.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each step may take before it fails with {@link SdkErrorCode#TIMEOUT}.
 *
 * @param evaluate a query on one peer (each peer tried gets what is left)
 * @param endorse collecting the endorsements of a submit (all peers asked at once)
 * @param order the broadcast, failover to other orderers included (the orderer answers once the block is cut and written)
 * @param commit waiting for the commit status on a peer after ordering
 */
public record Timeouts(Duration evaluate, Duration endorse, Duration order, Duration commit) {

    public Timeouts {
        requirePositive(evaluate, "evaluate");
        requirePositive(endorse, "endorse");
        requirePositive(order, "order");
        requirePositive(commit, "commit");
    }

    /** 30 s to evaluate, 30 s to endorse, 30 s to order, 60 s for the commit. */
    public static Timeouts defaults() {
        return new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    public Timeouts withEvaluate(Duration value) {
        return new Timeouts(value, endorse, order, commit);
    }

    public Timeouts withEndorse(Duration value) {
        return new Timeouts(evaluate, value, order, commit);
    }

    public Timeouts withOrder(Duration value) {
        return new Timeouts(evaluate, endorse, value, commit);
    }

    public Timeouts withCommit(Duration value) {
        return new Timeouts(evaluate, endorse, order, value);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("the " + name + " timeout must be positive: " + value);
        }
    }
}
