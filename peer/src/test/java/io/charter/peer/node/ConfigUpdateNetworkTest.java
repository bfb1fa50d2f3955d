package io.charter.peer.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.pki.Role;
import io.charter.common.testing.ConfigUpdates;
import io.charter.common.testing.RequiresDocker;
import io.charter.common.testing.TestPki;
import io.charter.orderer.channel.SubmitResult;
import io.charter.peer.ledger.TxRecord;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerNetwork;
import io.charter.peer.validation.ChannelContext;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Envelope;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.TxValidationCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A config update through a real orderer: the admins of Org1 and Org2 (a majority of the channel's three
 * organizations) add Org3; the orderer orders it as a config block, the peers validate it against their
 * configuration in force, commit it and switch to it, so a transaction created by an Org3 client, refused
 * before, is valid after; a restarted peer keeps the new configuration, and a peer joining later with the
 * genesis block ends with the same configuration by replaying the config block.
 */
@RequiresDocker
class ConfigUpdateNetworkTest extends PeerNetworkTestBase {

    @Test
    void anOrganizationAddedByAMajorityOfAdminsMayTransactOnEveryPeerAndAfterARestart() throws Exception {
        network = new PeerNetwork(dir, databases, 1, 2);
        ChannelFixture fixture = network.fixture;
        TestPki.Organization org3 = network.pki.addOrganization("Org3");
        TestPki.Credential client3 = org3.enroll("client3", Role.CLIENT);
        network.start("peer0.Org1");
        network.start("peer0.Org2");
        network.define(io.charter.protocol.ContractDefinition.newBuilder().setName(ChannelFixture.CONTRACT).setVersion("1")
                .setSequence(1).build());

        // before: not a member (the orderer refuses to order it; a peer would mark it UNAUTHORIZED_CREATOR,
        // ConfigBlockTest)
        SubmitResult refused = network.channel().submit(Envelope.parseFrom(fixture.tx(client3,
                ChannelFixture.rwset(ChannelFixture.ns(ChannelFixture.CONTRACT).addWrites(ChannelFixture.write("org3-before", "{}"))),
                fixture.peer1, fixture.peer2).envelope())).get(60, TimeUnit.SECONDS);
        assertThat(refused.status()).isEqualTo(SubmitResult.Status.UNKNOWN_CREATOR);

        ChannelConfig current = ChannelContext.configOf(network.genesis);
        ChannelConfig proposed = current.toBuilder()
                .setSequence(current.getSequence() + 1)
                .addOrganizations(OrganizationConfig.newBuilder().setMspId("Org3")
                        .addRootCerts(ChannelFixture.der(network.pki.root().certificate()))
                        .addIntermediateCerts(ChannelFixture.der(org3.signingCa().certificate()))
                        .addTlsRootCerts(ChannelFixture.der(network.pki.root().certificate()))
                        .addTlsIntermediateCerts(ChannelFixture.der(org3.tlsCa().certificate())))
                .putPolicies("Writers", "OR('Org1.member', 'Org2.member', 'Org3.member')")
                .build();
        ConfigUpdates.Signer admin1 = new ConfigUpdates.Signer("Org1", network.admin1);
        ConfigUpdates.Signer admin2 = new ConfigUpdates.Signer("Org2", network.pki.organization("Org2").enroll("admin2", Role.ADMIN));
        SubmitResult ordered = network.channel().submit(ConfigUpdates.envelope(ChannelFixture.CHANNEL, proposed,
                List.of(admin1, admin2), admin1)).get(60, TimeUnit.SECONDS);
        assertThat(ordered.status()).as(ordered.detail()).isEqualTo(SubmitResult.Status.COMMITTED);
        long configBlock = ordered.blockNumber();
        network.awaitConverged(Duration.ofSeconds(60));

        for (String name : List.of("peer0.Org1", "peer0.Org2")) {
            ChannelPeer peer = network.peer(name);
            assertThat(peer.currentConfig().config()).isEqualTo(proposed);
            assertThat(peer.ledger().latestConfig().orElseThrow().blockNumber()).isEqualTo(configBlock);
            assertThat(peer.ledger().block(configBlock).orElseThrow().getMetadata().getValidationCodesList())
                    .containsExactly(TxValidationCode.VALID);
        }

        String after = submit(fixture.tx(client3, ChannelFixture.rwset(ChannelFixture.ns(ChannelFixture.CONTRACT)
                .addWrites(ChannelFixture.write("org3-after", "{}"))), fixture.peer1, fixture.peer2));
        network.awaitConverged(Duration.ofSeconds(60));
        assertThat(code("peer0.Org1", after)).isEqualTo(TxValidationCode.VALID);
        assertThat(code("peer0.Org2", after)).isEqualTo(TxValidationCode.VALID);

        // restart: the configuration in force comes back from the ledger
        network.stop("peer0.Org2");
        network.start("peer0.Org2");
        assertThat(network.peer("peer0.Org2").currentConfig().sequence()).isEqualTo(proposed.getSequence());
        String restarted = submit(fixture.tx(client3, ChannelFixture.rwset(ChannelFixture.ns(ChannelFixture.CONTRACT)
                .addWrites(ChannelFixture.write("org3-restarted", "{}"))), fixture.peer1, fixture.peer2));

        // a peer joining now with the genesis block replays the config block and ends with the same configuration
        network.start("peer1.Org1");
        long height = network.awaitConverged(Duration.ofSeconds(60));
        assertThat(network.peer("peer1.Org1").height()).isEqualTo(height);
        assertThat(network.peer("peer1.Org1").currentConfig().config()).isEqualTo(proposed);
        assertThat(code("peer1.Org1", after)).isEqualTo(TxValidationCode.VALID);
        assertThat(code("peer0.Org2", restarted)).isEqualTo(TxValidationCode.VALID);
        assertThat(network.stateHash("peer1.Org1")).isEqualTo(network.stateHash("peer0.Org1"))
                .isEqualTo(network.stateHash("peer0.Org2"));
    }

    private String submit(ChannelFixture.Tx tx) throws Exception {
        SubmitResult result = network.channel().submit(Envelope.parseFrom(tx.envelope())).get(60, TimeUnit.SECONDS);
        assertThat(result.status()).as(result.detail()).isEqualTo(SubmitResult.Status.COMMITTED);
        return tx.txId();
    }

    private TxValidationCode code(String peer, String txId) {
        return network.peer(peer).ledger().transaction(txId).map(TxRecord::code).orElseThrow();
    }
}
