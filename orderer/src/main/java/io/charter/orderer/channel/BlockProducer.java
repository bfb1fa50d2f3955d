package io.charter.orderer.channel;

import com.google.protobuf.ByteString;
import io.charter.common.protocol.BlockSignatures;
import io.charter.common.protocol.Blocks;
import io.charter.orderer.blockcutter.Batch;
import io.charter.orderer.blockcutter.BatchParameters;
import io.charter.orderer.blockcutter.BlockCutter;
import io.charter.orderer.blockcutter.CutCause;
import io.charter.orderer.blockcutter.PendingEnvelope;
import io.charter.orderer.blockcutter.Scheduler;
import io.charter.orderer.blockstore.BlockStore;
import io.charter.orderer.consensus.RaftMessages.SubmitReply;
import io.charter.protocol.Block;
import io.charter.protocol.BlockHeader;
import io.charter.protocol.BlockSignature;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import io.charter.common.protocol.EnvelopeUnpacking;
import io.charter.common.protocol.Envelopes;
import io.charter.common.config.ConfigUpdateChecker;
import io.charter.protocol.ChannelConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of a channel: cuts blocks, signs them and proposes them through the Raft log.
 * Followers never cut. Everything here runs on one thread (the channel's ordering executor), which
 * also runs the batch timer.
 *
 * <p>Blocks are built on the last <em>proposed</em> block, so proposals are pipelined. When a
 * proposal of ours is discarded (it no longer continued the committed chain) or fails, the
 * producer drops its in-flight proposals and starts again from the committed tip. When leadership
 * ends, pending envelopes are dropped; their submitters learn it by a timeout and resubmit.
 */
final class BlockProducer {

    private static final Logger LOG = LoggerFactory.getLogger(BlockProducer.class);

    /**
     * How long a proposed block may stay uncommitted before the producer gives up on it and restarts
     * from the committed tip. A proposal whose Raft future never completes would otherwise keep its
     * envelopes "pending" forever, and every resubmission of them would be swallowed as already pending.
     */
    static final java.time.Duration STALLED_PROPOSAL = java.time.Duration.ofSeconds(10);

    /**
     * SUBMIT reply status: taken by the leader; the commit is observed separately. A wire code like the
     * {@link SubmitResult.Status#code() status codes}, which never take it.
     */
    static final byte ACCEPTED = (byte) 0xFF;

    private final String channelId;
    private final ScheduledExecutorService executor;
    private final BlockStore store;
    private final OrdererIdentity identity;
    private final ByteString serializedIdentity;
    private final Supplier<ChannelConfig> committedConfig;
    private final Supplier<BatchParameters> parameters;
    private final ConfigUpdateChecker configChecker;
    private final RecentTxIds recent;
    private final Function<Block, CompletableFuture<Boolean>> proposer;
    private final Map<CutCause, AtomicLong> cuts = new EnumMap<>(CutCause.class);
    private final ChannelObserver observer;
    private final Map<Long, Long> cutAt = new java.util.HashMap<>();

    private boolean active;
    private BlockCutter cutter;
    private BlockHeader tip;
    private long lastConfigBlock;
    /** The configuration of the last config block proposed or committed: what the next update must follow. */
    private ChannelConfig proposedConfig;
    private final Deque<Block> inflight = new ArrayDeque<>();
    private final Set<String> pending = new HashSet<>();

    BlockProducer(String channelId, ScheduledExecutorService executor, BlockStore store, OrdererIdentity identity,
            Supplier<ChannelConfig> committedConfig, Supplier<BatchParameters> parameters, ConfigUpdateChecker configChecker,
            RecentTxIds recent, Function<Block, CompletableFuture<Boolean>> proposer, ChannelObserver observer) {
        this.observer = observer;
        this.channelId = channelId;
        this.executor = executor;
        this.store = store;
        this.identity = identity;
        this.serializedIdentity = identity.serialized();
        this.committedConfig = committedConfig;
        this.parameters = parameters;
        this.configChecker = configChecker;
        this.recent = recent;
        this.proposer = proposer;
        for (CutCause cause : CutCause.values()) {
            cuts.put(cause, new AtomicLong());
        }
    }

    /** Blocks cut by this orderer while leader, per cause. */
    Map<CutCause, Long> cutCounts() {
        Map<CutCause, Long> counts = new EnumMap<>(CutCause.class);
        cuts.forEach((cause, count) -> counts.put(cause, count.get()));
        return counts;
    }

    /** Called once this orderer leads and has applied every earlier entry. */
    void becomeLeader() {
        executor.execute(() -> {
            reset("became leader");
            active = true;
            LOG.info("{}: leading from height {}", channelId, store.height());
        });
    }

    void stepDown() {
        executor.execute(() -> {
            if (active) {
                LOG.info("{}: no longer leader; dropping {} pending envelopes", channelId, pending.size());
            }
            active = false;
            reset("stepped down");
        });
    }

    /** Takes an envelope to order. The reply says whether it was taken, not that it was committed. */
    CompletableFuture<SubmitReply> enqueue(PendingEnvelope envelope) {
        CompletableFuture<SubmitReply> reply = new CompletableFuture<>();
        executor.execute(() -> reply.complete(enqueueNow(envelope)));
        return reply;
    }

    /** Takes a batch of envelopes (one hop onto the ordering thread); one reply each, in order. */
    CompletableFuture<List<SubmitReply>> enqueueAll(List<PendingEnvelope> envelopes) {
        CompletableFuture<List<SubmitReply>> replies = new CompletableFuture<>();
        executor.execute(() -> {
            List<SubmitReply> answers = new java.util.ArrayList<>(envelopes.size());
            for (PendingEnvelope envelope : envelopes) {
                answers.add(enqueueNow(envelope));
            }
            replies.complete(answers);
        });
        return replies;
    }

    private SubmitReply enqueueNow(PendingEnvelope envelope) {
        if (!active) {
            return reply(SubmitResult.Status.UNAVAILABLE, -1, "this orderer is not the ready leader");
        }
        OptionalLong ordered = recent.blockOf(envelope.txId());
        if (ordered.isPresent()) {
            return reply(SubmitResult.Status.DUPLICATE_TXID, ordered.getAsLong(), "already ordered");
        }
        if (pending.contains(envelope.txId())) {
            return new SubmitReply(ACCEPTED, -1, "already pending");
        }
        if (envelope.config()) {
            // re-checked here against the last proposed configuration (another update may be ahead of it),
            // then written as the CONFIG envelope that goes alone in its block
            EnvelopeUnpacking unpacking = Envelopes.unpack(envelope.bytes());
            if (!(unpacking instanceof EnvelopeUnpacking.Unpacked unpacked)) {
                return reply(SubmitResult.Status.MALFORMED, -1, "malformed config update");
            }
            ConfigUpdateChecker.Outcome outcome = configChecker.check(proposedConfig, unpacked.envelope());
            if (!outcome.accepted()) {
                return reply(SubmitResult.Status.of(outcome.refusal().orElseThrow()), -1, outcome.detail());
            }
            ByteString written = ConfigBlocks.configEnvelope(channelId, outcome.proposed().orElseThrow(), envelope.bytes(), identity);
            if (written.size() > cutter.parameters().absoluteMaxBytes()) {
                return reply(SubmitResult.Status.TOO_LARGE, -1, "the resulting config envelope exceeds absolute max bytes");
            }
            proposedConfig = outcome.proposed().orElseThrow();
            envelope = new PendingEnvelope(written, envelope.txId(), true);
        }
        pending.add(envelope.txId());
        cutter.add(envelope);
        return new SubmitReply(ACCEPTED, -1, "accepted");
    }

    private static SubmitReply reply(SubmitResult.Status status, long block, String detail) {
        return new SubmitReply(status.code(), block, detail);
    }

    /** A block was committed and stored (called from the state machine; hops onto the executor). */
    void committed(Block block, List<String> txIds) {
        executor.execute(() -> {
            Block head = inflight.peekFirst();
            if (head != null && head.getHeader().getNumber() == block.getHeader().getNumber()) {
                inflight.removeFirst();
                Long cut = cutAt.remove(block.getHeader().getNumber());
                if (!head.getHeader().equals(block.getHeader())) {
                    reset("another block " + block.getHeader().getNumber() + " was committed");
                } else if (cut != null) {
                    observer.blockCommitted(channelId, block.getHeader().getNumber(),
                            block.getData().getEnvelopesCount(), System.nanoTime() - cut);
                }
            }
            if (!pending.isEmpty()) {
                txIds.forEach(pending::remove);
            }
        });
    }

    /**
     * A config block was committed: later batches use its batch parameters. Envelopes pending in the
     * cutter are carried over to a cutter with the new parameters (one no longer fitting is dropped; its
     * submitter times out).
     */
    void configCommitted(BatchParameters newParameters) {
        executor.execute(() -> {
            if (cutter == null || cutter.parameters().equals(newParameters)) {
                return;
            }
            List<PendingEnvelope> carried = cutter.discardPending();
            cutter = new BlockCutter(newParameters, scheduler(), this::onBatch);
            for (PendingEnvelope envelope : carried) {
                try {
                    cutter.add(envelope);
                } catch (IllegalArgumentException e) {
                    pending.remove(envelope.txId());
                }
            }
        });
    }

    /** A block was discarded by the state machine; if it was ours, our pipeline is stale. */
    void discarded(Block block) {
        executor.execute(() -> {
            for (Block proposed : inflight) {
                if (proposed.getHeader().equals(block.getHeader())) {
                    reset("our block " + block.getHeader().getNumber() + " was discarded");
                    return;
                }
            }
        });
    }

    private void abandonIfStalled(Block block) {
        if (active && inflight.stream().anyMatch(b -> b.getHeader().equals(block.getHeader()))) {
            reset("block " + block.getHeader().getNumber() + " was not committed within "
                    + STALLED_PROPOSAL.toSeconds() + " s of its proposal");
        }
    }

    private void reset(String why) {
        if (!inflight.isEmpty() || (cutter != null && cutter.pendingCount() > 0)) {
            LOG.info("{}: restarting from the committed tip ({}), dropping {} in-flight blocks", channelId, why,
                    inflight.size());
        }
        if (cutter != null) {
            cutter.discardPending();
        }
        inflight.clear();
        cutAt.clear();
        pending.clear();
        Block last = store.lastBlock().orElseThrow(() -> new IllegalStateException("the channel has no genesis block"));
        tip = last.getHeader();
        lastConfigBlock = last.getMetadata().getLastConfigBlock();
        proposedConfig = committedConfig.get();
        cutter = new BlockCutter(parameters.get(), scheduler(), this::onBatch);
    }

    private Scheduler scheduler() {
        return (delay, task) -> {
            var future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }

    private void onBatch(Batch batch) {
        if (!active) {
            return;
        }
        long cutTime = System.nanoTime();
        cuts.get(batch.cause()).incrementAndGet();
        List<ByteString> envelopes = batch.envelopes().stream().map(PendingEnvelope::bytes).toList();
        boolean config = batch.envelopes().size() == 1 && batch.envelopes().getFirst().config();
        long number = tip.getNumber() + 1;
        long lastConfig = config ? number : lastConfigBlock;
        Block unsigned = Blocks.nextBlock(tip, envelopes, lastConfig);
        BlockSignature signature = BlockSignatures.sign(
                unsigned.getHeader(), lastConfig, identity.signer(), serializedIdentity);
        Block block = unsigned.toBuilder()
                .setMetadata(unsigned.getMetadata().toBuilder().addSignatures(signature))
                .build();
        tip = block.getHeader();
        lastConfigBlock = lastConfig;
        inflight.addLast(block);
        cutAt.put(number, cutTime);
        LOG.debug("{}: proposing block {} ({} envelopes, cut by {})", channelId, number, envelopes.size(), batch.cause());
        executor.schedule(() -> abandonIfStalled(block), STALLED_PROPOSAL.toMillis(), TimeUnit.MILLISECONDS);
        proposer.apply(block).whenComplete((accepted, error) -> {
            if (error != null || !Boolean.TRUE.equals(accepted)) {
                executor.execute(() -> {
                    if (inflight.stream().anyMatch(b -> b.getHeader().equals(block.getHeader()))) {
                        reset("proposal of block " + number + " failed"
                                + (error == null ? "" : ": " + error.getMessage()));
                    }
                });
            }
        });
    }
}
