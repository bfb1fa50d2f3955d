package io.charter.client.sdk;

import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.pki.Role;
import io.charter.common.policy.Evaluation;
import io.charter.common.policy.ImplicitMeta;
import io.charter.common.policy.NOutOf;
import io.charter.common.policy.Policy;
import io.charter.common.policy.PolicyEvaluator;
import io.charter.common.policy.SignaturePolicy;
import io.charter.common.policy.SignedBy;
import io.charter.common.policy.SubPolicies;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which organizations to ask for endorsements. With a known policy: the smallest set of organizations,
 * one peer endorsement each, that satisfies it (ANY/ALL/MAJORITY count the organizations given: the channel's
 * application organizations as the peer's {@code peer.ContractPolicy} reports them, never the orderer organizations).
 * Without one: every organization of the channel, as Fabric's gateway does when it knows nothing.
 *
 * <p>Planning treats one organization as one peer signer; the exact check of the endorsements finally
 * collected is {@link #evaluate}, with common's exact {@link PolicyEvaluator}.
 */
final class EndorsementPlanner {

    private final Optional<Policy> policy;
    private final SortedSet<String> channelOrganizations;

    EndorsementPlanner(Optional<Policy> policy, Collection<String> channelOrganizations) {
        this.policy = policy;
        this.channelOrganizations = new TreeSet<>(channelOrganizations);
    }

    /**
     * The organizations to have endorsed (a superset of {@code endorsed}, within {@code endorsed ∪ usable}),
     * or empty when no such set satisfies the policy.
     */
    Optional<SortedSet<String>> plan(Set<String> endorsed, Set<String> usable) {
        SortedSet<String> allowed = new TreeSet<>(usable);
        allowed.addAll(endorsed);
        if (policy.isEmpty()) {
            return allowed.containsAll(channelOrganizations) ? Optional.of(new TreeSet<>(channelOrganizations)) : Optional.empty();
        }
        List<String> extra = allowed.stream().filter(o -> !endorsed.contains(o)).toList();
        if (extra.size() > 20) {
            // more organizations than subsets worth enumerating: ask them all
            return satisfiedBy(allowed) ? Optional.of(allowed) : Optional.empty();
        }
        SortedSet<String> best = null;
        for (int mask = 0; mask < (1 << extra.size()); mask++) {
            if (best != null && Integer.bitCount(mask) >= best.size() - endorsed.size()) {
                continue;
            }
            SortedSet<String> candidate = new TreeSet<>(endorsed);
            for (int i = 0; i < extra.size(); i++) {
                if ((mask & (1 << i)) != 0) {
                    candidate.add(extra.get(i));
                }
            }
            if (satisfiedBy(candidate)) {
                best = candidate;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The organizations whose endorsement is missing for the policy to be met, given those that
     * endorsed: the rest of the smallest satisfying set over all the channel's organizations (all of
     * them when none satisfies it).
     */
    SortedSet<String> missing(Set<String> endorsed) {
        SortedSet<String> all = new TreeSet<>(channelOrganizations);
        all.addAll(endorsed);
        SortedSet<String> needed = plan(endorsed, all).orElse(all);
        needed.removeAll(endorsed);
        return needed;
    }

    /** Whether one peer endorsement from each of {@code organizations} meets the policy (always true when it is unknown and all endorsed). */
    boolean satisfiedBy(Set<String> organizations) {
        if (policy.isEmpty()) {
            return organizations.containsAll(channelOrganizations);
        }
        return switch (policy.get()) {
            case SignaturePolicy signature -> satisfies(signature, organizations);
            case ImplicitMeta meta -> organizations.stream().filter(channelOrganizations::contains).count()
                    >= meta.rule().threshold(channelOrganizations.size());
        };
    }

    private static boolean satisfies(SignaturePolicy policy, Set<String> organizations) {
        return switch (policy) {
            case SignedBy signedBy -> organizations.contains(signedBy.principal().mspId())
                    && signedBy.principal().role().accepts(Role.PEER);
            case NOutOf outOf -> outOf.rules().stream().filter(r -> satisfies(r, organizations)).count() >= outOf.n();
        };
    }

    /** The exact check of the endorsers collected, with an explanation of what is missing. */
    Evaluation evaluate(List<ValidatedIdentity> endorsers) {
        if (policy.isEmpty()) {
            Set<String> endorsed = new TreeSet<>();
            endorsers.forEach(e -> endorsed.add(e.mspId()));
            List<String> missing = new ArrayList<>(channelOrganizations);
            missing.removeAll(endorsed);
            return new Evaluation(missing.isEmpty(), missing.isEmpty() ? "endorsed by every organization of the channel"
                    : "no endorsement from " + missing);
        }
        return PolicyEvaluator.evaluate(policy.get(), endorsers, SubPolicies.withDefaults(channelOrganizations));
    }

    String describe() {
        return policy.map(Policy::text).orElse("one endorsement from each organization of the channel " + channelOrganizations);
    }
}
