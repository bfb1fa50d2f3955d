package io.charter.orderer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.pki.Role;
import io.charter.common.testing.Await;
import io.charter.common.testing.ConfigUpdates;
import io.charter.common.transport.TransportClient;
import io.charter.orderer.testing.OrdererCluster;
import io.charter.protocol.BroadcastResponse;
import io.charter.protocol.BroadcastStatus;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consenter changes through config updates: a fourth orderer joins (with the genesis block and the
 * consenters it will have), a config update adds it, the leader changes the Raft members, the new one
 * catches up and takes part (envelopes broadcast through it, byte-identical chains on all four); then a
 * config update removes one of the original followers, which stops receiving blocks.
 */
class ConsenterChangeTest {

    @TempDir
    static Path dir;

    static OrdererCluster cluster;
    static ConfigUpdates.Signer ordererAdmin;
    static ConfigUpdates.Signer clientAdmin;

    @BeforeAll
    static void start() throws Exception {
        cluster = ServiceClusters.of(dir, 3);
        cluster.genesis(10, 12 * 1024, 24 * 1024, Duration.ofMillis(200));
        for (int i = 0; i < 3; i++) {
            cluster.start(i).join(cluster.genesis());
        }
        ordererAdmin = new ConfigUpdates.Signer("OrdererOrg", cluster.pki().organization("OrdererOrg").enroll("admin", Role.ADMIN));
        clientAdmin = new ConfigUpdates.Signer("ClientOrg", cluster.pki().organization("ClientOrg").enroll("admin", Role.ADMIN));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aConsenterAddedByAConfigUpdateCatchesUpAndOneRemovedStopsReceiving() throws Exception {
        int leader = cluster.awaitLeader();
        TransportClient toLeader = cluster.connect(leader, cluster.clientTls());
        broadcastSome(toLeader, 5);

        // the fourth orderer joins with the consenter set it will have, then an update adds it
        OrdererCluster.Member fourth = cluster.addMember();
        List<Consenter> four = cluster.members().stream().map(OrdererCluster.Member::consenter).toList();
        cluster.start(3).join(cluster.genesis(), four);
        ChannelConfig current = cluster.channel(leader).config();
        ChannelConfig added = current.toBuilder().setSequence(current.getSequence() + 1)
                .setOrderer(current.getOrderer().toBuilder().addConsenters(fourth.consenter())).build();
        BroadcastResponse addition = OrdererServiceTest.broadcast(toLeader, ConfigUpdates.envelope(ServiceClusters.CHANNEL,
                added, List.of(ordererAdmin, clientAdmin), clientAdmin));
        assertThat(addition.getStatus()).as(addition.getMessage()).isEqualTo(BroadcastStatus.SUCCESS);
        Await.until("four Raft members", () -> membersOf(cluster.leaderIndex()) == 4, Duration.ofSeconds(60));
        Await.until("the fourth orderer caught up",
                () -> cluster.channel(3).height() == cluster.channel(0).height() && cluster.channel(3).config().equals(added), Duration.ofSeconds(60));

        // it takes part: envelopes broadcast through it are ordered, all four chains are identical
        TransportClient toFourth = cluster.connect(3, cluster.clientTls());
        broadcastSome(toFourth, 5);
        long height = cluster.channel(3).height();
        for (int i = 0; i < 4; i++) {
            int index = i;
            Await.until("orderer " + i + " at height " + height, () -> cluster.channel(index).height() >= height, Duration.ofSeconds(30));
            assertThat(cluster.blocks(i).subList(0, (int) height)).as("orderer %d", i)
                    .isEqualTo(cluster.blocks(3).subList(0, (int) height));
        }

        // remove one of the original followers
        leader = cluster.awaitLeader();
        int removed = Stream.of(0, 1, 2).filter(i -> i != cluster.leaderIndex()).findFirst().orElseThrow();
        Consenter gone = cluster.members().get(removed).consenter();
        ChannelConfig withFour = cluster.channel(leader).config();
        ChannelConfig smaller = withFour.toBuilder().setSequence(withFour.getSequence() + 1)
                .setOrderer(withFour.getOrderer().toBuilder().clearConsenters().addAllConsenters(
                        withFour.getOrderer().getConsentersList().stream().filter(c -> !c.equals(gone)).toList()))
                .build();
        BroadcastResponse removal = OrdererServiceTest.broadcast(toFourth, ConfigUpdates.envelope(ServiceClusters.CHANNEL,
                smaller, List.of(ordererAdmin, clientAdmin), clientAdmin));
        assertThat(removal.getStatus()).as(removal.getMessage()).isEqualTo(BroadcastStatus.SUCCESS);
        Await.until("three Raft members", () -> cluster.leaderIndex() >= 0 && cluster.leaderIndex() != removed
                && membersOf(cluster.leaderIndex()) == 3, Duration.ofSeconds(60));
        int stayer = Stream.of(0, 1, 2, 3).filter(i -> i != removed).findFirst().orElseThrow();
        broadcastSome(toFourth, 6);
        long later = cluster.channel(3).height();
        Await.until("the others at height " + later, () -> cluster.channel(stayer).height() >= later, Duration.ofSeconds(30));
        // it may still apply what was committed before its removal (up to the config block removing it), nothing after
        assertThat(cluster.channel(removed).height()).isLessThanOrEqualTo(removal.getBlockNumber() + 1).isLessThan(later);
        assertThat(cluster.blocks(stayer).subList(0, (int) later)).isEqualTo(cluster.blocks(3).subList(0, (int) later));
    }

    private static int membersOf(int index) {
        if (index < 0) {
            return -1;
        }
        try {
            return cluster.channel(index).raftStatus().members().size();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static void broadcastSome(TransportClient client, int count) throws Exception {
        List<io.charter.protocol.Envelope> envelopes = java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> cluster.envelope(200)).toList();
        for (BroadcastResponse response : OrdererServiceTest.broadcastAll(client, envelopes)) {
            assertThat(response.getStatus()).as(response.getMessage()).isEqualTo(BroadcastStatus.SUCCESS);
        }
    }
}
