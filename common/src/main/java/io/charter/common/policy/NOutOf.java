package io.charter.common.policy;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Satisfied when at least {@code n} of {@code rules} are satisfied, each by signers of its own: a
 * signer that satisfies one principal cannot also satisfy another.
 *
 * @param n the threshold, between 1 and the number of rules
 * @param rules the sub-policies, at least one
 */
public record NOutOf(int n, List<SignaturePolicy> rules) implements SignaturePolicy {

    public NOutOf {
        rules = List.copyOf(rules);
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("a threshold policy needs at least one sub-policy");
        }
        if (n < 1 || n > rules.size()) {
            throw new IllegalArgumentException(
                    "threshold " + n + " is outside 1.." + rules.size() + ", the number of sub-policies");
        }
        rules.forEach(rule -> Objects.requireNonNull(rule, "rule"));
    }

    public boolean isAnd() {
        return n == rules.size();
    }

    public boolean isOr() {
        return n == 1;
    }

    /**
     * {@code AND} and {@code OR} where they say the same thing as {@code OutOf}; a single rule is
     * written {@code OR(x)} (it is also {@code AND(x)}, any form parses back equal).
     */
    @Override
    public String text() {
        String arguments = rules.stream().map(SignaturePolicy::text).collect(Collectors.joining(", "));
        if (isOr()) {
            return "OR(" + arguments + ")";
        }
        if (isAnd()) {
            return "AND(" + arguments + ")";
        }
        return "OutOf(" + n + ", " + arguments + ")";
    }

    @Override
    public String toString() {
        return text();
    }
}
