package io.charter.common.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.pki.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Checks the evaluator against a brute-force oracle on every subset of a signer pool, for
 * generated policies over three organizations.
 */
class PolicyEvaluatorOracleTest {

    private static final List<String> ORGANIZATIONS = List.of("Org1", "Org2", "Org3");

    /** One identity per organization and role, and a second Org1 peer so that roles compete. */
    private static final List<ValidatedIdentity> POOL = pool();

    private static final List<Principal> PRINCIPALS = principals();

    private static final int MAX_LEAVES = 6;

    @Test
    void aPolicyOverThreeOrganizationsEvaluatesRightForEverySubsetOfSigners() {
        qt().withExamples(60)
                .forAll(PolicyGenerators.signaturePoliciesOver(PRINCIPALS, 3, 3)
                        .assuming(policy -> leaves(policy).size() <= MAX_LEAVES))
                .checkAssert(PolicyEvaluatorOracleTest::agreesWithTheOracleOnEverySubset);
    }

    private static void agreesWithTheOracleOnEverySubset(SignaturePolicy policy) {
        for (int mask = 0; mask < 1 << POOL.size(); mask++) {
            List<ValidatedIdentity> subset = new ArrayList<>();
            for (int i = 0; i < POOL.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    subset.add(POOL.get(i));
                }
            }
            boolean expected = oracle(policy, subset);

            // The evaluator must not depend on order, and must count a repeated certificate once.
            List<ValidatedIdentity> presented = new ArrayList<>(subset);
            Collections.shuffle(presented, new Random(mask));
            if (!subset.isEmpty()) {
                presented.add(presented.getFirst());
            }
            Evaluation actual = PolicyEvaluator.evaluate(policy, presented);

            if (actual.satisfied() != expected) {
                throw new AssertionError("policy " + policy.text() + " with signers " + names(presented)
                        + ": evaluator says " + actual + ", brute force says " + (expected ? "satisfied" : "not satisfied"));
            }
        }
    }

    @Test
    void theOracleItselfSeesTheGreedyCounterExample() {
        SignaturePolicy policy = SignaturePolicy.parse("AND('Org1.member', 'Org1.peer')");
        ValidatedIdentity peer = POOL.stream().filter(i -> i.mspId().equals("Org1") && i.role() == Role.PEER).findFirst().orElseThrow();
        ValidatedIdentity admin = POOL.stream().filter(i -> i.mspId().equals("Org1") && i.role() == Role.ADMIN).findFirst().orElseThrow();

        assertThat(oracle(policy, List.of(peer, admin))).isTrue();
        assertThat(oracle(policy, List.of(peer))).isFalse();
    }

    // ---- the oracle: every injective assignment of signers to leaves, then the boolean formula ----

    private static boolean oracle(SignaturePolicy policy, List<ValidatedIdentity> signers) {
        List<Principal> leaves = leaves(policy);
        return assign(policy, leaves, signers, 0, new boolean[leaves.size()], new boolean[signers.size()]);
    }

    private static boolean assign(SignaturePolicy policy, List<Principal> leaves, List<ValidatedIdentity> signers,
            int leaf, boolean[] leafSigned, boolean[] signerUsed) {
        if (leaf == leaves.size()) {
            return formula(policy, leafSigned, new int[] {0});
        }
        // This leaf left unsigned...
        if (assign(policy, leaves, signers, leaf + 1, leafSigned, signerUsed)) {
            return true;
        }
        // ...or signed by any unused signer that fits it.
        for (int s = 0; s < signers.size(); s++) {
            ValidatedIdentity signer = signers.get(s);
            Principal principal = leaves.get(leaf);
            boolean fits = signer.mspId().equals(principal.mspId())
                    && (principal.role() == PrincipalRole.MEMBER || principal.role().name().equals(signer.role().name()));
            if (!signerUsed[s] && fits) {
                signerUsed[s] = true;
                leafSigned[leaf] = true;
                boolean satisfied = assign(policy, leaves, signers, leaf + 1, leafSigned, signerUsed);
                leafSigned[leaf] = false;
                signerUsed[s] = false;
                if (satisfied) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Evaluates the formula with leaves numbered in depth-first order, as {@link #leaves} lists them. */
    private static boolean formula(SignaturePolicy policy, boolean[] leafSigned, int[] nextLeaf) {
        return switch (policy) {
            case SignedBy ignored -> leafSigned[nextLeaf[0]++];
            case NOutOf threshold -> {
                int satisfied = 0;
                for (SignaturePolicy rule : threshold.rules()) {
                    if (formula(rule, leafSigned, nextLeaf)) {
                        satisfied++;
                    }
                }
                yield satisfied >= threshold.n();
            }
        };
    }

    private static List<Principal> leaves(SignaturePolicy policy) {
        return switch (policy) {
            case SignedBy signedBy -> List.of(signedBy.principal());
            case NOutOf threshold -> threshold.rules().stream().flatMap(rule -> leaves(rule).stream()).toList();
        };
    }

    // ---- fixtures ----

    private static List<ValidatedIdentity> pool() {
        List<ValidatedIdentity> pool = new ArrayList<>();
        for (String organization : ORGANIZATIONS) {
            for (Role role : Role.values()) {
                pool.add(TestIdentities.identity(organization, role));
            }
        }
        pool.add(TestIdentities.identity("Org1", Role.PEER, "Org1-peer-2"));
        return List.copyOf(pool);
    }

    private static List<Principal> principals() {
        List<Principal> principals = new ArrayList<>();
        for (String organization : ORGANIZATIONS) {
            for (PrincipalRole role : PrincipalRole.values()) {
                principals.add(new Principal(organization, role));
            }
        }
        return List.copyOf(principals);
    }

    private static List<String> names(List<ValidatedIdentity> signers) {
        return signers.stream().map(ValidatedIdentity::enrollmentId).toList();
    }
}
