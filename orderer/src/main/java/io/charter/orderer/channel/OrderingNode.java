package io.charter.orderer.channel;

import io.charter.common.config.ChannelConfigs;
import io.charter.orderer.blockstore.BlockStore;
import io.charter.orderer.consensus.ConsenterPinningTrustManager;
import io.charter.orderer.consensus.PinnedCertificates;
import io.charter.orderer.consensus.RaftIds;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An orderer: one Ratis server (one cluster port) hosting one Raft group per joined channel, as
 * Fabric's etcdraft runs one Raft instance per channel behind one cluster listener.
 *
 * <p>Restart: channels found under {@code channels/} are reopened, and Ratis reloads their groups
 * from {@code raft/}.
 */
public final class OrderingNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OrderingNode.class);

    private final OrderingNodeConfig config;
    private final RaftPeerId self;
    private final Optional<ConsenterPinningTrustManager> raftTrust;
    private final Parameters parameters;
    private final RaftProperties clientProperties;
    private final Map<RaftGroupId, ChannelOrderer> byGroup = new ConcurrentHashMap<>();
    private final Map<String, ChannelOrderer> channels = new ConcurrentHashMap<>();
    /** Per channel joined since start, the consenters it was joined with (they may not be in its config yet). */
    private final Map<String, List<Consenter>> joinedWith = new ConcurrentHashMap<>();
    private final ClientId adminClientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final RaftServer server;

    private OrderingNode(OrderingNodeConfig config) throws IOException {
        this.config = config;
        this.self = RaftIds.peerId(config.clusterEndpoint());
        this.raftTrust = config.tls().map(tls -> tls.trustManager(this::pinnedConsenters));
        this.parameters = config.tls().map(tls -> tls.toParameters(raftTrust.orElseThrow())).orElseGet(Parameters::new);
        this.clientProperties = config.raft().clientProperties();
        Files.createDirectories(channelsDirectory());
        try (Stream<Path> existing = Files.list(channelsDirectory())) {
            for (Path dir : existing.filter(Files::isDirectory).sorted().toList()) {
                String channelId = dir.getFileName().toString();
                ChannelOrderer channel = open(channelId, null);
                register(channel);
            }
        }
        RaftProperties properties = config.raft().toProperties(
                config.clusterEndpoint().getHost(), config.clusterEndpoint().getPort(),
                config.dataDirectory().resolve("raft"));
        this.server = RaftServer.newBuilder()
                .setServerId(self)
                .setProperties(properties)
                .setParameters(parameters)
                .setStateMachineRegistry(this::stateMachineOf)
                .build();
        for (ChannelOrderer channel : channels.values()) {
            channel.attach(server);
        }
        server.start();
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
        return raftTrust.map(ConsenterPinningTrustManager::refused).orElse(0L);
    }

    /** Starts the orderer, reopening the channels it had joined. */
    public static OrderingNode start(OrderingNodeConfig config) throws IOException {
        return new OrderingNode(config);
    }

    public RaftPeerId peerId() {
        return self;
    }

    private StateMachine stateMachineOf(RaftGroupId groupId) {
        ChannelOrderer channel = byGroup.get(groupId);
        if (channel == null) {
            throw new IllegalStateException("no channel of this orderer has Raft group " + groupId);
        }
        return channel.stateMachine();
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
        if (consenters.stream().noneMatch(c -> RaftIds.peerId(c.getEndpoint()).equals(self))) {
            throw new IllegalArgumentException("this orderer (" + self + ") is not a consenter of " + channelId);
        }
        ChannelOrderer channel = open(channelId, genesis);
        joinedWith.put(channelId, List.copyOf(consenters));
        register(channel);
        channel.attach(server);
        RaftGroup group = RaftGroup.valueOf(channel.groupId(), consenters.stream().map(RaftIds::peer).toList());
        RaftClientReply reply = server.groupManagement(
                GroupManagementRequest.newAdd(adminClientId, self, callIds.incrementAndGet(), group));
        if (!reply.isSuccess()) {
            unregister(channel);
            joinedWith.remove(channelId);
            channel.close();
            // a failed join leaves nothing behind: joining again starts from the genesis block
            deleteRecursively(channelsDirectory().resolve(channelId));
            throw new IOException("cannot start the Raft group of " + channelId + ": " + reply.getException());
        }
        LOG.info("{} joined channel {} with consenters {}", self, channelId, group.getPeers());
        return channel;
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
        return new ChannelOrderer(channelId, store, config.identity(), config.validator(), config.channel(), self,
                new ChannelOrderer.RaftClients() {
                    @Override
                    public RaftClient retrying(RaftGroup group) {
                        return newClient(group, RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                                10, TimeDuration.valueOf(100, java.util.concurrent.TimeUnit.MILLISECONDS)));
                    }

                    @Override
                    public RaftClient oneShot(RaftGroup group) {
                        return newClient(group, RetryPolicies.noRetry());
                    }
                }, config.observer());
    }

    private void register(ChannelOrderer channel) {
        byGroup.put(channel.groupId(), channel);
        channels.put(channel.channelId(), channel);
    }

    private void unregister(ChannelOrderer channel) {
        byGroup.remove(channel.groupId());
        channels.remove(channel.channelId());
    }

    private RaftClient newClient(RaftGroup group, org.apache.ratis.retry.RetryPolicy retryPolicy) {
        return RaftClient.newBuilder()
                .setRaftGroup(group)
                .setProperties(clientProperties)
                .setParameters(parameters)
                .setRetryPolicy(retryPolicy)
                .build();
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
    public synchronized void remove(String channelId) throws IOException {
        ChannelOrderer channel = channels.get(channelId);
        if (channel == null) {
            throw new IllegalArgumentException("not a member of channel " + channelId);
        }
        RaftClientReply reply = server.groupManagement(GroupManagementRequest.newRemove(
                adminClientId, self, callIds.incrementAndGet(), channel.groupId(), true, false));
        if (!reply.isSuccess()) {
            throw new IOException("cannot stop the Raft group of " + channelId + ": " + reply.getException());
        }
        unregister(channel);
        joinedWith.remove(channelId);
        channel.close();
        deleteRecursively(channelsDirectory().resolve(channelId));
    }

    private Path channelsDirectory() {
        return config.dataDirectory().resolve("channels");
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
     * the maximum election timeout, and no more than {@code raft.requestTimeout}, for each), then stops the Raft server and closes every channel (blocks
     * stay on disk).
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
            server.close();
        } finally {
            for (ChannelOrderer channel : channels.values()) {
                channel.close();
            }
        }
        LOG.info("orderer {} stopped", self);
    }

    /** The Ratis peers of {@code consenters}, for callers building configurations. */
    public static List<RaftPeer> peers(List<Consenter> consenters) {
        return consenters.stream().map(RaftIds::peer).toList();
    }
}
