package io.charter.orderer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.pki.Role;
import io.charter.common.testing.Await;
import io.charter.common.testing.ConfigUpdates;
import io.charter.common.testing.TestChannels;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.TransportClient;
import io.charter.orderer.testing.OrdererCluster;
import io.charter.protocol.BatchSize;
import io.charter.protocol.Block;
import io.charter.protocol.BroadcastReason;
import io.charter.protocol.BroadcastResponse;
import io.charter.protocol.BroadcastStatus;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.Payload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config updates through broadcast on three whole orderers: refused with their own reasons and in no
 * block (sequence, channel, invalid configuration, Admins not met, a CONFIG envelope sent directly);
 * then an update adding an organization, signed by a majority of admins, is ordered alone in a config
 * block on every orderer, after which that organization's client can broadcast.
 */
class ConfigUpdateTest {

    private static final Duration CALL = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static OrdererCluster cluster;
    static TransportClient toFollower;
    static int follower;
    static ConfigUpdates.Signer ordererAdmin;
    static ConfigUpdates.Signer clientAdmin;
    static ConfigUpdates.Signer submitter;

    @BeforeAll
    static void start() throws Exception {
        cluster = ServiceClusters.of(dir, 3);
        cluster.genesis(10, 12 * 1024, 24 * 1024, Duration.ofMillis(300));
        cluster.startAll();
        int leader = cluster.awaitLeader();
        follower = (leader + 1) % 3;
        toFollower = cluster.connect(follower, cluster.clientTls());
        ordererAdmin = new ConfigUpdates.Signer("OrdererOrg", cluster.pki().organization("OrdererOrg").enroll("admin", Role.ADMIN));
        clientAdmin = new ConfigUpdates.Signer("ClientOrg", cluster.pki().organization("ClientOrg").enroll("admin", Role.ADMIN));
        submitter = clientAdmin;
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static ChannelConfig current() {
        return cluster.channel(0).config();
    }

    @Test
    void badUpdatesAreRefusedWithTheirReasonsThenAGoodOneAddsAnOrganization() throws Exception {
        long height = cluster.channel(0).height();
        List<ConfigUpdates.Signer> both = List.of(ordererAdmin, clientAdmin);
        ChannelConfig base = current();
        TestPki.Organization newOrg = cluster.pki().addOrganization("NewOrg");
        ChannelConfig withNewOrg = base.toBuilder().setSequence(base.getSequence() + 1)
                .addOrganizations(TestChannels.organization(cluster.pki(), "NewOrg")).build();

        // one admin of two: MAJORITY Admins is not met
        assertRefused(ConfigUpdates.envelope(ServiceClusters.CHANNEL, withNewOrg, List.of(clientAdmin), submitter),
                BroadcastReason.CONFIG_UNAUTHORIZED);
        // a signature by someone who is no admin counts for nothing
        ConfigUpdates.Signer notAdmin = new ConfigUpdates.Signer("ClientOrg", cluster.client());
        assertRefused(ConfigUpdates.envelope(ServiceClusters.CHANNEL, withNewOrg, List.of(clientAdmin, notAdmin), submitter),
                BroadcastReason.CONFIG_UNAUTHORIZED);
        // wrong sequence
        assertRefused(ConfigUpdates.envelope(ServiceClusters.CHANNEL, withNewOrg.toBuilder().setSequence(base.getSequence() + 2).build(),
                both, submitter), BroadcastReason.CONFIG_SEQUENCE_MISMATCH);
        assertRefused(ConfigUpdates.envelope(ServiceClusters.CHANNEL, withNewOrg.toBuilder().setSequence(base.getSequence()).build(),
                both, submitter), BroadcastReason.CONFIG_SEQUENCE_MISMATCH);
        // a configuration of another channel
        assertRefused(ConfigUpdates.envelope(ServiceClusters.CHANNEL, withNewOrg.toBuilder().setChannelId("other").build(),
                both, submitter), BroadcastReason.CONFIG_WRONG_CHANNEL);
        // invalid configurations: no consenter, organization without roots, bad policy, bad batch size
        assertRefused(ConfigUpdates.envelope(ServiceClusters.CHANNEL,
                withNewOrg.toBuilder().setOrderer(withNewOrg.getOrderer().toBuilder().clearConsenters()).build(), both, submitter),
                BroadcastReason.CONFIG_INVALID);
        assertRefused(ConfigUpdates.envelope(ServiceClusters.CHANNEL,
                withNewOrg.toBuilder().setOrganizations(2, withNewOrg.getOrganizations(2).toBuilder().clearRootCerts()).build(),
                both, submitter), BroadcastReason.CONFIG_INVALID);
        assertRefused(ConfigUpdates.envelope(ServiceClusters.CHANNEL,
                withNewOrg.toBuilder().putPolicies("Writers", "SOMETIMES Writers").build(), both, submitter),
                BroadcastReason.CONFIG_INVALID);
        assertRefused(ConfigUpdates.envelope(ServiceClusters.CHANNEL,
                withNewOrg.toBuilder().setOrderer(withNewOrg.getOrderer().toBuilder().setBatchSize(
                        BatchSize.newBuilder().setPreferredMaxBytes(2000).setAbsoluteMaxBytes(1000))).build(), both, submitter),
                BroadcastReason.CONFIG_INVALID);
        // the new organization's client cannot write yet
        TestPki.Credential newClient = newOrg.enroll("client1", Role.CLIENT);
        BroadcastResponse early = OrdererServiceTest.broadcast(toFollower,
                OrdererCluster.envelope(ServiceClusters.CHANNEL, "NewOrg", newClient, 100));
        assertThat(early.getReason()).isEqualTo(BroadcastReason.UNKNOWN_CREATOR);
        for (int i = 0; i < 3; i++) {
            assertThat(cluster.channel(i).height()).as("orderer %d", i).isEqualTo(height);
        }
        OrdererMetrics metrics = cluster.server(follower).metrics();
        assertThat(metrics.envelopes(ServiceClusters.CHANNEL, "CONFIG_UNAUTHORIZED")).isEqualTo(2.0);
        assertThat(metrics.envelopes(ServiceClusters.CHANNEL, "CONFIG_INVALID")).isEqualTo(4.0);

        // signed by both admins: ordered alone in a config block, applied by every orderer
        Envelope update = ConfigUpdates.envelope(ServiceClusters.CHANNEL, withNewOrg, both, submitter);
        BroadcastResponse accepted = OrdererServiceTest.broadcast(toFollower, update);
        assertThat(accepted.getStatus()).as(accepted.getMessage()).isEqualTo(BroadcastStatus.SUCCESS);
        long configNumber = accepted.getBlockNumber();
        for (int i = 0; i < 3; i++) {
            int index = i;
            Await.until("the config block on orderer " + i, () -> cluster.channel(index).height() > configNumber, Duration.ofSeconds(30));
            Block block = cluster.channel(i).block(configNumber);
            assertThat(block.getData().getEnvelopesCount()).isEqualTo(1);
            Payload payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getEnvelopes(0)).getPayload());
            assertThat(payload.getHeader().getType()).isEqualTo(HeaderType.CONFIG);
            assertThat(block.getMetadata().getLastConfigBlock()).isEqualTo(configNumber);
            assertThat(cluster.channel(i).config()).isEqualTo(withNewOrg);
            assertThat(cluster.channel(i).configBlock()).isEqualTo(configNumber);
        }
        // the same update again is a duplicate
        assertThat(OrdererServiceTest.broadcast(toFollower, update).getReason()).isEqualTo(BroadcastReason.DUPLICATE_TXID);
        // the new organization's client now writes, and the next block points at the config block
        BroadcastResponse later = OrdererServiceTest.broadcast(toFollower,
                OrdererCluster.envelope(ServiceClusters.CHANNEL, "NewOrg", newClient, 100));
        assertThat(later.getStatus()).as(later.getMessage()).isEqualTo(BroadcastStatus.SUCCESS);
        assertThat(cluster.channel(0).block(later.getBlockNumber()).getMetadata().getLastConfigBlock()).isEqualTo(configNumber);
        // and the old sequence is now stale
        assertRefused(ConfigUpdates.envelope(ServiceClusters.CHANNEL, withNewOrg, both, submitter),
                BroadcastReason.CONFIG_SEQUENCE_MISMATCH);

        // two updates racing for the same sequence: the leader orders one, refuses the other
        ChannelConfig now = current();
        ChannelConfig smallBlocks = now.toBuilder().setSequence(now.getSequence() + 1).setOrderer(now.getOrderer().toBuilder()
                .setBatchSize(now.getOrderer().getBatchSize().toBuilder().setMaxMessageCount(2))).build();
        ChannelConfig otherPolicy = now.toBuilder().setSequence(now.getSequence() + 1).putPolicies("Readers", "ANY Readers").build();
        TransportClient toLeader = cluster.connect(cluster.awaitLeader(), cluster.clientTls());
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return OrdererServiceTest.broadcast(toLeader, ConfigUpdates.envelope(ServiceClusters.CHANNEL, smallBlocks, both, submitter));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        BroadcastResponse second = OrdererServiceTest.broadcast(toFollower,
                ConfigUpdates.envelope(ServiceClusters.CHANNEL, otherPolicy, both, submitter));
        List<BroadcastResponse> both2 = List.of(first.get(60, java.util.concurrent.TimeUnit.SECONDS), second);
        assertThat(both2).filteredOn(r -> r.getStatus() == BroadcastStatus.SUCCESS).hasSize(1);
        assertThat(both2).filteredOn(r -> r.getStatus() != BroadcastStatus.SUCCESS)
                .singleElement().extracting(BroadcastResponse::getReason).isEqualTo(BroadcastReason.CONFIG_SEQUENCE_MISMATCH);
        ChannelConfig winner = both2.getFirst().getStatus() == BroadcastStatus.SUCCESS ? smallBlocks : otherPolicy;
        for (int i = 0; i < 3; i++) {
            int index = i;
            Await.until("the winning config on orderer " + i, () -> cluster.channel(index).config().equals(winner), Duration.ofSeconds(30));
            assertThat(cluster.channel(i).batchParameters().maxMessageCount())
                    .isEqualTo(winner == smallBlocks ? 2 : 10);
        }
        if (winner == smallBlocks) {
            // the new batch size applies: a burst is cut into blocks of at most 2
            long from = cluster.channel(0).height();
            List<Envelope> burst = java.util.stream.IntStream.range(0, 6).mapToObj(i -> cluster.envelope(100)).toList();
            for (BroadcastResponse response : OrdererServiceTest.broadcastAll(toLeader, burst)) {
                assertThat(response.getStatus()).as(response.getMessage()).isEqualTo(BroadcastStatus.SUCCESS);
            }
            for (long n = from; n < cluster.channel(0).height(); n++) {
                assertThat(cluster.channel(0).block(n).getData().getEnvelopesCount()).isLessThanOrEqualTo(2);
            }
        }
        for (int i = 0; i < 3; i++) {
            int index = i;
            Await.until("the same height", () -> cluster.channel(index).height() == cluster.channel(0).height(), Duration.ofSeconds(30));
            assertThat(cluster.blocks(i)).isEqualTo(cluster.blocks(0));
        }
    }

    private static void assertRefused(Envelope envelope, BroadcastReason reason) throws Exception {
        BroadcastResponse response = OrdererServiceTest.broadcast(toFollower, envelope);
        assertThat(response.getStatus()).as(response.getMessage()).isNotEqualTo(BroadcastStatus.SUCCESS);
        assertThat(response.getReason()).as(response.getMessage()).isEqualTo(reason);
    }
}
