package io.charter.client.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.peer.node.JoinedChannels;
import io.charter.protocol.Block;
import io.charter.protocol.BlockHeader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the network host opens on its nodes at start ('charter up' after 'charter down'), left channels aside. */
class StartupChannelsTest {

    @TempDir
    Path dir;

    private final Block network = block("mychannel");
    private final Block second = block("second");
    private final Map<String, Block> ledger = Map.of("mychannel", network, "second", second);

    private static Block block(String name) {
        return Block.newBuilder().setHeader(BlockHeader.newBuilder().setDataHash(
                com.google.protobuf.ByteString.copyFromUtf8(name))).build();
    }

    @Test
    void aPeerOpensTheNetworksChannelAndThoseItsAdminJoined() {
        JoinedChannels record = new JoinedChannels(dir);
        assertThat(StartupChannels.forPeer(record, network, "mychannel", id -> Optional.ofNullable(ledger.get(id))))
                .as("first start").containsExactly(network);
        record.add("second");
        assertThat(StartupChannels.forPeer(new JoinedChannels(dir), network, "mychannel",
                id -> Optional.ofNullable(ledger.get(id)))).containsExactly(network, second);
    }

    @Test
    void aChannelThePeerLeftIsNotReopenedTheNetworksOwnIncludedUntilItIsJoinedAgain() {
        JoinedChannels record = new JoinedChannels(dir);
        record.add("second");
        record.remove("second");
        record.remove("mychannel");
        assertThat(StartupChannels.forPeer(new JoinedChannels(dir), network, "mychannel",
                id -> Optional.ofNullable(ledger.get(id)))).as("both left").isEmpty();

        record.add("mychannel");
        assertThat(StartupChannels.forPeer(new JoinedChannels(dir), network, "mychannel",
                id -> Optional.ofNullable(ledger.get(id)))).as("the network's channel joined again, once").containsExactly(network);
    }

    @Test
    void anOrdererJoinsTheNetworksChannelOnlyOnItsFirstStartAndNeverAfterLeavingIt() {
        assertThat(StartupChannels.ordererJoins(false, Set.<String>of()::contains, "mychannel")).isTrue();
        assertThat(StartupChannels.ordererJoins(true, Set.<String>of()::contains, "mychannel")).isFalse();
        assertThat(StartupChannels.ordererJoins(false, Set.of("mychannel")::contains, "mychannel")).isFalse();
    }
}
