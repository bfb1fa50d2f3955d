package io.charter.peer.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.identity.ValidationResult;
import io.charter.common.policy.Evaluation;
import io.charter.common.policy.PolicyParser;
import io.charter.common.testing.TestPki;
import io.charter.peer.testing.ChannelFixture;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.SerializedIdentity;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ANY/ALL/MAJORITY by group, as Fabric: in endorsement policies they count the application organizations (those
 * that run no consenter), in the channel's Writers/Admins every organization.
 */
class ApplicationGroupPoliciesTest {

    private final ChannelFixture fixture = new ChannelFixture();

    /** Org1, Org2 and OrdererOrg, whose orderer is the channel's consenter. */
    private ChannelContext channelWithOrderer() {
        ChannelConfig config = fixture.config().toBuilder().clearPolicies()
                .setOrderer(OrdererConfig.newBuilder().addConsenters(Consenter.newBuilder()
                        .setIdentity(SerializedIdentity.newBuilder().setMspId("OrdererOrg")
                                .setCertificate(ChannelFixture.der(fixture.orderer.certificate())).build().toByteString())))
                .build();
        return ChannelContext.of(config, Clock.systemUTC());
    }

    private ValidatedIdentity identity(ChannelContext channel, String mspId, TestPki.Credential credential) {
        ValidationResult result = channel.identities().validate(mspId,
                ChannelFixture.der(credential.certificate()).toByteArray());
        assertThat(result).isInstanceOf(ValidationResult.Valid.class);
        return ((ValidationResult.Valid) result).validatedIdentity();
    }

    @Test
    void theApplicationGroupLeavesOutTheOrdererOrganization() {
        ChannelContext channel = channelWithOrderer();

        assertThat(channel.applicationOrganizations()).containsExactly("Org1", "Org2");
        assertThat(channel.registry().mspIds()).contains("OrdererOrg");
    }

    @Test
    void majorityEndorsementIsSatisfiedByTheTwoApplicationOrganizations() {
        ChannelContext channel = channelWithOrderer();
        List<ValidatedIdentity> peers = List.of(identity(channel, "Org1", fixture.peer1), identity(channel, "Org2", fixture.peer2));

        Evaluation majority = channel.evaluateForApplications(PolicyParser.parse("MAJORITY Endorsement"), peers);
        Evaluation all = channel.evaluateForApplications(PolicyParser.parse("ALL Endorsement"), peers);

        assertThat(majority.satisfied()).as(majority.explanation()).isTrue();
        assertThat(majority.explanation()).contains("needs 2 of 2 organizations").doesNotContain("OrdererOrg");
        assertThat(all.satisfied()).as(all.explanation()).isTrue();
        // counted over every organization (the old behaviour), ALL would need an OrdererOrg peer
        assertThat(channel.evaluate(PolicyParser.parse("ALL Endorsement"), peers).satisfied()).isFalse();
    }

    @Test
    void aMissingEndorsementNamesOnlyApplicationOrganizations() {
        ChannelContext channel = channelWithOrderer();

        Evaluation evaluation = channel.evaluateForApplications(PolicyParser.parse("MAJORITY Endorsement"),
                List.of(identity(channel, "Org1", fixture.peer1)));

        assertThat(evaluation.satisfied()).isFalse();
        assertThat(evaluation.explanation()).contains("needs 2 of 2 organizations, 1 satisfied").contains("Org2 Endorsement")
                .doesNotContain("OrdererOrg");
    }

    @Test
    void withoutConsentersEveryOrganizationIsAnApplicationOrganization() {
        ChannelContext channel = ChannelContext.of(fixture.config(), Clock.systemUTC());

        assertThat(channel.applicationOrganizations()).containsExactly("OrdererOrg", "Org1", "Org2");
    }
}
