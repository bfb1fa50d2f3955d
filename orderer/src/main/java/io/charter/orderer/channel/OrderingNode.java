package io.charter.orderer.channel;

import io.charter.common.config.ChannelConfigs;
import io.charter.orderer.blockstore.BlockStore;
import io.charter.orderer.consensus.PinnedCertificates;
import io.charter.orderer.consensus.RaftIds;
import io.charter.orderer.consensus.RaftNode;
import io.charter.orderer.consensus.RaftStatus;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An orderer: its joined channels, each with its block store, and its {@link RaftNode} (one cluster
 * port) running one Raft group per channel, as Fabric's etcdraft runs one Raft instance per channel
 * behind one cluster listener.
 *
 * <p>Restart: channels found under {@code channels/} are reopened, and their Raft groups are reloaded
 * from {@code raft/}.
 */
public final class OrderingNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OrderingNode.class);

    private final OrderingNodeConfig config;
    private final RaftNode raft;
    private final String self;
    private final Map<String, ChannelOrderer> channels = new ConcurrentHashMap<>();
    /** Per channel joined since start, the consenters it was joined with (they may not be in its config yet). */
    private final Map<String, List<Consenter>> joinedWith = new ConcurrentHashMap<>();

    private OrderingNode(OrderingNodeConfig config) throws IOException {
        this.config = config;
        this.raft = new RaftNode(config.clusterEndpoint(), config.dataDirectory().resolve("raft"), config.raft(),
                config.tls(), this::pinnedConsenters);
        this.self = raft.memberId();
        Files.createDirectories(channelsDirectory());
        try (Stream<Path> existing = Files.list(channelsDirectory())) {
            for (Path dir : existing.filter(Files::isDirectory).sorted().toList()) {
                String channelId = dir.getFileName().toString();
                channels.put(channelId, open(channelId, null));
            }
        }
        raft.start();
        LOG.info("orderer {} started with channels {}", self, channels.keySet());
    }

    /**
     * The TLS certificates Raft accepts (with TLS on): those of the consenters of every channel served
     * here, by its current configuration (a committed config block changes it), plus the consenters a
     * channel was joined with since start (so that an orderer joining as a new consenter reaches the
     * current ones before it has their configuration). Read at every Raft TLS handshake.
     */
    public PinnedCertificates pinnedConsenters() {
        List<Consenter> consenters = new ArrayList<>();
        for (ChannelOrderer channel : channels.values()) {
            consenters.addAll(channel.config().getOrderer().getConsentersList());
        }
        joinedWith.values().forEach(consenters::addAll);
        return PinnedCertificates.of(consenters);
    }

    /** Raft TLS handshakes refused since start because the peer's certificate is not a consenter's (0 without TLS). */
    public long raftConnectionsRefused() {
        return raft.connectionsRefused();
    }

    /** Starts the orderer, reopening the channels it had joined. */
    public static OrderingNode start(OrderingNodeConfig config) throws IOException {
        return new OrderingNode(config);
    }

    /** This orderer's id among the consenters of its channels ({@link RaftIds#memberId} of its cluster endpoint). */
    public String memberId() {
        return self;
    }

    /** Joins a channel from its genesis block, with the consenters the block names. */
    public ChannelOrderer join(Block genesis) throws IOException {
        return join(genesis, ChannelConfigs.of(genesis).getOrderer().getConsentersList());
    }

    /**
     * Joins a channel from its genesis block, with the channel's current consenters (which differ
     * from the genesis ones when this orderer is being added to a running channel: the others then
     * add it with {@link ChannelOrderer#setConsenters}, and it catches up from them).
     */
    public synchronized ChannelOrderer join(Block genesis, List<Consenter> consenters) throws IOException {
        if (genesis.getHeader().getNumber() != 0) {
            throw new IllegalArgumentException("join with the genesis block, not block " + genesis.getHeader().getNumber());
        }
        ChannelConfig channelConfig = ChannelConfigs.of(genesis);
        String channelId = channelConfig.getChannelId();
        if (!channelId.matches("[a-z0-9][a-z0-9.\\-]{0,248}")) {
            throw new IllegalArgumentException("invalid channel id '" + channelId + "'");
        }
        if (channels.containsKey(channelId)) {
            throw new IllegalStateException("already joined channel " + channelId);
        }
        if (consenters.stream().noneMatch(c -> RaftIds.memberId(c.getEndpoint()).equals(self))) {
            throw new IllegalArgumentException("this orderer (" + self + ") is not a consenter of " + channelId);
        }
        boolean keptBlocks = takeBackKeptBlocks(channelId, genesis);
        ChannelOrderer channel;
        try {
            channel = open(channelId, genesis);
        } catch (IOException | RuntimeException e) {
            putBackKeptBlocks(channelId, keptBlocks);
            throw e;
        }
        joinedWith.put(channelId, List.copyOf(consenters));
        channels.put(channelId, channel);
        try {
            raft.startGroup(channelId, consenters);
        } catch (IOException | RuntimeException e) {
            channels.remove(channelId);
            joinedWith.remove(channelId);
            channel.close();
            // a failed join leaves nothing behind: joining again starts from the genesis block (or the blocks kept)
            if (keptBlocks) {
                putBackKeptBlocks(channelId, true);
            } else {
                deleteRecursively(channelsDirectory().resolve(channelId));
            }
            throw e;
        }
        Files.deleteIfExists(leftMarker(channelId));
        LOG.info("{} joined channel {}{}", self, channelId, keptBlocks ? " with the blocks kept when it left: "
                + channel.height() + " blocks" : "");
        return channel;
    }

    /**
     * Moves the blocks kept when this orderer left the channel back in place, if any and of the same genesis block.
     *
     * @return whether blocks were taken back
     * @throws IllegalArgumentException when the blocks kept are of another genesis block
     */
    private boolean takeBackKeptBlocks(String channelId, Block genesis) throws IOException {
        Path kept = leftDirectory().resolve(channelId);
        if (!Files.isDirectory(kept)) {
            return false;
        }
        Block keptGenesis;
        try (BlockStore store = BlockStore.open(kept.resolve("blocks"), config.blockStore())) {
            keptGenesis = store.height() == 0 ? null : store.get(0);
        }
        if (keptGenesis != null && !keptGenesis.equals(genesis)) {
            throw new IllegalArgumentException("this orderer left channel " + channelId + " keeping blocks of another"
                    + " genesis block, in " + kept + ": remove them to join this one");
        }
        Files.move(kept, channelsDirectory().resolve(channelId));
        return true;
    }

    private void putBackKeptBlocks(String channelId, boolean keptBlocks) throws IOException {
        if (keptBlocks) {
            Files.move(channelsDirectory().resolve(channelId), leftDirectory().resolve(channelId));
        }
    }

    private ChannelOrderer open(String channelId, Block genesis) throws IOException {
        BlockStore store = BlockStore.open(channelsDirectory().resolve(channelId).resolve("blocks"), config.blockStore());
        if (store.height() == 0) {
            if (genesis == null) {
                store.close();
                throw new IOException("channel " + channelId + " has no genesis block on disk");
            }
            store.append(genesis);
        } else if (genesis != null && !store.get(0).equals(genesis)) {
            store.close();
            throw new IllegalArgumentException("channel " + channelId + " already holds a different genesis block");
        }
        return new ChannelOrderer(channelId, store, config.identity(), config.validator(), config.channel(),
                (listener, verifier) -> raft.open(channelId, store, listener, verifier), config.observer());
    }

    public Optional<ChannelOrderer> channel(String channelId) {
        return Optional.ofNullable(channels.get(channelId));
    }

    /** The joined channels (no Raft status read: cheap). */
    public List<ChannelOrderer> joined() {
        return List.copyOf(channels.values());
    }

    public List<ChannelInfo> channels() {
        List<ChannelInfo> list = new ArrayList<>();
        for (ChannelOrderer channel : channels.values()) {
            String role = "";
            String leader = "";
            try {
                RaftStatus status = channel.raftStatus();
                role = status.role();
                leader = status.leader();
            } catch (IllegalStateException e) {
                role = "STARTING";
            }
            list.add(new ChannelInfo(channel.channelId(), channel.height(), role, leader));
        }
        list.sort(Comparator.comparing(ChannelInfo::channelId));
        return list;
    }

    /** Leaves a channel: stops its Raft group here and deletes its log, snapshots and blocks. */
    public void remove(String channelId) throws IOException {
        leave(channelId, true);
    }

    /**
     * Leaves a channel without stopping: stops its Raft group here and deletes its Raft log and snapshots. Its blocks
     * are deleted with {@code removeData}; otherwise they move to {@code left/<channel>/}, where a restart does not
     * reopen them and a join with the same genesis block takes them back (and catches up from the other consenters).
     * Either way the channel is marked left ({@link #hasLeft}) until it is joined again.
     *
     * @throws IllegalArgumentException when this orderer has not joined the channel
     */
    public synchronized void leave(String channelId, boolean removeData) throws IOException {
        ChannelOrderer channel = channels.get(channelId);
        if (channel == null) {
            throw new IllegalArgumentException("not a member of channel " + channelId);
        }
        long height = channel.height();
        raft.removeGroup(channelId);
        channels.remove(channelId);
        joinedWith.remove(channelId);
        channel.close();
        Files.createDirectories(leftDirectory());
        Path kept = leftDirectory().resolve(channelId);
        deleteRecursively(kept);
        if (removeData) {
            deleteRecursively(channelsDirectory().resolve(channelId));
        } else {
            Files.move(channelsDirectory().resolve(channelId), kept);
        }
        Files.write(leftMarker(channelId), new byte[0]);
        LOG.info("{} left channel {} at height {}{}", self, channelId, height,
                removeData ? ", its blocks deleted" : ", its blocks kept in " + kept);
    }

    /**
     * Whether this orderer left the channel (at an admin's request) and has not joined it again since: a host that
     * joins channels of its own at start (the local network's) does not rejoin it.
     */
    public boolean hasLeft(String channelId) {
        return channelId.matches("[a-z0-9][a-z0-9.\\-]{0,248}") && Files.exists(leftMarker(channelId));
    }

    /** Where the blocks of a channel left with its data kept are, if any. */
    public Optional<Path> keptBlocks(String channelId) {
        Path kept = leftDirectory().resolve(channelId);
        return Files.isDirectory(kept) ? Optional.of(kept) : Optional.empty();
    }

    private Path channelsDirectory() {
        return config.dataDirectory().resolve("channels");
    }

    private Path leftDirectory() {
        return config.dataDirectory().resolve("left");
    }

    private Path leftMarker(String channelId) {
        return leftDirectory().resolve(channelId + ".left");
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * Hands over the leadership of every channel this orderer leads (each waiting at most
     * {@code timeout}; see {@link ChannelOrderer#handOverLeadership}).
     *
     * @return per channel handed over, the new leader
     */
    public Map<String, String> handOverLeadership(java.time.Duration timeout) {
        Map<String, String> handedOver = new java.util.TreeMap<>();
        for (ChannelOrderer channel : channels.values()) {
            try {
                channel.handOverLeadership(timeout).ifPresent(leader -> handedOver.put(channel.channelId(), leader));
            } catch (RuntimeException e) {
                LOG.warn("{}: handing leadership over failed", channel.channelId(), e);
            }
        }
        return handedOver;
    }

    /**
     * Stops: first hands over the leadership of the channels this orderer leads (waiting at most twice
     * the maximum election timeout, and no more than {@code raft.requestTimeout}, for each), then stops
     * the Raft node and closes every channel (blocks stay on disk).
     */
    @Override
    public void close() throws IOException {
        // a transfer not done within two election timeouts is not going to be (the transferee died meanwhile)
        java.time.Duration bound = config.raft().electionTimeoutMax().multipliedBy(2);
        Map<String, String> handedOver = handOverLeadership(
                bound.compareTo(config.raft().requestTimeout()) < 0 ? bound : config.raft().requestTimeout());
        if (!handedOver.isEmpty()) {
            LOG.info("orderer {} handed over leadership before stopping: {}", self, handedOver);
        }
        abort();
    }

    /**
     * Stops at once, without handing leadership over: to the other orderers it looks like a crash
     * (they elect a leader after their election timeout). Blocks stay on disk.
     */
    public void abort() throws IOException {
        try {
            raft.close();
        } finally {
            for (ChannelOrderer channel : channels.values()) {
                channel.close();
            }
        }
        LOG.info("orderer {} stopped", self);
    }
}
