package io.charter.client.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.SerializedIdentity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The configuration proposed for a new organization: policies over every member extended, others left alone. */
class OrganizationAdditionTest {

    private static final List<String> TWO = List.of("Org1MSP", "Org2MSP");
    private static final List<String> THREE = List.of("Org1MSP", "Org2MSP", "Org3MSP");

    @Test
    void policiesListingEveryMemberAreExtended() {
        assertThat(OrganizationAddition.extend("OR('Org1MSP.member', 'Org2MSP.member')", TWO, THREE))
                .contains("OR('Org1MSP.member', 'Org2MSP.member', 'Org3MSP.member')");
        assertThat(OrganizationAddition.extend("AND('Org1MSP.admin', 'Org2MSP.admin')", TWO, THREE))
                .contains("OutOf(2, 'Org1MSP.admin', 'Org2MSP.admin', 'Org3MSP.admin')");
        assertThat(OrganizationAddition.extend("OutOf(2, 'Org1MSP.peer', 'Org2MSP.peer', 'Org3MSP.peer')", THREE,
                List.of("Org1MSP", "Org2MSP", "Org3MSP", "Org4MSP")))
                .contains("OutOf(3, 'Org1MSP.peer', 'Org2MSP.peer', 'Org3MSP.peer', 'Org4MSP.peer')");
        assertThat(OrganizationAddition.extend("AND('Org1MSP.peer', 'Org2MSP.peer', 'Org3MSP.peer')", THREE,
                List.of("Org1MSP", "Org2MSP", "Org3MSP", "Org4MSP")))
                .contains("AND('Org1MSP.peer', 'Org2MSP.peer', 'Org3MSP.peer', 'Org4MSP.peer')");
    }

    @Test
    void otherPoliciesAreLeftAlone() {
        assertThat(OrganizationAddition.extend("MAJORITY Admins", TWO, THREE)).isEmpty();
        assertThat(OrganizationAddition.extend("OutOf(1, 'OrdererMSP.orderer')", TWO, THREE)).isEmpty();
        assertThat(OrganizationAddition.extend("OR('Org1MSP.member')", TWO, THREE)).isEmpty();
        assertThat(OrganizationAddition.extend("OR('Org1MSP.member', 'Org2MSP.peer')", TWO, THREE)).isEmpty();
        assertThat(OrganizationAddition.extend("OR('Org1MSP.member', 'Org1MSP.member')", List.of("Org1MSP"),
                TWO)).isEqualTo(Optional.empty());
    }

    @Test
    void theProposalAddsTheOrganizationAtTheNextSequenceAndTheDiffSaysSo() {
        ChannelConfig current = ChannelConfig.newBuilder().setChannelId("ch").setSequence(4)
                .addOrganizations(OrganizationConfig.newBuilder().setMspId("OrdererMSP"))
                .addOrganizations(OrganizationConfig.newBuilder().setMspId("Org1MSP"))
                .addOrganizations(OrganizationConfig.newBuilder().setMspId("Org2MSP"))
                .putPolicies("Admins", "AND('Org1MSP.admin', 'Org2MSP.admin')")
                .putPolicies("Readers", "OR('Org1MSP.member', 'Org2MSP.member')")
                .putPolicies("BlockValidation", "OutOf(1, 'OrdererMSP.orderer')")
                .setOrderer(OrdererConfig.newBuilder().addConsenters(Consenter.newBuilder()
                        .setEndpoint(Endpoint.newBuilder().setHost("o1").setPort(7050))
                        .setIdentity(SerializedIdentity.newBuilder().setMspId("OrdererMSP").build().toByteString())))
                .build();
        OrganizationConfig org3 = OrganizationConfig.newBuilder().setMspId("Org3MSP")
                .putAllPolicies(OrganizationAddition.standardPolicies("Org3MSP")).build();
        OrganizationAddition.Proposal proposal = OrganizationAddition.propose(current, org3);
        assertThat(proposal.proposed().getSequence()).isEqualTo(5);
        assertThat(proposal.untouchedPolicies()).containsExactly("BlockValidation");
        assertThat(proposal.proposed().getPoliciesMap()).containsEntry("BlockValidation", "OutOf(1, 'OrdererMSP.orderer')")
                .containsEntry("Admins", "OutOf(2, 'Org1MSP.admin', 'Org2MSP.admin', 'Org3MSP.admin')");
        ConfigDiff diff = ConfigDiff.between(current, proposal.proposed());
        assertThat(diff.organizationsAdded()).containsExactly("Org3MSP");
        assertThat(diff.policiesChanged()).containsExactly("Admins", "Readers");
        assertThat(diff.lines()).contains("~ policy Admins: AND('Org1MSP.admin', 'Org2MSP.admin') -> OutOf(2,"
                + " 'Org1MSP.admin', 'Org2MSP.admin', 'Org3MSP.admin')");
        assertThatThrownBy(() -> OrganizationAddition.propose(proposal.proposed(), org3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Org3MSP is already an organization of channel ch");
    }
}
