package io.charter.client.network;

import io.charter.peer.node.JoinedChannels;
import io.charter.protocol.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Which channels the network host opens on its nodes at start: the network's own channel unless an admin made the
 * node leave it ({@code charter channel leave}), then the channels an admin joined since, as recorded. A channel left
 * stays left across {@code charter down} and {@code charter up}, as it does for a deployed node.
 */
final class StartupChannels {

    private StartupChannels() {}

    /**
     * The genesis blocks of the channels a peer opens at start, the network's first.
     *
     * @param record the peer's record of joined and left channels
     * @param genesisInLedger the genesis block of a channel in the peer's ledger database, if any
     */
    static List<Block> forPeer(JoinedChannels record, Block networkGenesis, String networkChannel,
            Function<String, Optional<Block>> genesisInLedger) {
        List<Block> open = new ArrayList<>();
        if (!record.hasLeft(networkChannel)) {
            open.add(networkGenesis);
        }
        for (String channelId : record.list()) {
            if (!channelId.equals(networkChannel)) {
                genesisInLedger.apply(channelId).ifPresent(open::add);
            }
        }
        return open;
    }

    /**
     * Whether an orderer joins the network's channel at start: when it has not (first start) and no admin made it
     * leave the channel.
     */
    static boolean ordererJoins(boolean joined, Predicate<String> hasLeft, String networkChannel) {
        return !joined && !hasLeft.test(networkChannel);
    }
}
