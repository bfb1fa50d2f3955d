package io.charter.peer.validation;

import static io.charter.peer.testing.ChannelFixture.CONTRACT;
import static io.charter.peer.testing.ChannelFixture.ns;
import static io.charter.peer.testing.ChannelFixture.rwset;
import static io.charter.peer.testing.ChannelFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import io.charter.common.testing.ConfigUpdates;
import io.charter.common.testing.RequiresDocker;
import io.charter.common.testing.TestPki;
import io.charter.peer.ledger.CommittedConfig;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerDatabases;
import io.charter.peer.testing.TestPeer;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigEnvelope;
import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.TxValidationCode;
import io.charter.peer.contract.ContractRuntimeSettings;
import io.charter.peer.endorsement.EndorsementResult;
import io.charter.peer.endorsement.RefusalReason;
import io.charter.peer.testing.ContractPeer;
import io.charter.peer.testing.TestClient;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config blocks after genesis on one peer (ledger, validator, committer on PostgreSQL): an update that
 * the configuration in force accepts is committed with its block and in force for the next blocks, also
 * after a restart; one it does not accept refuses the whole block, nothing written. The update through
 * real orderers and several peers is {@code io.charter.peer.node.ConfigUpdateNetworkTest}.
 */
@RequiresDocker
class ConfigBlockTest {

    private static PeerDatabases databases;
    private static ChannelFixture fixture;
    private static TestPki.Credential client3;
    private static ConfigUpdates.Signer admin1;
    private static ConfigUpdates.Signer admin2;
    private static ConfigUpdates.Signer orderer;
    private DataSource dataSource;
    private TestPeer peer;

    @BeforeAll
    static void startDatabase() {
        databases = PeerDatabases.start();
        fixture = new ChannelFixture();
        fixture.pki.addOrganization("Org3");
        client3 = fixture.pki.organization("Org3").enroll("client3", Role.CLIENT);
        admin1 = new ConfigUpdates.Signer("Org1", fixture.pki.organization("Org1").enroll("admin1", Role.ADMIN));
        admin2 = new ConfigUpdates.Signer("Org2", fixture.pki.organization("Org2").enroll("admin2", Role.ADMIN));
        orderer = new ConfigUpdates.Signer("OrdererOrg", fixture.orderer);
    }

    @AfterAll
    static void stopDatabase() {
        databases.close();
    }

    @BeforeEach
    void newPeer() {
        dataSource = databases.dataSource(databases.createDatabase());
        peer = new TestPeer(dataSource, fixture);
    }

    @AfterEach
    void closePeer() {
        peer.close();
    }

    /** The fixture's configuration plus Org3, which may also write; sequence 1. */
    private static ChannelConfig withOrg3() {
        return fixture.config().toBuilder()
                .setSequence(1)
                .addOrganizations(OrganizationConfig.newBuilder().setMspId("Org3")
                        .addRootCerts(ChannelFixture.der(fixture.pki.root().certificate()))
                        .addIntermediateCerts(ChannelFixture.der(fixture.pki.organization("Org3").signingCa().certificate())))
                .putPolicies("Writers", "OR('Org1.member', 'Org2.member', 'Org3.member')")
                .setOrderer(OrdererConfig.newBuilder().addConsenters(Consenter.newBuilder()
                        .setEndpoint(Endpoint.newBuilder().setHost("127.0.0.1").setPort(7050))))
                .build();
    }

    /** The CONFIG envelope an orderer writes: {@code config} and the update, created by {@code writer}. */
    private static ByteString configEnvelope(ChannelConfig config, Envelope update, ConfigUpdates.Signer writer) {
        ByteString data = ConfigEnvelope.newBuilder().setConfig(config).setLastUpdate(update.toByteString()).build()
                .toByteString();
        return ConfigUpdates.envelope(ChannelFixture.CHANNEL, HeaderType.CONFIG, data, writer).toByteString();
    }

    private static Envelope update(ChannelConfig proposed, ConfigUpdates.Signer... admins) {
        return ConfigUpdates.envelope(ChannelFixture.CHANNEL, proposed, List.of(admins), admin1);
    }

    private Block next(ByteString... envelopes) {
        return fixture.block(peer.ledger.lastHeader().orElseThrow(), List.of(envelopes));
    }

    private ChannelFixture.Tx org3Tx(String key) {
        return fixture.tx(client3, rwset(ns(CONTRACT).addWrites(write(key, "{}"))), fixture.peer1, fixture.peer2);
    }

    private static TxValidationCode code(CommitResult result) {
        assertThat(result).isInstanceOf(CommitResult.Committed.class);
        return ((CommitResult.Committed) result).codes().getFirst();
    }

    @Test
    void anUpdateAddingAnOrganizationSignedByAMajorityOfAdminsIsCommittedAndInForceForTheNextBlocksAndAfterARestart() {
        assertThat(code(peer.committer.commit(next(org3Tx("before").envelope())))).isEqualTo(TxValidationCode.UNAUTHORIZED_CREATOR);
        ChannelConfig proposed = withOrg3();
        Block configBlock = next(configEnvelope(proposed, update(proposed, admin1, admin2), orderer));

        CommitResult result = peer.committer.commit(configBlock);

        assertThat(code(result)).isEqualTo(TxValidationCode.VALID);
        assertThat(peer.ledger.height()).isEqualTo(3);
        assertThat(peer.ledger.latestConfig()).contains(new CommittedConfig(proposed, 2));
        assertThat(peer.validator.channel().config()).isEqualTo(proposed);
        assertThat(peer.config.sequence()).isEqualTo(1);
        ChannelFixture.Tx after = org3Tx("after");
        assertThat(code(peer.committer.commit(next(after.envelope())))).isEqualTo(TxValidationCode.VALID);
        assertThat(peer.ledger.get(CONTRACT, "after")).isPresent();

        peer.close();
        peer = new TestPeer(dataSource, fixture); // a restart: the latest configuration from the ledger
        assertThat(peer.config.config()).isEqualTo(proposed);
        assertThat(code(peer.committer.commit(next(org3Tx("restarted").envelope())))).isEqualTo(TxValidationCode.VALID);
    }

    @Test
    void theNewConfigurationIsInForceBeforeTheHeightShowsItsBlock() {
        List<Long> heightsAtSwitch = new java.util.concurrent.CopyOnWriteArrayList<>();
        peer.config.onSwitch(next -> heightsAtSwitch.add(peer.ledger.height()));
        ChannelConfig proposed = withOrg3();
        Block configBlock = next(configEnvelope(proposed, update(proposed, admin1, admin2), orderer));

        assertThat(code(peer.committer.commit(configBlock))).isEqualTo(TxValidationCode.VALID);

        // whoever sees height 2 (e.g. a client waiting for the update) is served by the new configuration
        assertThat(heightsAtSwitch).containsExactly(configBlock.getHeader().getNumber());
        assertThat(peer.ledger.height()).isEqualTo(configBlock.getHeader().getNumber() + 1);
    }

    @Test
    void aBlockCheckedAheadUnderTheOldConfigurationIsCheckedAgainOnceTheConfigBlockCommitted() {
        ChannelConfig proposed = withOrg3();
        Block configBlock = next(configEnvelope(proposed, update(proposed, admin1, admin2), orderer));
        Block following = fixture.block(configBlock.getHeader(), List.of(org3Tx("pipelined").envelope()));
        PrevalidatedBlock ahead = peer.validator.prevalidate(following);
        assertThat(ahead.transactions().getFirst().code()).isEqualTo(TxValidationCode.UNAUTHORIZED_CREATOR);

        assertThat(code(peer.committer.commit(configBlock))).isEqualTo(TxValidationCode.VALID);

        assertThat(code(peer.committer.commit(ahead))).isEqualTo(TxValidationCode.VALID);
    }

    @Test
    void anUpdateWithTooFewAdminSignaturesRefusesTheBlockAndWritesNothing() {
        ChannelConfig proposed = withOrg3();
        assertRefused(next(configEnvelope(proposed, update(proposed, admin1), orderer)), "UNAUTHORIZED");
    }

    @Test
    void anUpdateWithAWrongSequenceRefusesTheBlockAndWritesNothing() {
        ChannelConfig proposed = withOrg3().toBuilder().setSequence(2).build();
        assertRefused(next(configEnvelope(proposed, update(proposed, admin1, admin2), orderer)), "SEQUENCE_MISMATCH");
    }

    @Test
    void aConfigOtherThanTheOneTheUpdateProposesRefusesTheBlockAndWritesNothing() {
        ChannelConfig proposed = withOrg3();
        ChannelConfig other = proposed.toBuilder().putPolicies("Writers", "OR('Org3.member')").build();
        assertRefused(next(configEnvelope(other, update(proposed, admin1, admin2), orderer)),
                "not the one its update proposes");
    }

    @Test
    void aConfigEnvelopeNotWrittenByAnOrdererRefusesTheBlockAndWritesNothing() {
        ChannelConfig proposed = withOrg3();
        ConfigUpdates.Signer client = new ConfigUpdates.Signer("Org1", fixture.client1);
        assertRefused(next(configEnvelope(proposed, update(proposed, admin1, admin2), client)), "not written by an orderer");
    }

    @Test
    void aConfigEnvelopeWithoutItsUpdateRefusesTheBlockAndWritesNothing() {
        ByteString data = ConfigEnvelope.newBuilder().setConfig(withOrg3()).build().toByteString();
        assertRefused(next(ConfigUpdates.envelope(ChannelFixture.CHANNEL, HeaderType.CONFIG, data, orderer).toByteString()),
                "lacks its configuration or the update");
    }

    @Test
    void aPeerWhoseOrganizationIsRemovedStopsEndorsingForTheChannel(@TempDir Path contracts) {
        ConfigUpdates.Signer ordererAdmin = new ConfigUpdates.Signer("OrdererOrg",
                fixture.pki.organization("OrdererOrg").enroll("admin0", Role.ADMIN));
        try (ContractPeer org2Peer = new ContractPeer(databases.dataSource(databases.createDatabase()), fixture,
                fixture.peer2, contracts, ContractRuntimeSettings.DEFAULTS)) {
            TestClient.Proposed proposal = TestClient.invoke(fixture.client1, CONTRACT, "put", "k");
            assertThat(org2Peer.endorser.endorse(proposal.signed())).isInstanceOfSatisfying(EndorsementResult.Refused.class,
                    refused -> assertThat(refused.reason()).isEqualTo(RefusalReason.UNDEFINED_CONTRACT));
            ChannelConfig withoutOrg2 = fixture.config().toBuilder().setSequence(1)
                    .clearOrganizations()
                    .addAllOrganizations(fixture.config().getOrganizationsList().stream()
                            .filter(o -> !o.getMspId().equals("Org2")).toList())
                    .putPolicies("Endorsement", "OR('Org1.peer')")
                    .putPolicies("Writers", "OR('Org1.member')")
                    .setOrderer(withOrg3().getOrderer())
                    .build();
            Block configBlock = fixture.block(org2Peer.ledger.lastHeader().orElseThrow(),
                    List.of(configEnvelope(withoutOrg2, update(withoutOrg2, admin1, ordererAdmin), orderer)));

            assertThat(code(org2Peer.committer.commit(configBlock))).isEqualTo(TxValidationCode.VALID);

            assertThat(org2Peer.endorser.endorse(TestClient.invoke(fixture.client1, CONTRACT, "put", "k").signed()))
                    .isInstanceOfSatisfying(EndorsementResult.Refused.class, refused -> {
                        assertThat(refused.reason()).isEqualTo(RefusalReason.PEER_NOT_IN_CHANNEL);
                        assertThat(refused.detail()).contains("Org2");
                    });
        }
    }

    private void assertRefused(Block block, String detail) {
        ChannelConfig before = peer.validator.channel().config();
        CommitResult result = peer.committer.commit(block);
        assertThat(result).isInstanceOfSatisfying(CommitResult.Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(BlockRefusal.INVALID_CONFIG_UPDATE);
            assertThat(refused.detail()).contains(detail);
        });
        assertThat(peer.ledger.height()).isEqualTo(1);
        assertThat(peer.ledger.latestConfig()).contains(new CommittedConfig(fixture.config(), 0));
        assertThat(peer.validator.channel().config()).isSameAs(before);
        assertThat(peer.committer.stats().refusals(BlockRefusal.INVALID_CONFIG_UPDATE)).isEqualTo(1);
    }
}
