package io.charter.peer.dissemination;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.peer.delivery.Endpoint;
import io.charter.protocol.Block;
import io.charter.protocol.BlockHeader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockPusherTest {

    private static final Block BLOCK = Block.newBuilder().setHeader(BlockHeader.newBuilder().setNumber(7)).build();

    /**
     * A peer whose transport client is missing: a push to it fails at once (counted in {@code failed()}), which tells
     * the test that the pusher addressed it without any network.
     */
    private static OrgPeer unreachable(String id) {
        return new OrgPeer(new Endpoint(id, "127.0.0.1", 1), null);
    }

    @Test
    void aRelayListOfUnknownIdsSendsNothingAndCountsThemIgnored() {
        BlockPusher pusher = new BlockPusher("ch", "peer1", List.of(unreachable("peer2")), Duration.ofSeconds(1),
                DisseminationSettings.DEFAULTS);
        pusher.relay(BLOCK, List.of("peer9", "127.0.0.1:6666", "peer1", "peer1"));
        assertThat(pusher.pushed() + pusher.failed()).isZero();
        assertThat(pusher.relayIdsIgnored()).isEqualTo(4);
    }

    @Test
    void aRelayGoesOnlyToTheKnownIdsOfTheList() {
        BlockPusher pusher = new BlockPusher("ch", "peer1", List.of(unreachable("peer2"), unreachable("peer3")),
                Duration.ofSeconds(1), new DisseminationSettings(DisseminationSettings.Mode.LEADER, 0));
        pusher.relay(BLOCK, List.of("peer9", "peer3", "peer3"));
        assertThat(pusher.failed()).isEqualTo(1); // peer3 only, once
        assertThat(pusher.relayIdsIgnored()).isEqualTo(2);
    }

    @Test
    void theLeaderPushesToOneHeadPerSubtree() {
        List<OrgPeer> peers = List.of(unreachable("peer1"), unreachable("peer2"), unreachable("peer3"),
                unreachable("peer4"), unreachable("peer5"), unreachable("peer6"), unreachable("peer7"));
        BlockPusher tree = new BlockPusher("ch", "peer0", peers, Duration.ofSeconds(1), DisseminationSettings.DEFAULTS);
        tree.push(BLOCK);
        assertThat(tree.failed()).isEqualTo(3);
        BlockPusher linear = new BlockPusher("ch", "peer0", peers, Duration.ofSeconds(1),
                new DisseminationSettings(DisseminationSettings.Mode.LEADER, 0));
        linear.push(BLOCK);
        assertThat(linear.failed()).isEqualTo(7);
    }

    @Test
    void whenEveryPeerPullsNothingIsPushedOrRelayedEvenAfterNewNeighbours() {
        BlockPusher pusher = new BlockPusher("ch", "peer0", List.of(unreachable("peer1")), Duration.ofSeconds(1),
                new DisseminationSettings(DisseminationSettings.Mode.EVERY_PEER, 3));
        pusher.updatePeers(List.of(unreachable("peer1"), unreachable("peer2")));
        pusher.push(BLOCK);
        pusher.relay(BLOCK, List.of("peer1"));
        assertThat(pusher.peers()).isEmpty();
        assertThat(pusher.pushed() + pusher.failed()).isZero();
    }
}
