package io.charter.common.policy;

import static io.charter.common.policy.TestIdentities.identity;
import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.pki.Role;
import io.charter.common.policy.ImplicitMeta.Rule;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImplicitMetaEvaluationTest {

    private static final SubPolicies DEFAULTS = SubPolicies.withDefaults("Org1", "Org2", "Org3");

    private static final ValidatedIdentity ORG1_ADMIN = identity("Org1", Role.ADMIN, "admin1");
    private static final ValidatedIdentity ORG1_OTHER_ADMIN = identity("Org1", Role.ADMIN, "admin2");
    private static final ValidatedIdentity ORG1_PEER = identity("Org1", Role.PEER, "peer1");
    private static final ValidatedIdentity ORG2_ADMIN = identity("Org2", Role.ADMIN, "admin1");
    private static final ValidatedIdentity ORG2_PEER = identity("Org2", Role.PEER, "peer1");
    private static final ValidatedIdentity ORG2_CLIENT = identity("Org2", Role.CLIENT, "client1");
    private static final ValidatedIdentity ORG3_ADMIN = identity("Org3", Role.ADMIN, "admin1");
    private static final ValidatedIdentity ORG3_PEER = identity("Org3", Role.PEER, "peer1");

    private static Evaluation evaluate(String policy, SubPolicies subPolicies, ValidatedIdentity... signers) {
        return PolicyEvaluator.evaluate(PolicyParser.parse(policy), List.of(signers), subPolicies);
    }

    @Test
    void anyIsSatisfiedByOneOrganization() {
        assertThat(evaluate("ANY Readers", DEFAULTS, ORG2_CLIENT).satisfied()).isTrue();
        assertThat(evaluate("ANY Readers", DEFAULTS).satisfied()).isFalse();
    }

    @Test
    void allNeedsEveryOrganization() {
        assertThat(evaluate("ALL Writers", DEFAULTS, ORG1_PEER, ORG2_CLIENT).satisfied()).isFalse();
        assertThat(evaluate("ALL Writers", DEFAULTS, ORG1_PEER, ORG2_CLIENT, ORG3_PEER).satisfied()).isTrue();
    }

    @Test
    void majorityNeedsMoreThanHalfOfTheOrganizations() {
        assertThat(evaluate("MAJORITY Admins", DEFAULTS, ORG1_ADMIN).satisfied()).isFalse();
        assertThat(evaluate("MAJORITY Admins", DEFAULTS, ORG1_ADMIN, ORG3_ADMIN).satisfied()).isTrue();
        // A peer is a member but not an admin.
        assertThat(evaluate("MAJORITY Admins", DEFAULTS, ORG1_ADMIN, ORG3_PEER).satisfied()).isFalse();
    }

    @Test
    void majorityOfAnEvenNumberIsMoreThanHalf() {
        assertThat(Rule.MAJORITY.threshold(4)).isEqualTo(3);
        assertThat(Rule.MAJORITY.threshold(2)).isEqualTo(2);
        assertThat(Rule.MAJORITY.threshold(1)).isEqualTo(1);
        assertThat(Rule.ALL.threshold(3)).isEqualTo(3);
        assertThat(Rule.ANY.threshold(3)).isEqualTo(1);
    }

    @Test
    void endorsementDefaultsToAPeerOfTheOrganization() {
        assertThat(evaluate("ANY Endorsement", DEFAULTS, ORG1_ADMIN).satisfied()).isFalse();
        assertThat(evaluate("ANY Endorsement", DEFAULTS, ORG3_PEER).satisfied()).isTrue();
    }

    @Test
    void anExplicitSubPolicyReplacesTheDefault() {
        SubPolicies twoOrg1Admins = DEFAULTS.withPolicy(
                "Org1", SubPolicies.ADMINS, SignaturePolicy.parse("AND('Org1.admin', 'Org1.admin')"));

        assertThat(evaluate("MAJORITY Admins", twoOrg1Admins, ORG1_ADMIN, ORG2_ADMIN).satisfied()).isFalse();
        assertThat(evaluate("MAJORITY Admins", twoOrg1Admins, ORG1_ADMIN, ORG1_OTHER_ADMIN, ORG2_ADMIN).satisfied())
                .isTrue();
        assertThat(evaluate("MAJORITY Admins", twoOrg1Admins, ORG2_ADMIN, ORG3_ADMIN).satisfied()).isTrue();
    }

    @Test
    void aSubPolicyAppliesOneSignerOnePrincipalAndFindsTheAssignmentInEitherOrder() {
        SubPolicies strictEndorsement = DEFAULTS.withPolicy(
                "Org1", SubPolicies.ENDORSEMENT, SignaturePolicy.parse("AND('Org1.member', 'Org1.peer')"));

        assertThat(evaluate("ALL Endorsement", strictEndorsement, ORG1_PEER, ORG1_ADMIN, ORG2_PEER, ORG3_PEER)
                .satisfied()).isTrue();
        assertThat(evaluate("ALL Endorsement", strictEndorsement, ORG1_ADMIN, ORG1_PEER, ORG2_PEER, ORG3_PEER)
                .satisfied()).isTrue();
        assertThat(evaluate("ALL Endorsement", strictEndorsement, ORG1_PEER, ORG2_PEER, ORG3_PEER).satisfied())
                .isFalse();
    }

    @Test
    void eachOrganizationsPolicyIsEvaluatedAgainstAllTheSigners() {
        // Org2 delegates its Readers to Org1: one Org1 signer satisfies both organizations' Readers.
        SubPolicies delegated = SubPolicies.withDefaults("Org1", "Org2")
                .withPolicy("Org2", SubPolicies.READERS, SignaturePolicy.parse("'Org1.member'"));

        assertThat(evaluate("ALL Readers", delegated, ORG1_PEER).satisfied()).isTrue();
    }

    @Test
    void aNameWithoutDefaultMustBeDefinedByTheOrganization() {
        Evaluation undefined = evaluate("ANY BlockValidation", DEFAULTS, ORG1_PEER);
        SubPolicies defined = DEFAULTS.withPolicy("Org1", "BlockValidation", SignaturePolicy.parse("'Org1.peer'"));

        assertThat(undefined.satisfied()).isFalse();
        assertThat(undefined.explanation()).contains("Org1 has no policy named BlockValidation");
        assertThat(evaluate("ANY BlockValidation", defined, ORG1_PEER).satisfied()).isTrue();
    }

    @Test
    void noOrganizationsSatisfyNothing() {
        assertThat(evaluate("ANY Readers", SubPolicies.withDefaults(), ORG1_PEER).satisfied()).isFalse();
        assertThat(evaluate("ALL Readers", SubPolicies.withDefaults(), ORG1_PEER).satisfied()).isFalse();
    }

    @Test
    void explainsWhichOrganizationsAreMissing() {
        Evaluation evaluation = evaluate("MAJORITY Admins", DEFAULTS, ORG1_ADMIN);

        assertThat(evaluation.explanation()).isEqualTo(
                "MAJORITY Admins needs 2 of 3 organizations, 1 satisfied;"
                        + " Org2 Admins 'Org2.admin': missing a signature from 'Org2.admin';"
                        + " Org3 Admins 'Org3.admin': missing a signature from 'Org3.admin'");
    }

    @Test
    void evaluatesSignaturePoliciesGivenWithSubPoliciesDirectly() {
        assertThat(evaluate("OR('Org1.peer', 'Org2.peer')", DEFAULTS, ORG1_PEER).satisfied()).isTrue();
    }
}
