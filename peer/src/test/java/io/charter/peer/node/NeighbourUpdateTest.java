package io.charter.peer.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.testing.Await;
import io.charter.peer.delivery.Endpoint;
import io.charter.peer.dissemination.OrgPeer;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerNetwork;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A joined channel's neighbours change while it runs (as after the index changed): a peer added to the
 * organization is heartbeated and pushed to, a removed one is dropped with its connection, and the
 * orderers delivery uses are replaced; one real orderer and three peers of Org1 on loopback.
 */
class NeighbourUpdateTest extends PeerNetworkTestBase {

    @Test
    void aPeerAddedAfterJoinTakesPartARemovedOneIsDroppedAndOrderersAreReplaced() throws Exception {
        network = new PeerNetwork(dir, databases, 1, 3);
        Endpoint p0 = network.endpoint("peer0.Org1");
        Endpoint p1 = network.endpoint("peer1.Org1");
        Endpoint p2 = network.endpoint("peer2.Org1");
        List<Endpoint> orderers = List.copyOf(network.ordererEndpoints);
        PeerNode leaderNode = network.start("peer0.Org1", new Neighbours(List.of(p1), orderers, "test"));
        network.start("peer1.Org1", new Neighbours(List.of(p0), orderers, "test"));
        network.start("peer2.Org1", new Neighbours(List.of(p0, p1), orderers, "test"));
        ChannelPeer leader = network.peer("peer0.Org1");
        ChannelPeer added = network.peer("peer2.Org1");
        Await.until("peer0 leading Org1", leader::isLeader, Duration.ofSeconds(30));
        network.submit("before", 10);
        network.awaitConverged(Duration.ofSeconds(60));
        // nobody knows peer2 yet: it caught up by pulling, nothing was pushed to it, the leader ignores it
        assertThat(added.pushesCommitted()).isZero();
        assertThat(leader.election().aliveHeights()).doesNotContainKey("peer2");

        assertThat(leaderNode.updateNeighbours(ChannelFixture.CHANNEL, new Neighbours(List.of(p1, p2), orderers, "test"))).isTrue();

        assertThat(leader.neighbours().organizationPeers()).containsExactly(p1, p2);
        Await.until("the leader hearing peer2", () -> leader.election().aliveHeights().containsKey("peer2"), Duration.ofSeconds(30));
        int round = 0;
        long deadline = System.currentTimeMillis() + 60_000;
        while (added.pushesCommitted() == 0) {
            assertThat(System.currentTimeMillis()).as("a block pushed to the added peer").isLessThan(deadline);
            network.submit("added" + round++ + "-", 5);
            network.awaitConverged(Duration.ofSeconds(60));
        }

        leaderNode.updateNeighbours(ChannelFixture.CHANNEL, new Neighbours(List.of(p1), orderers, "test"));

        assertThat(leader.election().peers()).extracting(OrgPeer::id).containsExactly("peer1");
        assertThat(leader.pusher().peers()).extracting(OrgPeer::id).containsExactly("peer1");
        assertThat(leaderNode.connectedEndpoints()).doesNotContain(p2).contains(p1);
        Await.until("the leader forgetting peer2", () -> !leader.election().aliveHeights().containsKey("peer2"), Duration.ofSeconds(30));
        long pushedBefore = added.pushesCommitted();
        network.submit("removed", 10);
        network.awaitConverged(Duration.ofSeconds(60));
        assertThat(added.pushesCommitted()).as("blocks pushed to the removed peer").isEqualTo(pushedBefore);

        // the same orderer under another endpoint: the old stream ends, delivery goes on from the new one
        Endpoint renamed = new Endpoint("orderer1-renamed", orderers.getFirst().host(), orderers.getFirst().port());
        leaderNode.updateNeighbours(ChannelFixture.CHANNEL, new Neighbours(List.of(p1), List.of(renamed), "test"));
        assertThat(leaderNode.connectedEndpoints()).doesNotContain(orderers.getFirst());
        assertThat(leader.deliver().orderers()).containsExactly(renamed);
        Await.until("delivery from the new endpoint", () -> renamed.equals(leader.deliver().currentEndpoint()), Duration.ofSeconds(30));
        network.submit("renamed", 10);
        network.awaitConverged(Duration.ofSeconds(60));

        // an answer without orderers keeps the known ones; an unjoined channel is refused
        leaderNode.updateNeighbours(ChannelFixture.CHANNEL, new Neighbours(List.of(p1), List.of(), "test"));
        assertThat(leader.deliver().orderers()).containsExactly(renamed);
        assertThat(leader.neighbours().orderers()).containsExactly(renamed);
        assertThat(leaderNode.updateNeighbours("other", new Neighbours(List.of(), orderers, "test"))).isFalse();
    }
}
