package io.charter.common.config;

import static io.charter.common.config.ConfigUpdateCheckerTest.CHANNEL;
import static io.charter.common.config.ConfigUpdateCheckerTest.organization;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.common.protocol.Blocks;
import io.charter.common.testing.ConfigUpdates;
import io.charter.protocol.Block;
import io.charter.protocol.BlockData;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import io.charter.protocol.HeaderType;
import io.charter.protocol.OrganizationConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What makes a channel configuration well-formed, each rule with the configuration that breaks it. */
class ConfigWellFormednessTest {

    static ChannelConfig current;

    @BeforeAll
    static void setUp() {
        ConfigUpdateCheckerTest.setUp();
        current = ConfigUpdateCheckerTest.current;
    }

    @Test
    void theSampleConfigurationIsWellFormed() {
        assertThat(ConfigUpdateChecker.wellFormedness(current)).isEmpty();
    }

    @Test
    void everyOrganizationNeedsAnIdAndARootCertificate() {
        assertThat(problem(current.toBuilder().setChannelId(""))).contains("the configuration names no channel");
        assertThat(problem(current.toBuilder().addOrganizations(OrganizationConfig.newBuilder().setMspId(" "))))
                .contains("an organization has no MSP id");
        assertThat(problem(current.toBuilder().addOrganizations(organization("Org4").toBuilder().clearRootCerts())))
                .contains("organization Org4 has no root certificate");
    }

    @Test
    void certificatesAndPoliciesMustParse() {
        assertThat(problem(current.toBuilder().addOrganizations(organization("Org4").toBuilder()
                .addIntermediateCerts(ByteString.copyFromUtf8("not a certificate")))))
                .get().asString().startsWith("channel ch1: organization Org4:");
        assertThat(problem(current.toBuilder().addOrganizations(organization("Org4").toBuilder()
                .putPolicies("Admins", "AND("))))
                .get().asString().contains("policy Admins of Org4");
    }

    @Test
    void consenterEndpointsNeedAHostAndAPortFromOneTo65535() {
        assertThat(problem(withConsenter("", 7051))).contains("consenter endpoint ':7051' is not valid");
        assertThat(problem(withConsenter("orderer1", 0))).contains("consenter endpoint 'orderer1:0' is not valid");
        assertThat(problem(withConsenter("orderer1", 65536))).contains("consenter endpoint 'orderer1:65536' is not valid");
        assertThat(problem(withConsenter("orderer1", 1))).isEmpty();
        assertThat(problem(withConsenter("orderer1", 65535))).isEmpty();
        assertThat(problem(withConsenter("127.0.0.1", 7050))).contains("consenter 127.0.0.1:7050 appears twice");
        assertThat(problem(current.toBuilder().setOrderer(current.getOrderer().toBuilder().clearConsenters())))
                .contains("the orderer configuration has no consenter");
        assertThat(problem(current.toBuilder().clearOrderer())).contains("the orderer configuration has no consenter");
    }

    @Test
    void preferredMaxBytesMayEqualButNotExceedAbsoluteMaxBytes() {
        assertThat(problem(withBatchSize(1000, 1000))).isEmpty();
        assertThat(problem(withBatchSize(1001, 1000))).contains("preferred max bytes 1001 exceed absolute max bytes 1000");
        assertThat(problem(withBatchSize(5000, 0))).as("no absolute maximum set").isEmpty();
    }

    @Test
    void theBatchTimeoutMayBeZeroButNotNegative() {
        assertThat(problem(withTimeout(0, 0))).isEmpty();
        assertThat(problem(withTimeout(-1, 0))).contains("the batch timeout is negative");
        assertThat(problem(withTimeout(0, -1))).contains("the batch timeout is negative");
    }

    @Test
    void aRefusedUpdateIsNotAcceptedAndTheCheckerServesSeveralUpdatesOfOneConfiguration() {
        ConfigUpdateChecker checker = new ConfigUpdateChecker();
        var envelope = ConfigUpdateCheckerTest.unpacked(ConfigUpdates.envelope(CHANNEL, HeaderType.CONFIG_UPDATE,
                io.charter.protocol.ConfigUpdateEnvelope.newBuilder().setConfigUpdate(
                        io.charter.protocol.ConfigUpdate.newBuilder().setChannelId(CHANNEL).build().toByteString())
                        .build().toByteString(), ConfigUpdateCheckerTest.client1));

        ConfigUpdateChecker.Outcome first = checker.check(current, envelope);
        ConfigUpdateChecker.Outcome second = checker.check(current, ConfigUpdateCheckerTest.unpacked(ConfigUpdates.envelope(
                CHANNEL, ConfigUpdateCheckerTest.withOrg4(), List.of(ConfigUpdateCheckerTest.admin1, ConfigUpdateCheckerTest.admin2),
                ConfigUpdateCheckerTest.client1)));
        ConfigUpdateChecker.Outcome third = checker.check(current, ConfigUpdateCheckerTest.unpacked(ConfigUpdates.envelope(
                CHANNEL, ConfigUpdateCheckerTest.withOrg4(), List.of(ConfigUpdateCheckerTest.admin1),
                ConfigUpdateCheckerTest.client1)));

        assertThat(first.accepted()).isFalse();
        assertThat(first.refusal()).contains(ConfigUpdateChecker.Refusal.INVALID);
        assertThat(first.detail()).isEqualTo("the update proposes no configuration");
        assertThat(second.accepted()).as(second.detail()).isTrue();
        assertThat(third.accepted()).isFalse();
        assertThat(third.refusal()).contains(ConfigUpdateChecker.Refusal.UNAUTHORIZED);
    }

    @Test
    void theConfigurationOfAConfigBlockIsReadBackAndOtherBlocksAreRefused() {
        Block genesis = Blocks.genesisBlock(current, Instant.now());

        assertThat(ChannelConfigs.of(genesis)).isEqualTo(current);
        Block twoEnvelopes = genesis.toBuilder().setData(BlockData.newBuilder()
                .addEnvelopes(genesis.getData().getEnvelopes(0)).addEnvelopes(genesis.getData().getEnvelopes(0))).build();
        assertThatThrownBy(() -> ChannelConfigs.of(twoEnvelopes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a config block holds exactly one envelope, block 0 holds 2");
        Block notConfig = genesis.toBuilder().setData(BlockData.newBuilder().addEnvelopes(
                ConfigUpdates.envelope(CHANNEL, HeaderType.ENDORSER_TRANSACTION, ByteString.EMPTY,
                        ConfigUpdateCheckerTest.client1).toByteString())).build();
        assertThatThrownBy(() -> ChannelConfigs.of(notConfig)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("block 0 is not a config block (ENDORSER_TRANSACTION)");
    }

    @Test
    void organizationPoliciesAreReadPerOrganization() {
        ChannelConfig withPolicies = current.toBuilder().setOrganizations(0,
                organization("Org1").toBuilder().putPolicies("Endorsement", "OR('Org1.peer', 'Org1.admin')")).build();

        Map<String, Map<String, io.charter.common.policy.SignaturePolicy>> policies =
                ChannelConfigs.organizationPolicies(withPolicies);

        assertThat(policies.get("Org1")).containsOnlyKeys("Endorsement");
        assertThat(policies.get("Org1").get("Endorsement").text()).isEqualTo("OR('Org1.peer', 'Org1.admin')");
    }

    @Test
    void anOrganizationsCrlsAreReadIntoItsDefinition() throws Exception {
        Instant now = Instant.now();
        var crl = ConfigUpdateCheckerTest.pki.organization("Org1").signingCa().issueCrl(List.of(
                new io.charter.common.pki.RevokedCertificate(java.math.BigInteger.TEN, now, 1)),
                java.math.BigInteger.ONE, now, now.plusSeconds(3600));
        OrganizationConfig withCrl = organization("Org1").toBuilder()
                .addCrls(ByteString.copyFrom(crl.getEncoded())).build();

        assertThat(ChannelConfigs.mspDefinition(withCrl).crls()).containsExactly(crl);
    }

    private static java.util.Optional<String> problem(ChannelConfig.Builder config) {
        return ConfigUpdateChecker.wellFormedness(config.build());
    }

    private static ChannelConfig.Builder withConsenter(String host, int port) {
        return current.toBuilder().setOrderer(current.getOrderer().toBuilder().addConsenters(
                Consenter.newBuilder().setEndpoint(Endpoint.newBuilder().setHost(host).setPort(port))));
    }

    private static ChannelConfig.Builder withBatchSize(long preferred, long absolute) {
        return current.toBuilder().setOrderer(current.getOrderer().toBuilder().setBatchSize(
                current.getOrderer().getBatchSize().toBuilder().setPreferredMaxBytes(preferred)
                        .setAbsoluteMaxBytes(absolute)));
    }

    private static ChannelConfig.Builder withTimeout(long seconds, int nanos) {
        return current.toBuilder().setOrderer(current.getOrderer().toBuilder().setBatchTimeout(
                com.google.protobuf.Duration.newBuilder().setSeconds(seconds).setNanos(nanos)));
    }
}
