package io.charter.orderer.consensus;

import io.charter.orderer.blockstore.BlockStore;
import io.charter.orderer.consensus.RaftMessages.Forwarded;
import io.charter.orderer.consensus.RaftMessages.SubmitReply;
import io.charter.protocol.Block;
import io.charter.protocol.Consenter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's Raft group on Ratis: this member's division of the {@link RaftNode}'s server, the
 * channel's {@link ChannelStateMachine}, and the Ratis clients the channel's calls need (admin calls
 * and catch-up reads with retries, forwarding without).
 */
final class RaftChannelConsensus implements ChannelConsensus {

    private static final Logger LOG = LoggerFactory.getLogger(RaftChannelConsensus.class);
    /** How long a client replaced after a membership change stays open for the requests still in flight on it. */
    private static final Executor CLOSE_LATER = CompletableFuture.delayedExecutor(30, TimeUnit.SECONDS);

    private final RaftNode node;
    private final String channelId;
    private final RaftGroupId groupId;
    private final RaftPeerId self;
    private final BlockStore store;
    private final ChannelStateMachine stateMachine;
    private final ClientId proposerId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();

    private volatile RaftClient client;
    private volatile Set<RaftPeer> clientPeers = Set.of();
    private volatile RaftClient forwardingClient;
    private volatile Set<RaftPeer> forwardingPeers = Set.of();

    RaftChannelConsensus(RaftNode node, String channelId, BlockStore store, ChannelConsensus.Listener listener,
            FetchedBlockVerifier verifier) {
        this.node = node;
        this.channelId = channelId;
        this.groupId = RaftIds.groupId(channelId);
        this.self = node.self();
        this.store = store;
        this.stateMachine = new ChannelStateMachine(channelId, store, listener, this::configurationChanged,
                new RemoteBlocks(), verifier);
    }

    RaftGroupId groupId() {
        return groupId;
    }

    ChannelStateMachine stateMachine() {
        return stateMachine;
    }

    private Optional<RaftServer.Division> division() {
        Optional<RaftServer> server = node.server();
        if (server.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(server.get().getDivision(groupId));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public CompletableFuture<Boolean> propose(Block block) {
        Optional<RaftServer> server = node.server();
        if (server.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(proposerId)
                .setServerId(self)
                .setGroupId(groupId)
                .setCallId(callIds.incrementAndGet())
                .setMessage(RaftMessages.block(block))
                .setType(RaftClientRequest.writeRequestType())
                .build();
        try {
            return server.get().submitClientRequestAsync(request).thenApply(RaftClientReply::isSuccess);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public boolean isReadyLeader() {
        return division().map(d -> d.getInfo().isLeader() && d.getInfo().isLeaderReady()).orElse(false);
    }

    @Override
    public Optional<String> leader() {
        return division().map(d -> d.getInfo().getLeaderId()).map(RaftPeerId::toString);
    }

    @Override
    public CompletableFuture<List<SubmitReply>> forward(String leader, List<Forwarded> batch) {
        RaftPeerId to = RaftPeerId.valueOf(leader);
        if (to.equals(self)) {
            // elected but not ready yet (still applying earlier entries): the submitter retries shortly
            return CompletableFuture.failedFuture(new IOException("this orderer is taking over as leader"));
        }
        RaftClient forwarding = forwardingClient();
        return forwarding.async().sendReadOnlyUnordered(RaftMessages.submit(batch), to).handle((reply, error) -> {
            if (error != null) {
                // without retries Ratis never drops the failed connection itself: the next batch reconnects
                forwarding.getClientRpc().handleException(to, error, true);
                throw error instanceof CompletionException completion ? completion : new CompletionException(error);
            }
            if (!reply.isSuccess()) {
                throw new CompletionException(new IOException(leader + " did not take the batch: " + reply.getException()));
            }
            return SubmitReply.parseAll(reply.getMessage().getContent());
        });
    }

    @Override
    public Set<String> members() {
        Set<String> members = new HashSet<>();
        division().ifPresent(d -> d.getRaftConf().getCurrentPeers().forEach(p -> members.add(p.getId().toString())));
        return members;
    }

    @Override
    public void setConsenters(List<Consenter> consenters) throws IOException {
        List<RaftPeer> peers = consenters.stream().map(RaftIds::peer).toList();
        RaftClientReply reply = client().admin().setConfiguration(peers);
        if (!reply.isSuccess()) {
            throw new IOException("changing the consenters of " + channelId + " failed: " + reply.getException());
        }
    }

    /**
     * Ratis transferLeadership to the other member with the highest match index among those heard
     * from within the election timeout: the leader waits for it to have the whole log, then tells it to
     * start an election at once. Proposals in flight during the transfer fail; their envelopes go to
     * the new leader when the submitters see the change.
     */
    @Override
    public Optional<String> transferLeadership(Duration timeout) {
        Optional<RaftServer.Division> division = division();
        if (division.isEmpty() || !division.get().getInfo().isLeader()) {
            return Optional.empty();
        }
        DivisionInfo info = division.get().getInfo();
        var followers = info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList();
        long[] matches = info.getFollowerMatchIndices();
        RaftPeerId target = null;
        long best = Long.MIN_VALUE;
        // only a follower heard from within the election timeout: a dead one would make the stop wait in vain
        long silenceLimit = RaftServerConfigKeys.Rpc
                .timeoutMin(division.get().getRaftServer().getProperties()).toLong(TimeUnit.MILLISECONDS);
        for (int i = 0; i < followers.size() && i < matches.length; i++) {
            if (followers.get(i).getLastRpcElapsedTimeMs() <= silenceLimit && matches[i] > best) {
                best = matches[i];
                target = RaftPeerId.valueOf(followers.get(i).getId().getId());
            }
        }
        if (target == null) {
            return Optional.empty();
        }
        LOG.info("{}: handing leadership over to {} (match index {})", channelId, target, best);
        try {
            RaftClientReply reply = division.get().getRaftServer().transferLeadership(new TransferLeadershipRequest(
                    proposerId, self, groupId, callIds.incrementAndGet(), target, timeout.toMillis()));
            if (!reply.isSuccess()) {
                LOG.warn("{}: handing leadership over to {} failed: {}", channelId, target, reply.getException());
                return Optional.empty();
            }
        } catch (IOException e) {
            LOG.warn("{}: handing leadership over to {} failed", channelId, target, e);
            return Optional.empty();
        }
        return Optional.of(target.toString());
    }

    @Override
    public RaftStatus status() {
        RaftServer.Division division = division()
                .orElseThrow(() -> new IllegalStateException("channel " + channelId + " has no Raft group here"));
        DivisionInfo info = division.getInfo();
        List<RaftStatus.Member> members = new ArrayList<>();
        Map<String, Long> matchIndexes = new HashMap<>();
        if (info.isLeader()) {
            var followers = info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList();
            long[] matches = info.getFollowerMatchIndices();
            for (int i = 0; i < followers.size() && i < matches.length; i++) {
                matchIndexes.put(RaftPeerId.valueOf(followers.get(i).getId().getId()).toString(), matches[i]);
            }
            matchIndexes.put(self.toString(), division.getRaftLog().getLastEntryTermIndex() == null
                    ? -1 : division.getRaftLog().getLastEntryTermIndex().getIndex());
        }
        for (RaftPeer peer : division.getRaftConf().getCurrentPeers()) {
            members.add(new RaftStatus.Member(peer.getId().toString(), peer.getAddress(),
                    matchIndexes.getOrDefault(peer.getId().toString(), -1L)));
        }
        RaftPeerId leader = info.getLeaderId();
        RaftPeerRole role = info.getCurrentRole();
        return new RaftStatus(self.toString(), role.name(), leader == null ? "" : leader.toString(),
                info.getCurrentTerm(), division.getRaftLog().getLastCommittedIndex(), info.getLastAppliedIndex(),
                store.height(), List.copyOf(members));
    }

    @Override
    public long takeSnapshot(Duration timeout) throws IOException {
        RaftClientReply reply = client().getSnapshotManagementApi(self).create(timeout.toMillis());
        if (!reply.isSuccess()) {
            throw new IOException("snapshot of " + channelId + " failed: " + reply.getException());
        }
        return reply.getLogIndex();
    }

    @Override
    public Map<FetchedBlockRefusal.Reason, Long> fetchedBlocksRefused() {
        return stateMachine.fetchedBlocksRefused();
    }

    /** The group's membership changed: clients built for the old members are replaced on their next use. */
    private void configurationChanged() {
        Optional<RaftGroup> group = division().map(RaftServer.Division::getGroup);
        if (group.isEmpty()) {
            return;
        }
        Set<RaftPeer> peers = Set.copyOf(group.get().getPeers());
        RaftClient old = client;
        if (old != null && !peers.equals(clientPeers)) {
            client = null;
            // let requests in flight on the old client finish before closing it
            CLOSE_LATER.execute(() -> closeQuietly(old));
        }
        RaftClient oldForwarding = forwardingClient;
        if (oldForwarding != null && !peers.equals(forwardingPeers)) {
            forwardingClient = null;
            CLOSE_LATER.execute(() -> closeQuietly(oldForwarding));
        }
    }

    private RaftClient client() {
        RaftClient current = client;
        if (current == null) {
            synchronized (this) {
                current = client;
                if (current == null) {
                    RaftGroup group = runningGroup();
                    current = node.retryingClient(group);
                    clientPeers = Set.copyOf(group.getPeers());
                    client = current;
                }
            }
        }
        return current;
    }

    private RaftClient forwardingClient() {
        RaftClient current = forwardingClient;
        if (current == null) {
            synchronized (this) {
                current = forwardingClient;
                if (current == null) {
                    RaftGroup group = runningGroup();
                    current = node.oneShotClient(group);
                    forwardingPeers = Set.copyOf(group.getPeers());
                    forwardingClient = current;
                }
            }
        }
        return current;
    }

    private RaftGroup runningGroup() {
        return division().map(RaftServer.Division::getGroup)
                .orElseThrow(() -> new IllegalStateException("channel " + channelId + " is not running"));
    }

    /** Reads blocks from other members for a follower catching up. */
    private final class RemoteBlocks implements ChannelStateMachine.BlockSource {
        @Override
        public RaftMessages.SnapshotPosition snapshotPosition(RaftPeerId member) throws IOException {
            return RaftMessages.SnapshotPosition.parse(read(member, RaftMessages.snapshotInfo()));
        }

        @Override
        public List<Block> fetch(RaftPeerId member, long from, int maxBytes) throws IOException {
            return RaftMessages.parseBlocksReply(read(member, RaftMessages.fetchBlocks(from, maxBytes)));
        }

        @Override
        public List<RaftPeerId> otherMembers() {
            return division().map(d -> d.getRaftConf().getCurrentPeers().stream()
                            .map(RaftPeer::getId).filter(id -> !id.equals(self)).toList())
                    .orElse(List.of());
        }

        private ByteString read(RaftPeerId member, Message message) throws IOException {
            try {
                RaftClientReply reply = client().async().sendStaleRead(message, 0, member).get(30, TimeUnit.SECONDS);
                if (!reply.isSuccess()) {
                    throw new IOException("reading from " + member + " failed: " + reply.getException());
                }
                return reply.getMessage().getContent();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("reading from " + member + " failed", e);
            }
        }
    }

    @Override
    public void close() {
        for (RaftClient current : new RaftClient[] {client, forwardingClient}) {
            if (current != null) {
                closeQuietly(current);
            }
        }
    }

    private static void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("closing a Raft client failed", e);
        }
    }
}
