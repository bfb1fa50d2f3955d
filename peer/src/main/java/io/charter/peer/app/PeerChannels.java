package io.charter.peer.app;

import io.charter.peer.ledger.PostgresLedger;
import io.charter.peer.node.ChannelPeer;
import io.charter.peer.node.IndexDiscovery;
import io.charter.peer.node.JoinedChannels;
import io.charter.peer.node.Neighbours;
import io.charter.peer.node.PeerNode;
import io.charter.peer.validation.ChannelContext;
import io.charter.protocol.Block;
import java.nio.file.Path;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joining and leaving channels for the shell: the ledger database, the record of joined channels
 * under the data directory (a restart rejoins them), the neighbours (configured, or discovered through
 * the index with the last known kept) and the per-channel metrics.
 */
public final class PeerChannels {

    private static final Logger LOG = LoggerFactory.getLogger(PeerChannels.class);

    private final PeerNode node;
    private final DataSource dataSource;
    private final JoinedChannels joined;
    private final Optional<IndexDiscovery> discovery;
    private final PeerMetrics metrics;

    public PeerChannels(PeerNode node, DataSource dataSource, Path dataDir, Optional<IndexDiscovery> discovery,
                        PeerMetrics metrics) {
        this.node = node;
        this.dataSource = dataSource;
        this.joined = new JoinedChannels(dataDir);
        this.discovery = discovery;
        this.metrics = metrics;
    }

    /** No orderer of the channel is configured or known: the peer could never receive its blocks. */
    public static final class NoOrderersException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoOrderersException(String message) {
            super(message);
        }
    }

    /**
     * Rejoins the channels joined before the last stop, from their genesis blocks in the ledger. A channel
     * that cannot be rejoined (no genesis in the database, no orderer known) is logged and skipped; the
     * others are rejoined.
     */
    public void restore() {
        for (String channelId : joined.list()) {
            Optional<Block> genesis = new PostgresLedger(dataSource, channelId).block(0);
            if (genesis.isEmpty()) {
                LOG.error("channel {} is recorded as joined but its ledger has no genesis block in the database;"
                        + " join it again through the admin API", channelId);
                continue;
            }
            try {
                join(genesis.get());
            } catch (NoOrderersException e) {
                LOG.error("channel {} not rejoined: {}", channelId, e.getMessage());
            }
        }
    }

    /**
     * Joins the channel of {@code genesis}.
     *
     * @throws IllegalArgumentException when the block is not a usable genesis block
     * @throws IllegalStateException when the channel is already joined
     * @throws NoOrderersException when no orderer of the channel is configured, discovered or last known
     */
    public synchronized ChannelPeer join(Block genesis) {
        String channelId = ChannelContext.configOf(genesis).getChannelId();
        if (!JoinedChannels.isValidChannelId(channelId)) {
            throw new IllegalArgumentException("'" + channelId + "' is not a channel id");
        }
        if (node.channel(channelId).isPresent()) {
            throw new IllegalStateException("already joined channel " + channelId);
        }
        Neighbours neighbours = discovery.map(d -> d.discover(channelId))
                .orElseGet(() -> new Neighbours(node.settings().organizationPeers(), node.settings().orderers(), "configuration"));
        if (neighbours.orderers().isEmpty()) {
            throw new NoOrderersException("no orderer is known for channel " + channelId + " (" + neighbours.source()
                    + "): configure charter.peer.orderers, or check that the membership service's index lists the"
                    + " channel's orderers (orderers report a channel they just joined at their next heartbeat: try"
                    + " again in a few seconds)");
        }
        ChannelPeer channel = node.join(dataSource, genesis, neighbours);
        joined.add(channelId);
        metrics.bind(channel);
        LOG.info("channel {}: {} orderers and {} organization peers ({})", channelId, neighbours.orderers().size(),
                neighbours.organizationPeers().size(), neighbours.source());
        return channel;
    }

    /** Whether neighbours come from the index (no static lists configured, the membership service set). */
    public boolean discoversNeighbours() {
        return discovery.isPresent();
    }

    /**
     * Asks the index again for the neighbours of every joined channel and hands the answer to the
     * node (which picks up new orderers and organization peers and drops those that left). A channel
     * whose discovery fails keeps the neighbours it has; nothing happens when the neighbours are
     * configured statically.
     */
    public void refreshNeighbours() {
        if (discovery.isEmpty()) {
            return;
        }
        for (ChannelPeer channel : node.channels()) {
            discovery.get().fromIndex(channel.channelId())
                    .ifPresent(neighbours -> node.updateNeighbours(channel.channelId(), neighbours));
        }
    }

    /** The channel's height at the orderers as the index last reported it; empty when not discovered or unknown. */
    public Optional<Long> ordererHeight(String channelId) {
        return discovery.flatMap(d -> d.ordererHeight(channelId));
    }

    /** Leaves a channel; false when it was not joined. The ledger stays in the database. */
    public boolean leave(String channelId) {
        return leave(channelId, false);
    }

    /**
     * Leaves a channel, not rejoined at the next start; with {@code removeData} its ledger is deleted from the
     * database, otherwise kept. False when it was not joined.
     */
    public synchronized boolean leave(String channelId, boolean removeData) {
        Optional<ChannelPeer> channel = node.channel(channelId);
        if (channel.isEmpty() || !node.leave(channelId, removeData)) {
            return false;
        }
        joined.remove(channelId);
        metrics.unbind(channel.get());
        return true;
    }
}
