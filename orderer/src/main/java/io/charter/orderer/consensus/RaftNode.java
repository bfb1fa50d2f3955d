package io.charter.orderer.consensus;

import io.charter.orderer.blockstore.BlockStore;
import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An orderer's Raft side: one Ratis server (one cluster port) hosting one Raft group per channel, as
 * Fabric's etcdraft runs one Raft instance per channel behind one cluster listener. Each channel
 * reaches its group through the {@link ChannelConsensus} that {@link #open} gives it.
 *
 * <p>Order of use: {@link #open} the channels found on disk, {@link #start} (Ratis then reloads their
 * groups from its storage directory, asking for each group's state machine), then for each channel
 * joined later {@link #open} and {@link #startGroup}.
 */
public final class RaftNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RaftNode.class);

    private final Endpoint clusterEndpoint;
    private final Path storage;
    private final RaftSettings settings;
    private final RaftPeerId self;
    private final Optional<ConsenterPinningTrustManager> trust;
    private final Parameters parameters;
    private final RaftProperties clientProperties;
    private final Map<RaftGroupId, RaftChannelConsensus> channels = new ConcurrentHashMap<>();
    private final ClientId adminClientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private volatile RaftServer server;

    /**
     * @param clusterEndpoint where the Ratis server listens; its member id (see {@link RaftIds#memberId})
     * @param storage Ratis' directory: one subdirectory per group (log, metadata, snapshots)
     * @param tls mutual TLS for Raft traffic, or empty for plaintext (tests only)
     * @param pinned the consenters' TLS certificates accepted now, read at every handshake (with TLS)
     */
    public RaftNode(Endpoint clusterEndpoint, Path storage, RaftSettings settings, Optional<RaftTls> tls,
            Supplier<PinnedCertificates> pinned) {
        this.clusterEndpoint = Objects.requireNonNull(clusterEndpoint, "clusterEndpoint");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.self = RaftIds.peerId(clusterEndpoint);
        this.trust = tls.map(t -> t.trustManager(pinned));
        this.parameters = tls.map(t -> t.toParameters(trust.orElseThrow())).orElseGet(Parameters::new);
        this.clientProperties = settings.clientProperties();
    }

    /** This orderer's member id in every group. */
    public String memberId() {
        return self.toString();
    }

    /** Raft TLS handshakes refused since start because the peer's certificate is not pinned (0 without TLS). */
    public long connectionsRefused() {
        return trust.map(ConsenterPinningTrustManager::refused).orElse(0L);
    }

    /**
     * The consensus of a channel whose blocks are in {@code store}: its state machine is registered
     * here, and its group runs once the server starts (a channel reopened) or {@link #startGroup} adds it.
     *
     * @param verifier the checks of fetched blocks that need the channel configuration
     */
    public ChannelConsensus open(String channelId, BlockStore store, ChannelConsensus.Listener listener,
            FetchedBlockVerifier verifier) {
        RaftChannelConsensus channel = new RaftChannelConsensus(this, channelId, store, listener, verifier);
        if (channels.putIfAbsent(channel.groupId(), channel) != null) {
            throw new IllegalStateException("channel " + channelId + " is already open");
        }
        return channel;
    }

    /** Starts the Ratis server, with the groups of the channels opened so far that it has in storage. */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        RaftProperties properties = settings.toProperties(clusterEndpoint.getHost(), clusterEndpoint.getPort(), storage);
        RaftServer built = RaftServer.newBuilder()
                .setServerId(self)
                .setProperties(properties)
                .setParameters(parameters)
                .setStateMachineRegistry(this::stateMachineOf)
                .build();
        server = built;
        built.start();
    }

    private StateMachine stateMachineOf(RaftGroupId groupId) {
        RaftChannelConsensus channel = channels.get(groupId);
        if (channel == null) {
            throw new IllegalStateException("no channel of this orderer has Raft group " + groupId);
        }
        return channel.stateMachine();
    }

    /**
     * Starts the group of an opened channel on this member, with {@code consenters} as its members.
     * If that fails, the channel is forgotten here (it has to be opened again).
     */
    public void startGroup(String channelId, List<Consenter> consenters) throws IOException {
        RaftGroup group = RaftGroup.valueOf(RaftIds.groupId(channelId), consenters.stream().map(RaftIds::peer).toList());
        RaftClientReply reply;
        try {
            reply = running().groupManagement(
                    GroupManagementRequest.newAdd(adminClientId, self, callIds.incrementAndGet(), group));
        } catch (IOException | RuntimeException e) {
            channels.remove(group.getGroupId());
            throw e;
        }
        if (!reply.isSuccess()) {
            channels.remove(group.getGroupId());
            throw new IOException("cannot start the Raft group of " + channelId + ": " + reply.getException());
        }
        LOG.info("{} started the Raft group of channel {} with members {}", self, channelId, group.getPeers());
    }

    /** Stops the group of a channel here and deletes its log and snapshots; the channel is forgotten here. */
    public void removeGroup(String channelId) throws IOException {
        RaftGroupId groupId = RaftIds.groupId(channelId);
        RaftClientReply reply = running().groupManagement(GroupManagementRequest.newRemove(
                adminClientId, self, callIds.incrementAndGet(), groupId, true, false));
        if (!reply.isSuccess()) {
            throw new IOException("cannot stop the Raft group of " + channelId + ": " + reply.getException());
        }
        channels.remove(groupId);
    }

    /** Stops the Ratis server (every group stops here; their logs stay on disk). */
    @Override
    public void close() throws IOException {
        RaftServer running = server;
        if (running != null) {
            running.close();
        }
    }

    // ---- for the channels' consensus

    private RaftServer running() {
        RaftServer running = server;
        if (running == null) {
            throw new IllegalStateException("the Raft server has not started");
        }
        return running;
    }

    /** The server, once started. */
    Optional<RaftServer> server() {
        return Optional.ofNullable(server);
    }

    RaftPeerId self() {
        return self;
    }

    /** A client that retries (NotLeader, transient failures) by its retry policy: admin calls, catch-up reads. */
    RaftClient retryingClient(RaftGroup group) {
        return newClient(group, RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                10, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)));
    }

    /** A client that never retries by itself: forwarding, which re-routes on its own. */
    RaftClient oneShotClient(RaftGroup group) {
        return newClient(group, RetryPolicies.noRetry());
    }

    private RaftClient newClient(RaftGroup group, RetryPolicy retryPolicy) {
        return RaftClient.newBuilder()
                .setRaftGroup(group)
                .setProperties(clientProperties)
                .setParameters(parameters)
                .setRetryPolicy(retryPolicy)
                .build();
    }
}
