package io.charter.common.policy;

import java.util.Objects;

/**
 * The outcome of evaluating a policy against a set of signers, with an explanation a user can act
 * on: which signer satisfied which principal, or what is missing (e.g. {@code needs 1 more of
 * ['Org2.peer', 'Org3.peer']}).
 */
public record Evaluation(boolean satisfied, String explanation) {

    public Evaluation {
        Objects.requireNonNull(explanation, "explanation");
    }

    static Evaluation satisfied(String explanation) {
        return new Evaluation(true, explanation);
    }

    static Evaluation notSatisfied(String explanation) {
        return new Evaluation(false, explanation);
    }

    @Override
    public String toString() {
        return (satisfied ? "satisfied: " : "not satisfied: ") + explanation;
    }
}
