package io.charter.peer.lifecycle;

import io.charter.common.policy.ImplicitMeta;
import io.charter.common.policy.NOutOf;
import io.charter.common.policy.Policy;
import io.charter.common.policy.SignaturePolicy;
import io.charter.common.policy.SignedBy;
import io.charter.common.policy.SubPolicies;
import io.charter.protocol.CollectionConfig;
import io.charter.protocol.ContractDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Whether organizations' approvals of a definition satisfy the channel's LifecycleEndorsement policy.
 *
 * <p>An approval is an organization's consent, recorded by its admin and endorsed by its peer: it counts for
 * every principal of that organization in the policy, whatever the role ({@code 'Org1.peer'} and
 * {@code 'Org1.admin'} alike), as Fabric counts an organization's approval. {@code ANY/ALL/MAJORITY X} count
 * the application organizations whose policy {@code X} the approving organizations satisfy.
 */
public final class Approvals {

    private Approvals() {}

    /** The definition an approval or a commit is about: every field but {@code approved_by} (cleared), collections included. */
    public static ContractDefinition approvable(ContractDefinition definition) {
        return definition.toBuilder().clearApprovedBy().build();
    }

    /**
     * The organizations whose approval is exactly {@code definition} (compared without {@code approved_by}).
     *
     * @param approvals each application organization's committed approval, if it has one
     */
    public static SortedSet<String> approvers(ContractDefinition definition, Map<String, Optional<ContractDefinition>> approvals) {
        ContractDefinition wanted = approvable(definition);
        SortedSet<String> approvers = new TreeSet<>();
        approvals.forEach((mspId, approval) -> {
            if (approval.isPresent() && approvable(approval.get()).equals(wanted)) {
                approvers.add(mspId);
            }
        });
        return approvers;
    }

    /**
     * Why {@code approval} (an organization's committed approval, if any) is not exactly {@code definition};
     * empty when it is.
     */
    public static String difference(ContractDefinition definition, Optional<ContractDefinition> approval) {
        if (approval.isEmpty()) {
            return "no approval";
        }
        ContractDefinition a = approvable(approval.get());
        ContractDefinition d = approvable(definition);
        if (a.equals(d)) {
            return "";
        }
        if (a.getSequence() != d.getSequence()) {
            return "approved sequence " + a.getSequence() + ", not " + d.getSequence();
        }
        StringBuilder differs = new StringBuilder();
        if (!a.getVersion().equals(d.getVersion())) {
            differs.append(", version '").append(a.getVersion()).append("'");
        }
        if (!a.getEndorsementPolicy().equals(d.getEndorsementPolicy())) {
            differs.append(", endorsement policy '").append(a.getEndorsementPolicy()).append("'");
        }
        if (!a.getPackageId().equals(d.getPackageId())) {
            differs.append(", package id '").append(a.getPackageId()).append("'");
        }
        if (!a.getCollectionsList().equals(d.getCollectionsList())) {
            List<String> names = collectionNames(a);
            differs.append(", collections ").append(names);
            if (names.equals(collectionNames(d))) {
                differs.append(" with other settings or order");
            }
        }
        return "approved sequence " + a.getSequence() + " with another definition" + differs;
    }

    private static List<String> collectionNames(ContractDefinition definition) {
        return definition.getCollectionsList().stream().map(CollectionConfig::getName).toList();
    }

    /** Whether approvals by {@code approvers} satisfy {@code policy} over the application organizations. */
    public static boolean satisfy(Policy policy, Set<String> approvers, SubPolicies applicationPolicies) {
        return switch (policy) {
            case SignaturePolicy signature -> satisfy(signature, approvers);
            case ImplicitMeta meta -> {
                int organizations = applicationPolicies.organizations().size();
                if (organizations == 0) {
                    yield false;
                }
                long satisfied = applicationPolicies.organizations().stream()
                        .map(org -> applicationPolicies.policy(org, meta.subPolicyName()))
                        .filter(sub -> sub.isPresent() && satisfy(sub.get(), approvers))
                        .count();
                yield satisfied >= meta.rule().threshold(organizations);
            }
        };
    }

    private static boolean satisfy(SignaturePolicy policy, Set<String> approvers) {
        return switch (policy) {
            case SignedBy signedBy -> approvers.contains(signedBy.principal().mspId());
            case NOutOf outOf -> outOf.rules().stream().filter(rule -> satisfy(rule, approvers)).count() >= outOf.n();
        };
    }
}
