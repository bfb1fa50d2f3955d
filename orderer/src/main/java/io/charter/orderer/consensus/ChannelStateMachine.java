package io.charter.orderer.consensus;

import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.protocol.BlockHashing;
import io.charter.orderer.blockstore.BlockStore;
import io.charter.protocol.Block;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of one channel: its state is the channel's {@link BlockStore}.
 *
 * <p><b>Apply.</b> Each log entry carries a complete signed block. Applying it appends it if it
 * continues the stored chain (number = height, previous hash = hash of the last header). Otherwise
 * it is ignored, the same way on every orderer since all apply the same entries to the same chain:
 * a block already stored (a replay after restart) is skipped, and any other block (a deposed
 * leader's proposal built on a tip that is no longer the tip) is discarded. Apply is synchronous, so
 * the store always reflects the last applied index.
 *
 * <p><b>Snapshots.</b> A snapshot is a small file {@code snapshot.<term>_<index>} holding the block
 * height and the chain tip's header hash at that log index; the blocks themselves are the store.
 * Ratis purges the log up to a snapshot.
 *
 * <p><b>Catch-up.</b> The orderer runs Ratis with snapshot transfer off: when a follower needs entries
 * the leader has purged, Ratis calls {@link #notifyInstallSnapshotFromLeader}; this state machine
 * then asks the leader for its latest snapshot position, fetches the missing blocks from the leader's
 * block store (read-only Ratis requests, in chunks), verifies each one before appending it (chain,
 * data hash, last config block, orderer signatures against BlockValidation under the configuration in
 * force: see {@link CatchUp}), records a snapshot at the leader's snapshot position and returns it. A
 * block failing a check is not appended, nor anything after it from that member: the blocks are asked
 * from the other members; if none supplies them the returned future fails, and Ratis (which then
 * clears its installation in progress) notifies again later. Log entries after the snapshot position
 * that hold blocks it already fetched are skipped as replays.
 */
final class ChannelStateMachine extends BaseStateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelStateMachine.class);
    private static final int FETCH_CHUNK_BYTES = 4 * 1024 * 1024;

    /** How a catching-up follower reads another member's blocks. */
    interface BlockSource {
        RaftMessages.SnapshotPosition snapshotPosition(RaftPeerId member) throws IOException;

        List<Block> fetch(RaftPeerId member, long from, int maxBytes) throws IOException;

        /** The group's current members other than this one: where else to fetch blocks from. */
        List<RaftPeerId> otherMembers();
    }

    private final String channelId;
    private final BlockStore store;
    private final ChannelConsensus.Listener listener;
    private final Runnable configurationChanged;
    private final BlockSource blockSource;
    private final CatchUp fetcher;
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final Executor catchUpExecutor;
    private volatile RaftMessages.SnapshotPosition latestSnapshot;

    /**
     * @param configurationChanged called when the group's membership changed (a configuration entry
     *     was applied or installed)
     * @param verifier the checks of fetched blocks that need the channel configuration (run after the
     *     chain checks, before each append)
     */
    ChannelStateMachine(String channelId, BlockStore store, ChannelConsensus.Listener listener,
            Runnable configurationChanged, BlockSource blockSource, FetchedBlockVerifier verifier) {
        this.channelId = Objects.requireNonNull(channelId, "channelId");
        this.store = Objects.requireNonNull(store, "store");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.configurationChanged = Objects.requireNonNull(configurationChanged, "configurationChanged");
        this.blockSource = Objects.requireNonNull(blockSource, "blockSource");
        this.fetcher = new CatchUp(channelId, store, blockSource, Objects.requireNonNull(verifier, "verifier"),
                listener::onBlockCommitted, FETCH_CHUNK_BYTES);
        this.catchUpExecutor = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("catch-up-" + channelId).factory());
    }

    public BlockStore store() {
        return store;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().startAndTransition(() -> loadLatestSnapshot(storage.getLatestSnapshot()));
    }

    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    @Override
    public void reinitialize() throws IOException {
        getLifeCycle().startAndTransition(() -> loadLatestSnapshot(storage.loadLatestSnapshot()));
    }

    private void loadLatestSnapshot(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        File file = snapshot.getFile().getPath().toFile();
        if (snapshot.getFile().getFileDigest() != null) {
            MD5FileUtil.verifySavedMD5(file, snapshot.getFile().getFileDigest());
        }
        long height;
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file.toPath()))) {
            height = in.readLong();
        }
        if (store.height() < height) {
            LOG.error("{}: the block store holds {} blocks but the snapshot at {} covers {}; blocks were lost"
                    + " (fsync off?)", channelId, store.height(), snapshot.getTermIndex(), height);
        }
        TermIndex termIndex = snapshot.getTermIndex();
        latestSnapshot = new RaftMessages.SnapshotPosition(termIndex.getTerm(), termIndex.getIndex(), height);
        setLastAppliedTermIndex(termIndex);
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    // ---- apply

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        ByteString data = entry.getStateMachineLogEntry().getLogData();
        String outcome;
        try {
            outcome = apply(data);
        } catch (IOException e) {
            LOG.error("{}: cannot store the block of entry {}", channelId, TermIndex.valueOf(entry), e);
            return CompletableFuture.failedFuture(e);
        } finally {
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        }
        return CompletableFuture.completedFuture(Message.valueOf(outcome));
    }

    private String apply(ByteString data) throws IOException {
        if (data.isEmpty() || RaftMessages.kind(data) != RaftMessages.BLOCK) {
            LOG.warn("{}: ignoring a log entry that holds no block", channelId);
            return "ignored";
        }
        Block block;
        try {
            block = Block.parseFrom(RaftMessages.bodyBuffer(data));
        } catch (InvalidProtocolBufferException e) {
            LOG.warn("{}: ignoring a log entry whose block does not parse", channelId);
            return "ignored";
        }
        long number = block.getHeader().getNumber();
        long height = store.height();
        if (number == height && continuesTip(block)) {
            store.append(block);
            listener.onBlockCommitted(block);
            return "appended " + number;
        }
        if (number < height && store.get(number).equals(block)) {
            return "already stored " + number;
        }
        LOG.info("{}: discarding block {} proposed on a stale tip (height {})", channelId, number, height);
        listener.onBlockDiscarded(block);
        return "discarded " + number;
    }

    private boolean continuesTip(Block block) {
        return store.lastBlock()
                .map(last -> BlockHashing.headerHash(last.getHeader()).equals(block.getHeader().getPreviousHash()))
                .orElse(block.getHeader().getNumber() == 0);
    }

    // ---- snapshots

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return -1;
        }
        return writeSnapshot(last, store.height());
    }

    private long writeSnapshot(TermIndex at, long height) throws IOException {
        File file = storage.getSnapshotFile(at.getTerm(), at.getIndex());
        ByteBuffer tip = store.height() == 0 || height == 0
                ? ByteBuffer.allocate(0)
                : BlockHashing.headerHash(store.get(height - 1).getHeader()).asReadOnlyByteBuffer();
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file.toPath()))) {
            out.writeLong(height);
            out.writeInt(tip.remaining());
            byte[] hash = new byte[tip.remaining()];
            tip.get(hash);
            out.write(hash);
        }
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), at));
        latestSnapshot = new RaftMessages.SnapshotPosition(at.getTerm(), at.getIndex(), height);
        LOG.debug("{}: snapshot at {} covers {} blocks", channelId, at, height);
        return at.getIndex();
    }

    // ---- catch-up from the leader

    @Override
    public CompletableFuture<TermIndex> notifyInstallSnapshotFromLeader(RoleInfoProto roleInfo, TermIndex firstTermIndexInLog) {
        RaftPeerId leader = RaftPeerId.valueOf(roleInfo.getFollowerInfo().getLeaderInfo().getId().getId());
        LOG.info("{}: the leader {} has purged its log before {}; fetching blocks from it", channelId, leader,
                firstTermIndexInLog);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return catchUp(leader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, catchUpExecutor);
    }

    private TermIndex catchUp(RaftPeerId leader) throws IOException {
        RaftMessages.SnapshotPosition target = blockSource.snapshotPosition(leader);
        if (target.index() < 0) {
            LOG.info("{}: the leader {} has no snapshot yet", channelId, leader);
            return null; // Ratis answers SNAPSHOT_UNAVAILABLE and the leader tries again later
        }
        fetcher.run(leader, target.height());
        TermIndex installed = TermIndex.valueOf(target.term(), target.index());
        writeSnapshot(installed, store.height());
        LOG.info("{}: caught up to {} blocks; installed snapshot {}", channelId, store.height(), installed);
        return installed;
    }

    /** Blocks fetched while catching up and refused, per reason, since start. */
    public java.util.Map<FetchedBlockRefusal.Reason, Long> fetchedBlocksRefused() {
        return fetcher.refusedCounts();
    }

    // ---- queries

    @Override
    public CompletableFuture<Message> query(Message request) {
        ByteString content = request.getContent();
        try {
            return switch (RaftMessages.kind(content)) {
                case RaftMessages.SUBMIT -> listener.onSubmit(RaftMessages.parseSubmit(content))
                        .thenApply(RaftMessages.SubmitReply::toMessage);
                case RaftMessages.FETCH_BLOCKS -> CompletableFuture.completedFuture(fetch(content));
                case RaftMessages.SNAPSHOT_INFO -> CompletableFuture.completedFuture(snapshotPosition().toMessage());
                default -> CompletableFuture.failedFuture(
                        new IllegalArgumentException("unknown orderer query kind " + RaftMessages.kind(content)));
            };
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private RaftMessages.SnapshotPosition snapshotPosition() {
        RaftMessages.SnapshotPosition position = latestSnapshot;
        return position != null ? position : new RaftMessages.SnapshotPosition(0, -1, 0);
    }

    private Message fetch(ByteString content) throws IOException {
        ByteBuffer body = RaftMessages.bodyBuffer(content);
        long from = body.getLong();
        int maxBytes = body.getInt();
        List<byte[]> blocks = new ArrayList<>();
        long size = 0;
        long height = store.height();
        for (long n = from; n < height; n++) {
            byte[] bytes = store.get(n).toByteArray();
            if (!blocks.isEmpty() && size + bytes.length > maxBytes) {
                break;
            }
            blocks.add(bytes);
            size += bytes.length;
        }
        return RaftMessages.blocksReply(blocks);
    }

    // ---- events

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        listener.onLeaderChanged(groupMemberId.getPeerId().equals(newLeaderId));
    }

    @Override
    public void notifyConfigurationChanged(long term, long index,
            org.apache.ratis.proto.RaftProtos.RaftConfigurationProto newRaftConfiguration) {
        configurationChanged.run();
    }

    @Override
    public void notifyLeaderReady() {
        listener.onLeaderReady();
    }

    @Override
    public void close() throws IOException {
        super.close();
        if (catchUpExecutor instanceof java.util.concurrent.ExecutorService service) {
            service.shutdownNow();
        }
    }
}
