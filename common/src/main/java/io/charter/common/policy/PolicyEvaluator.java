package io.charter.common.policy;

import io.charter.common.identity.ValidatedIdentity;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides whether a set of signers satisfies a policy.
 *
 * <p>One signer counts for at most one principal: a signer used for one leaf of the policy cannot
 * be used for another. Fabric's evaluator assigns signers greedily, leaf by leaf, and so rejects
 * some signer sets that do satisfy the policy depending on their order (with signers [peer1,
 * admin1], {@code AND('Org1.member', 'Org1.peer')} gives peer1 to member and then has no peer).
 * This evaluator is exact: it searches the sets of leaves to satisfy, backtracking, and keeps a
 * bipartite matching of leaves to signers that it extends by an augmenting path for each leaf it
 * adds, so a set of leaves is accepted exactly when distinct signers exist for all of them. The
 * search prunes branches whose policy can no longer be satisfied and stops as soon as it is.
 * Signer sets are small (tens at most), so the exponential worst case does not arise in practice.
 *
 * <p>Signers with the same certificate count once.
 */
public final class PolicyEvaluator {

    private PolicyEvaluator() {}

    public static Evaluation evaluate(SignaturePolicy policy, Collection<ValidatedIdentity> signers) {
        List<ValidatedIdentity> distinct = distinctByCertificate(signers);
        Optional<List<Assignment>> assignment = new Search(policy, distinct).run();
        if (assignment.isPresent()) {
            return Evaluation.satisfied(assignment.get().stream()
                    .map(Assignment::text)
                    .collect(Collectors.joining(", ", "signed by ", "")));
        }
        return Evaluation.notSatisfied(shortfall(policy, distinct));
    }

    /**
     * Evaluates any policy; {@code subPolicies} supplies the organizations and their named policies
     * for ANY/ALL/MAJORITY. Each organization's policy is evaluated against all the signers.
     */
    public static Evaluation evaluate(
            Policy policy, Collection<ValidatedIdentity> signers, SubPolicies subPolicies) {
        return switch (policy) {
            case SignaturePolicy signaturePolicy -> evaluate(signaturePolicy, signers);
            case ImplicitMeta implicitMeta -> evaluate(implicitMeta, signers, subPolicies);
        };
    }

    private static Evaluation evaluate(
            ImplicitMeta policy, Collection<ValidatedIdentity> signers, SubPolicies subPolicies) {
        List<String> organizations = List.copyOf(subPolicies.organizations());
        if (organizations.isEmpty()) {
            // Fabric treats ANY/ALL/MAJORITY of nothing as satisfied; an empty channel configuration
            // is a mistake, so it fails closed here.
            return Evaluation.notSatisfied(policy.text() + " has no organizations to ask");
        }
        int threshold = policy.rule().threshold(organizations.size());
        List<String> satisfied = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String organization : organizations) {
            String name = organization + " " + policy.subPolicyName();
            Optional<SignaturePolicy> subPolicy = subPolicies.policy(organization, policy.subPolicyName());
            if (subPolicy.isEmpty()) {
                failures.add(organization + " has no policy named " + policy.subPolicyName());
                continue;
            }
            Evaluation evaluation = evaluate(subPolicy.get(), signers);
            if (evaluation.satisfied()) {
                satisfied.add(name + " (" + evaluation.explanation() + ")");
            } else {
                failures.add(name + " " + subPolicy.get().text() + ": " + evaluation.explanation());
            }
        }
        String counted = policy.text() + " needs " + threshold + " of " + organizations.size()
                + " organizations, " + satisfied.size() + " satisfied";
        if (satisfied.size() >= threshold) {
            return Evaluation.satisfied(counted + ": " + String.join("; ", satisfied));
        }
        return Evaluation.notSatisfied(counted + "; " + String.join("; ", failures));
    }

    private static List<ValidatedIdentity> distinctByCertificate(Collection<ValidatedIdentity> signers) {
        Map<X509Certificate, ValidatedIdentity> byCertificate = new LinkedHashMap<>();
        signers.forEach(signer -> byCertificate.putIfAbsent(signer.certificate(), signer));
        return List.copyOf(byCertificate.values());
    }

    // ---- explaining a failure ----

    /**
     * Says what is missing, looking at each part of a threshold on its own: parts that no signer
     * set could satisfy are listed as missing; when the parts are satisfiable one by one but not
     * together, the signers are too few to go round.
     */
    private static String shortfall(SignaturePolicy policy, List<ValidatedIdentity> signers) {
        return switch (policy) {
            case SignedBy signedBy -> "missing a signature from " + signedBy.principal().text();
            case NOutOf threshold -> {
                List<SignaturePolicy> unsatisfiable = threshold.rules().stream()
                        .filter(rule -> new Search(rule, signers).run().isEmpty())
                        .toList();
                int satisfiable = threshold.rules().size() - unsatisfiable.size();
                int needed = threshold.n() - satisfiable;
                if (needed <= 0) {
                    yield "the signatures satisfy " + satisfiable + " of the parts of " + threshold.text()
                            + " one at a time but not " + threshold.n()
                            + " together; one signer counts for only one principal, so more distinct signers are needed";
                }
                if (needed == 1 && unsatisfiable.size() == 1) {
                    yield shortfall(unsatisfiable.getFirst(), signers);
                }
                if (needed == unsatisfiable.size()
                        && unsatisfiable.stream().allMatch(rule -> rule instanceof SignedBy)) {
                    yield "missing signatures from " + unsatisfiable.stream()
                            .map(SignaturePolicy::text)
                            .collect(Collectors.joining(", "));
                }
                yield "needs " + needed + " more of " + unsatisfiable.stream()
                        .map(SignaturePolicy::text)
                        .collect(Collectors.joining(", ", "[", "]"));
            }
        };
    }

    // ---- the search ----

    private record Assignment(Principal principal, ValidatedIdentity signer) {
        String text() {
            return signer.enrollmentId() + " (" + signer.mspId() + "." + signer.role().label() + ") as "
                    + principal.text();
        }
    }

    private sealed interface Node permits Leaf, Gate {}

    private record Leaf(int index, Principal principal) implements Node {}

    private record Gate(int n, List<Node> children) implements Node {}

    private static final class Search {
        private static final byte UNDECIDED = 0;
        private static final byte INCLUDED = 1;
        private static final byte EXCLUDED = 2;
        private static final int IMPOSSIBLE = Integer.MAX_VALUE;

        private final List<ValidatedIdentity> signers;
        private final List<Leaf> leaves = new ArrayList<>();
        /** For each leaf, the nearest earlier sibling leaf with the same principal, or -1. */
        private final List<Integer> previousTwin = new ArrayList<>();
        private final Node root;
        private final int[][] candidates;
        private final byte[] state;
        private int included;
        private int[] signerOfLeaf;
        private int[] leafOfSigner;

        Search(SignaturePolicy policy, List<ValidatedIdentity> signers) {
            this.signers = signers;
            this.root = flatten(policy);
            this.candidates = new int[leaves.size()][];
            for (Leaf leaf : leaves) {
                List<Integer> matching = new ArrayList<>();
                for (int s = 0; s < signers.size(); s++) {
                    if (leaf.principal().isSatisfiedBy(signers.get(s))) {
                        matching.add(s);
                    }
                }
                candidates[leaf.index()] = matching.stream().mapToInt(Integer::intValue).toArray();
            }
            this.state = new byte[leaves.size()];
            this.signerOfLeaf = new int[leaves.size()];
            this.leafOfSigner = new int[signers.size()];
            Arrays.fill(signerOfLeaf, -1);
            Arrays.fill(leafOfSigner, -1);
        }

        private Node flatten(SignaturePolicy policy) {
            return switch (policy) {
                case SignedBy signedBy -> leaf(signedBy.principal(), -1);
                case NOutOf threshold -> {
                    List<Node> children = new ArrayList<>();
                    Map<Principal, Integer> lastLeafOf = new HashMap<>();
                    for (SignaturePolicy rule : threshold.rules()) {
                        if (rule instanceof SignedBy signedBy) {
                            Leaf leaf = leaf(signedBy.principal(), lastLeafOf.getOrDefault(signedBy.principal(), -1));
                            lastLeafOf.put(signedBy.principal(), leaf.index());
                            children.add(leaf);
                        } else {
                            children.add(flatten(rule));
                        }
                    }
                    yield new Gate(threshold.n(), List.copyOf(children));
                }
            };
        }

        private Leaf leaf(Principal principal, int twin) {
            Leaf leaf = new Leaf(leaves.size(), principal);
            leaves.add(leaf);
            previousTwin.add(twin);
            return leaf;
        }

        /** The signers for the leaves used, if the policy can be satisfied. */
        Optional<List<Assignment>> run() {
            if (!search(0)) {
                return Optional.empty();
            }
            List<Assignment> assignment = new ArrayList<>();
            for (Leaf leaf : leaves) {
                if (state[leaf.index()] == INCLUDED) {
                    assignment.add(new Assignment(leaf.principal(), signers.get(signerOfLeaf[leaf.index()])));
                }
            }
            return Optional.of(assignment);
        }

        /**
         * Decides leaf {@code next} and the ones after it. Two prunings keep this small: a branch
         * stops when the policy needs more further leaves than there are unused signers, and of
         * identical sibling leaves only a prefix is ever included (which ones does not matter), so
         * {@code OutOf(k, 'Org1.member', ... 30 times)} is not a search over 30-choose-k subsets.
         */
        private boolean search(int next) {
            if (holds(root)) {
                // Leaves still undecided are not needed: mark them so that run() reports only the used ones.
                for (int i = next; i < state.length; i++) {
                    state[i] = EXCLUDED;
                }
                return true;
            }
            if (next == leaves.size() || leavesStillNeeded(root) > signers.size() - included) {
                return false;
            }
            int twin = previousTwin.get(next);
            boolean twinLeftOut = twin >= 0 && state[twin] == EXCLUDED;
            if (candidates[next].length > 0 && !twinLeftOut) {
                int[] savedSignerOfLeaf = signerOfLeaf.clone();
                int[] savedLeafOfSigner = leafOfSigner.clone();
                if (augment(next, new boolean[signers.size()])) {
                    state[next] = INCLUDED;
                    included++;
                    if (search(next + 1)) {
                        return true;
                    }
                    included--;
                    signerOfLeaf = savedSignerOfLeaf;
                    leafOfSigner = savedLeafOfSigner;
                }
            }
            state[next] = EXCLUDED;
            if (search(next + 1)) {
                return true;
            }
            state[next] = UNDECIDED;
            return false;
        }

        /** Whether the included leaves alone satisfy the node. */
        private boolean holds(Node node) {
            return switch (node) {
                case Leaf leaf -> state[leaf.index()] == INCLUDED;
                case Gate gate -> {
                    int satisfied = 0;
                    for (Node child : gate.children()) {
                        if (holds(child) && ++satisfied >= gate.n()) {
                            yield true;
                        }
                    }
                    yield false;
                }
            };
        }

        /**
         * The fewest undecided leaves that would still have to be included to satisfy the node, or
         * {@link #IMPOSSIBLE}. Each included leaf takes a signer of its own, so a branch that needs
         * more than the unused signers cannot succeed.
         */
        private int leavesStillNeeded(Node node) {
            return switch (node) {
                case Leaf leaf -> switch (state[leaf.index()]) {
                    case INCLUDED -> 0;
                    case UNDECIDED -> candidates[leaf.index()].length > 0 ? 1 : IMPOSSIBLE;
                    default -> IMPOSSIBLE;
                };
                case Gate gate -> {
                    int[] costs = gate.children().stream().mapToInt(this::leavesStillNeeded).sorted().toArray();
                    long total = 0;
                    for (int i = 0; i < gate.n(); i++) {
                        total += costs[i];
                    }
                    yield (int) Math.min(total, IMPOSSIBLE);
                }
            };
        }

        /** Kuhn's augmenting path: finds a signer for {@code leaf}, moving other leaves to other signers. */
        private boolean augment(int leaf, boolean[] visited) {
            for (int signer : candidates[leaf]) {
                if (visited[signer]) {
                    continue;
                }
                visited[signer] = true;
                if (leafOfSigner[signer] < 0 || augment(leafOfSigner[signer], visited)) {
                    signerOfLeaf[leaf] = signer;
                    leafOfSigner[signer] = leaf;
                    return true;
                }
            }
            return false;
        }
    }
}
