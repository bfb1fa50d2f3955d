package io.charter.peer.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.testing.Await;
import io.charter.peer.testing.PeerNetwork;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Three real orderers (Raft) and one peer per organization (each its organization's leader): when the
 * orderer a leader streams from goes away, its deliver client fails over to another orderer and resumes
 * from its ledger height, nothing skipped or committed twice.
 */
class DeliverFailoverTest extends PeerNetworkTestBase {

    @Test
    void aLeaderFailsOverToAnotherOrdererAndResumesFromItsHeight() throws Exception {
        network = new PeerNetwork(dir, databases, 3, 1);
        network.startAll();
        Await.until("both peers leading", () -> network.peer("peer0.Org1").isLeader()
                && network.peer("peer0.Org2").isLeader(), Duration.ofSeconds(30));
        network.submit("g", 40);
        long before = network.awaitConverged(Duration.ofSeconds(60));

        ChannelPeer peer = network.peer("peer0.Org1");
        Await.until("a deliver stream", () -> peer.deliver().currentEndpoint() != null, Duration.ofSeconds(10));
        assertThat(peer.deliver().currentEndpoint().id()).isEqualTo("orderer1");
        long failoversBefore = peer.deliver().failovers();

        network.stopOrderer(0);
        network.awaitOrdererLeader();
        network.submit("h", 40);
        long height = network.awaitConverged(Duration.ofSeconds(60));

        assertThat(height).isGreaterThan(before);
        assertThat(peer.deliver().failovers()).isGreaterThan(failoversBefore);
        Await.until("a deliver stream from another orderer", () -> peer.deliver().currentEndpoint() != null, Duration.ofSeconds(10));
        assertThat(peer.deliver().currentEndpoint().id()).isNotEqualTo("orderer1");
        // every block was committed exactly once: what the orderers served equals the height minus genesis
        // (a block in flight when the stream broke may be served again and is then AlreadyCommitted)
        assertThat(peer.deliver().blocksReceived()).isGreaterThanOrEqualTo(height - 1);
        assertThat(peer.stats().blocksCommitted()).isEqualTo(height - 1);
        assertThat(network.stateHash("peer0.Org1")).isEqualTo(network.stateHash("peer0.Org2"));
    }
}
