package io.charter.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.pki.Role;
import io.charter.common.policy.PolicyParser;
import io.charter.common.testing.TestPki;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndorsementPlannerTest {

    private static final List<String> ORGS = List.of("Org1", "Org2", "Org3");
    private static final TestPki PKI = TestPki.create("Org1", "Org2", "Org3");

    private static EndorsementPlanner planner(String policy) {
        return new EndorsementPlanner(Optional.of(PolicyParser.parse(policy)), ORGS);
    }

    @Test
    void anAndPolicyNeedsBothOrganizations() {
        assertThat(planner("AND('Org1.peer', 'Org2.peer')").plan(Set.of(), Set.copyOf(ORGS)))
                .contains(new java.util.TreeSet<>(Set.of("Org1", "Org2")));
    }

    @Test
    void anOrPolicyAsksOneOrganizationAndAnotherWhenTheFirstCannotEndorse() {
        EndorsementPlanner planner = planner("OR('Org1.peer', 'Org2.peer')");

        assertThat(planner.plan(Set.of(), Set.copyOf(ORGS)).orElseThrow()).hasSize(1);
        assertThat(planner.plan(Set.of(), Set.of("Org2", "Org3"))).contains(new java.util.TreeSet<>(Set.of("Org2")));
    }

    @Test
    void anOutOfPolicyKeepsWhatIsEndorsedAndAddsTheFewestOrganizations() {
        EndorsementPlanner planner = planner("OutOf(2, 'Org1.peer', 'Org2.peer', 'Org3.peer')");

        assertThat(planner.plan(Set.of("Org3"), Set.of("Org1", "Org2")).orElseThrow()).hasSize(2).contains("Org3");
    }

    @Test
    void anUnsatisfiablePlanNamesTheMissingOrganization() {
        EndorsementPlanner planner = planner("AND('Org1.peer', 'Org2.peer')");

        assertThat(planner.plan(Set.of("Org1"), Set.of("Org3"))).isEmpty();
        assertThat(planner.missing(Set.of("Org1"))).containsExactly("Org2");
    }

    @Test
    void aPolicyOnAnotherRoleThanPeerCannotBeMetByPeers() {
        assertThat(planner("AND('Org1.admin')").plan(Set.of(), Set.copyOf(ORGS))).isEmpty();
        assertThat(planner("AND('Org1.member')").plan(Set.of(), Set.copyOf(ORGS))).isPresent();
    }

    @Test
    void majorityCountsTheChannelsOrganizations() {
        EndorsementPlanner planner = planner("MAJORITY Endorsement");

        assertThat(planner.plan(Set.of(), Set.copyOf(ORGS)).orElseThrow()).hasSize(2);
        assertThat(planner.plan(Set.of(), Set.of("Org1"))).isEmpty();
    }

    @Test
    void withoutAPolicyEveryOrganizationOfTheChannelMustEndorse() {
        EndorsementPlanner planner = new EndorsementPlanner(Optional.empty(), ORGS);

        assertThat(planner.plan(Set.of(), Set.copyOf(ORGS)).orElseThrow()).containsExactlyElementsOf(ORGS);
        assertThat(planner.plan(Set.of("Org1"), Set.of("Org2"))).isEmpty();
        assertThat(planner.missing(Set.of("Org1"))).containsExactly("Org2", "Org3");
    }

    @Test
    void theExactCheckExplainsWhatIsMissing() {
        EndorsementPlanner planner = planner("AND('Org1.peer', 'Org2.peer')");
        TestPki.Credential org1Peer = PKI.organization("Org1").enroll("peer0", Role.PEER);
        TestPki.Credential org2Client = PKI.organization("Org2").enroll("client", Role.CLIENT);

        var evaluation = planner.evaluate(List.of(
                new ValidatedIdentity("Org1", Role.PEER, "peer0", org1Peer.certificate(), Map.of()),
                new ValidatedIdentity("Org2", Role.CLIENT, "client", org2Client.certificate(), Map.of())));

        assertThat(evaluation.satisfied()).isFalse();
        assertThat(evaluation.explanation()).contains("Org2.peer");
    }
}
