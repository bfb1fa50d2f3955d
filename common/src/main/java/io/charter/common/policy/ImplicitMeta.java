package io.charter.common.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A policy over the organizations of a channel, written {@code ANY Readers}, {@code ALL Writers} or
 * {@code MAJORITY Admins}: satisfied when any, all, or more than half of the organizations' policies
 * named {@code subPolicyName} are satisfied. It is always a whole policy, never part of another.
 */
public record ImplicitMeta(Rule rule, String subPolicyName) implements Policy {

    static final Pattern SUB_POLICY_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    public enum Rule {
        ANY,
        ALL,
        MAJORITY;

        /** How many of {@code organizations} sub-policies must be satisfied. */
        public int threshold(int organizations) {
            return switch (this) {
                case ANY -> 1;
                case ALL -> organizations;
                case MAJORITY -> organizations / 2 + 1;
            };
        }
    }

    public ImplicitMeta {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(subPolicyName, "subPolicyName");
        if (!SUB_POLICY_NAME.matcher(subPolicyName).matches()) {
            throw new IllegalArgumentException("sub-policy name must be a letter followed by letters, digits, '_' or '-': '"
                    + subPolicyName + "'");
        }
    }

    @Override
    public String text() {
        return rule.name() + " " + subPolicyName;
    }

    @Override
    public String toString() {
        return text();
    }
}
