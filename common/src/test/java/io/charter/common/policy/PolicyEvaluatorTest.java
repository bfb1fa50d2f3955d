package io.charter.common.policy;

import static io.charter.common.policy.SignaturePolicy.and;
import static io.charter.common.policy.SignaturePolicy.or;
import static io.charter.common.policy.SignaturePolicy.outOf;
import static io.charter.common.policy.SignaturePolicy.signedBy;
import static io.charter.common.policy.TestIdentities.identity;
import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.pki.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {

    private static final ValidatedIdentity ORG1_PEER = identity("Org1", Role.PEER, "peer1");
    private static final ValidatedIdentity ORG1_OTHER_PEER = identity("Org1", Role.PEER, "peer2");
    private static final ValidatedIdentity ORG1_ADMIN = identity("Org1", Role.ADMIN, "admin1");
    private static final ValidatedIdentity ORG1_CLIENT = identity("Org1", Role.CLIENT, "client1");
    private static final ValidatedIdentity ORG2_PEER = identity("Org2", Role.PEER, "peer1");
    private static final ValidatedIdentity ORG3_PEER = identity("Org3", Role.PEER, "peer1");

    private static Evaluation evaluate(String policy, ValidatedIdentity... signers) {
        return PolicyEvaluator.evaluate(SignaturePolicy.parse(policy), List.of(signers));
    }

    @Test
    void memberAcceptsAnyRoleOfItsOrganizationOnly() {
        assertThat(evaluate("'Org1.member'", ORG1_CLIENT).satisfied()).isTrue();
        assertThat(evaluate("'Org1.member'", ORG1_ADMIN).satisfied()).isTrue();
        assertThat(evaluate("'Org1.member'", ORG2_PEER).satisfied()).isFalse();
    }

    @Test
    void aSpecificRoleAcceptsOnlyThatRole() {
        assertThat(evaluate("'Org1.peer'", ORG1_PEER).satisfied()).isTrue();
        assertThat(evaluate("'Org1.peer'", ORG1_ADMIN).satisfied()).isFalse();
    }

    @Test
    void findsTheAssignmentThatFabricsGreedyEvaluatorMissesInEitherSignerOrder() {
        String policy = "AND('Org1.member', 'Org1.peer')";

        Evaluation peerFirst = evaluate(policy, ORG1_PEER, ORG1_ADMIN);
        Evaluation adminFirst = evaluate(policy, ORG1_ADMIN, ORG1_PEER);

        assertThat(peerFirst.satisfied()).isTrue();
        assertThat(adminFirst.satisfied()).isTrue();
        assertThat(peerFirst.explanation())
                .contains("admin1 (Org1.admin) as 'Org1.member'")
                .contains("peer1 (Org1.peer) as 'Org1.peer'");
    }

    @Test
    void oneSignerCountsForAtMostOnePrincipal() {
        assertThat(evaluate("AND('Org1.peer', 'Org1.peer')", ORG1_PEER).satisfied()).isFalse();
        assertThat(evaluate("AND('Org1.peer', 'Org1.member')", ORG1_PEER).satisfied()).isFalse();
        assertThat(evaluate("AND('Org1.peer', 'Org1.peer')", ORG1_PEER, ORG1_OTHER_PEER).satisfied()).isTrue();
    }

    @Test
    void theSameCertificateTwiceCountsOnce() {
        assertThat(evaluate("AND('Org1.peer', 'Org1.peer')", ORG1_PEER, ORG1_PEER).satisfied()).isFalse();
    }

    @Test
    void outOfNeedsThresholdManySatisfiedSubPolicies() {
        String policy = "OutOf(2, 'Org1.peer', 'Org2.peer', 'Org3.peer')";

        assertThat(evaluate(policy, ORG1_PEER).satisfied()).isFalse();
        assertThat(evaluate(policy, ORG1_PEER, ORG3_PEER).satisfied()).isTrue();
        assertThat(evaluate(policy, ORG2_PEER, ORG3_PEER).satisfied()).isTrue();
    }

    @Test
    void backtracksAcrossNestedThresholds() {
        // Greedy use of admin1 for the first OR would leave nobody for 'Org1.admin'.
        String policy = "AND(OR('Org1.member', 'Org2.peer'), 'Org1.admin')";

        assertThat(evaluate(policy, ORG1_ADMIN, ORG1_CLIENT).satisfied()).isTrue();
        assertThat(evaluate(policy, ORG1_ADMIN).satisfied()).isFalse();
        assertThat(evaluate(policy, ORG2_PEER, ORG1_ADMIN).satisfied()).isTrue();
    }

    @Test
    void decidesLargeSymmetricPoliciesWithoutTryingEverySubsetOfLeaves() {
        // Without pruning, a failing search here would visit on the order of 30-choose-14 leaf sets.
        SignaturePolicy policy = outOf(15, copies(30, signedBy("Org1", PrincipalRole.MEMBER)));
        List<ValidatedIdentity> fourteen = IntStream.range(0, 14)
                .mapToObj(i -> identity("Org1", Role.CLIENT, "client" + i))
                .toList();
        List<ValidatedIdentity> fifteen = new ArrayList<>(fourteen);
        fifteen.add(ORG1_PEER);

        assertThat(PolicyEvaluator.evaluate(policy, fourteen).satisfied()).isFalse();
        assertThat(PolicyEvaluator.evaluate(policy, fifteen).satisfied()).isTrue();
        SignaturePolicy peersAndMembers = and(
                outOf(8, copies(16, signedBy("Org1", PrincipalRole.PEER))),
                outOf(8, copies(16, signedBy("Org1", PrincipalRole.MEMBER))));
        assertThat(PolicyEvaluator.evaluate(peersAndMembers, fifteen).satisfied()).isFalse();
    }

    private static SignaturePolicy[] copies(int count, SignaturePolicy policy) {
        return Collections.nCopies(count, policy).toArray(SignaturePolicy[]::new);
    }

    @Test
    void noSignersSatisfyNothing() {
        assertThat(evaluate("OR('Org1.member', 'Org2.member')").satisfied()).isFalse();
    }

    @Test
    void explainsAMissingSignature() {
        Evaluation evaluation = evaluate("AND('Org1.peer', 'Org2.peer')", ORG1_PEER);

        assertThat(evaluation.explanation()).isEqualTo("missing a signature from 'Org2.peer'");
    }

    @Test
    void explainsHowManyMoreOfWhichAreNeeded() {
        Evaluation evaluation = evaluate("AND('Org1.peer', OR('Org2.peer', 'Org3.peer'))", ORG1_PEER);

        assertThat(evaluation.satisfied()).isFalse();
        assertThat(evaluation.explanation()).isEqualTo("needs 1 more of ['Org2.peer', 'Org3.peer']");
        assertThat(evaluate("OutOf(3, 'Org1.peer', 'Org2.peer', 'Org3.peer', 'Org1.admin')", ORG1_PEER)
                        .explanation())
                .isEqualTo("needs 2 more of ['Org2.peer', 'Org3.peer', 'Org1.admin']");
    }

    @Test
    void explainsSeveralRequiredMissingSignatures() {
        assertThat(evaluate("AND('Org1.peer', 'Org2.peer', 'Org3.peer')", ORG1_PEER).explanation())
                .isEqualTo("missing signatures from 'Org2.peer', 'Org3.peer'");
    }

    @Test
    void explainsWhenSignersAreTooFewToGoRound() {
        Evaluation evaluation = evaluate("AND('Org1.peer', 'Org1.member')", ORG1_PEER);

        assertThat(evaluation.explanation()).contains("one signer counts for only one principal");
    }

    @Test
    void builtPoliciesEvaluateLikeParsedOnes() {
        SignaturePolicy built = and(signedBy("Org1", PrincipalRole.PEER),
                or(signedBy("Org2", PrincipalRole.PEER), signedBy("Org3", PrincipalRole.PEER)));
        SignaturePolicy alsoBuilt = outOf(1, built);

        assertThat(PolicyEvaluator.evaluate(alsoBuilt, List.of(ORG3_PEER, ORG1_PEER)).satisfied()).isTrue();
    }
}
