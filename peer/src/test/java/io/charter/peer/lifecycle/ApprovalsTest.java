package io.charter.peer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.policy.PolicyParser;
import io.charter.common.policy.SignaturePolicy;
import io.charter.common.policy.SubPolicies;
import io.charter.protocol.CollectionConfig;
import io.charter.protocol.ContractDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Whose approvals count for a definition and whether they satisfy LifecycleEndorsement: the rule that decides when
 * a contract definition may be committed, with no database (the endorser and the committer read the approvals).
 */
class ApprovalsTest {

    private static final ContractDefinition DEFINITION = ContractDefinition.newBuilder()
            .setName("assets").setVersion("1.0").setSequence(2).setEndorsementPolicy("OR('Org1.peer')")
            .setPackageId("assets:" + "ab".repeat(32)).build();
    private static final SubPolicies THREE = SubPolicies.withDefaults("Org1", "Org2", "Org3");

    @Test
    void whatIsApprovedIsTheDefinitionWithoutItsApprovers() {
        ContractDefinition committed = DEFINITION.toBuilder().addApprovedBy("Org1").build();

        assertThat(Approvals.approvable(committed)).isEqualTo(DEFINITION);
        assertThat(Approvals.approvable(DEFINITION)).isEqualTo(DEFINITION);
    }

    @Test
    void approversAreTheOrganizationsWhoseApprovalIsExactlyTheDefinition() {
        Map<String, Optional<ContractDefinition>> approvals = new LinkedHashMap<>();
        approvals.put("Org1", Optional.of(DEFINITION));
        approvals.put("Org2", Optional.of(DEFINITION.toBuilder().addApprovedBy("Org2").build()));
        approvals.put("Org3", Optional.of(DEFINITION.toBuilder().setVersion("2.0").build()));
        approvals.put("Org4", Optional.empty());

        assertThat(Approvals.approvers(DEFINITION.toBuilder().addApprovedBy("Org9").build(), approvals))
                .containsExactly("Org1", "Org2");
    }

    @Test
    void theDifferenceSaysWhatAnApprovalLacks() {
        assertThat(Approvals.difference(DEFINITION, Optional.empty())).isEqualTo("no approval");
        assertThat(Approvals.difference(DEFINITION, Optional.of(DEFINITION.toBuilder().addApprovedBy("Org1").build())))
                .isEmpty();
        assertThat(Approvals.difference(DEFINITION, Optional.of(DEFINITION.toBuilder().setSequence(1).build())))
                .isEqualTo("approved sequence 1, not 2");
        assertThat(Approvals.difference(DEFINITION, Optional.of(DEFINITION.toBuilder().setVersion("0.9").build())))
                .isEqualTo("approved sequence 2 with another definition, version '0.9'");
        assertThat(Approvals.difference(DEFINITION, Optional.of(DEFINITION.toBuilder().setEndorsementPolicy("").build())))
                .isEqualTo("approved sequence 2 with another definition, endorsement policy ''");
        assertThat(Approvals.difference(DEFINITION, Optional.of(DEFINITION.toBuilder().clearPackageId().build())))
                .isEqualTo("approved sequence 2 with another definition, package id ''");
        assertThat(Approvals.difference(DEFINITION, Optional.of(DEFINITION.toBuilder().setVersion("0.9")
                .setEndorsementPolicy("").clearPackageId().build())))
                .isEqualTo("approved sequence 2 with another definition, version '0.9', endorsement policy '', package id ''");
        assertThat(Approvals.difference(DEFINITION, Optional.of(DEFINITION.toBuilder().setName("other").build())))
                .as("differs in a field the message does not list").isEqualTo("approved sequence 2 with another definition");
    }

    @Test
    void theDifferenceNamesTheApprovedCollections() {
        CollectionConfig prices = CollectionConfig.newBuilder().setName("prices").setMemberPolicy("OR('Org1.member')")
                .setMaxPeerCount(1).build();
        CollectionConfig terms = CollectionConfig.newBuilder().setName("terms").setMemberPolicy("OR('Org2.member')").build();
        ContractDefinition withBoth = DEFINITION.toBuilder().addCollections(prices).addCollections(terms).build();

        assertThat(Approvals.difference(withBoth, Optional.of(withBoth))).isEmpty();
        assertThat(Approvals.difference(withBoth, Optional.of(DEFINITION)))
                .isEqualTo("approved sequence 2 with another definition, collections []");
        assertThat(Approvals.difference(DEFINITION, Optional.of(withBoth)))
                .isEqualTo("approved sequence 2 with another definition, collections [prices, terms]");
        assertThat(Approvals.difference(withBoth, Optional.of(DEFINITION.toBuilder()
                .addCollections(prices.toBuilder().setBlockToLive(10)).addCollections(terms).build())))
                .isEqualTo("approved sequence 2 with another definition, collections [prices, terms] with other settings or order");
        assertThat(Approvals.difference(withBoth, Optional.of(DEFINITION.toBuilder().addCollections(terms)
                .addCollections(prices).build())))
                .isEqualTo("approved sequence 2 with another definition, collections [terms, prices]");
        assertThat(Approvals.approvers(withBoth, Map.of("Org1", Optional.of(withBoth), "Org2", Optional.of(DEFINITION))))
                .containsExactly("Org1");
    }

    @Test
    void anOrganizationsApprovalCountsForEveryRoleOfIt() {
        assertThat(Approvals.satisfy(PolicyParser.parse("'Org1.admin'"), Set.of("Org1"), THREE)).isTrue();
        assertThat(Approvals.satisfy(PolicyParser.parse("'Org1.peer'"), Set.of("Org1"), THREE)).isTrue();
        assertThat(Approvals.satisfy(PolicyParser.parse("'Org1.peer'"), Set.of("Org2", "Org3"), THREE)).isFalse();
    }

    @Test
    void outOfCountsTheApprovingOrganizationsAgainstItsThreshold() {
        var twoOfThree = PolicyParser.parse("OutOf(2, 'Org1.peer', 'Org2.peer', 'Org3.peer')");

        assertThat(Approvals.satisfy(twoOfThree, Set.of("Org1"), THREE)).isFalse();
        assertThat(Approvals.satisfy(twoOfThree, Set.of("Org1", "Org3"), THREE)).isTrue();
        assertThat(Approvals.satisfy(twoOfThree, Set.of("Org1", "Org2", "Org3"), THREE)).isTrue();
    }

    @Test
    void majorityAllAndAnyCountTheApplicationOrganizationsSatisfied() {
        var majority = PolicyParser.parse("MAJORITY Endorsement");
        assertThat(Approvals.satisfy(majority, Set.of("Org1"), THREE)).isFalse();
        assertThat(Approvals.satisfy(majority, Set.of("Org1", "Org2"), THREE)).isTrue();
        assertThat(Approvals.satisfy(majority, Set.of("Org1", "Org2", "Org9"), SubPolicies.withDefaults("Org1", "Org2", "Org3",
                "Org4"))).as("3 of 4 needed; Org9 is no application organization").isFalse();

        var all = PolicyParser.parse("ALL Endorsement");
        assertThat(Approvals.satisfy(all, Set.of("Org1", "Org2"), THREE)).isFalse();
        assertThat(Approvals.satisfy(all, Set.of("Org1", "Org2", "Org3"), THREE)).isTrue();

        var any = PolicyParser.parse("ANY Endorsement");
        assertThat(Approvals.satisfy(any, Set.of(), THREE)).isFalse();
        assertThat(Approvals.satisfy(any, Set.of("Org3"), THREE)).isTrue();
    }

    @Test
    void aGroupOverNoOrganizationOrAnUndefinedSubPolicyIsNotSatisfied() {
        assertThat(Approvals.satisfy(PolicyParser.parse("ANY Endorsement"), Set.of("Org1"), SubPolicies.withDefaults()))
                .isFalse();
        assertThat(Approvals.satisfy(PolicyParser.parse("ANY Auditors"), Set.of("Org1", "Org2", "Org3"), THREE)).isFalse();
        SubPolicies auditedByOrg2 = THREE.withPolicy("Org1", "Auditors",
                (SignaturePolicy) PolicyParser.parse("'Org2.member'"));
        assertThat(Approvals.satisfy(PolicyParser.parse("ANY Auditors"), Set.of("Org2"), auditedByOrg2))
                .as("Org1's Auditors is satisfied by Org2's approval").isTrue();
        assertThat(Approvals.satisfy(PolicyParser.parse("ANY Auditors"), Set.of("Org1"), auditedByOrg2)).isFalse();
    }
}
