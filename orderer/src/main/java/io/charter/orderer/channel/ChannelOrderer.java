package io.charter.orderer.channel;

import io.charter.common.config.ChannelConfigs;
import com.google.protobuf.ByteString;
import io.charter.common.protocol.EnvelopeUnpacking;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.UnpackedEnvelope;
import io.charter.orderer.blockcutter.BatchParameters;
import io.charter.orderer.blockcutter.CutCause;
import io.charter.orderer.blockcutter.PendingEnvelope;
import io.charter.orderer.blockstore.BlockStore;
import io.charter.common.config.ConfigUpdateChecker;
import io.charter.orderer.consensus.ChannelConsensus;
import io.charter.orderer.consensus.FetchedBlockRefusal;
import io.charter.orderer.consensus.FetchedBlockVerifier;
import io.charter.orderer.consensus.RaftIds;
import io.charter.orderer.consensus.RaftMessages;
import io.charter.orderer.consensus.RaftMessages.SubmitReply;
import io.charter.orderer.consensus.RaftStatus;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel on one orderer: submit envelopes, read and stream blocks, see the Raft state.
 *
 * <p><b>Submit.</b> {@link #submit} checks what the core checks (size, structure, channel, tx id
 * not recently ordered), then the {@link EnvelopeValidator}, then hands the envelope to the leader:
 * directly if this orderer leads, else through the {@link LeaderForwarder}, which sends it with the
 * others queued meanwhile to the member this orderer sees as leader, whose channel passes them to its
 * block producer. The leader's answer only says the envelope was taken; the future completes
 * COMMITTED when this orderer applies the committed block holding the tx id (see {@link SubmitResult}
 * for the exact guarantee).
 *
 * <p><b>Consensus.</b> Blocks go through the channel's Raft group, reached only through
 * {@link ChannelConsensus}: this class knows who leads and what the members are, never how Raft runs.
 */
public final class ChannelOrderer implements ChannelConsensus.Listener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelOrderer.class);
    private static final Duration RETRY_DELAY = Duration.ofMillis(150);

    private final String channelId;
    private final BlockStore store;
    private final ChannelConfig genesisConfig;
    private final ConfigUpdateChecker configChecker = new ConfigUpdateChecker();
    private volatile ChannelConfig config;
    private volatile long configBlock;
    private volatile BatchParameters batchParameters;
    private volatile long maxEnvelopeBytes;
    private final EnvelopeValidator validator;
    private final ChannelSettings settings;
    private final RecentTxIds recent;
    private final ChannelConsensus consensus;
    private final BlockProducer producer;
    private final ScheduledExecutorService executor;
    private final Executor deliveryExecutor;
    private final Map<String, List<CompletableFuture<SubmitResult>>> waiters = new ConcurrentHashMap<>();
    /** Envelopes submitted through this orderer and not answered yet, routed again when the leader changes. */
    private final Set<Submission> submissions = ConcurrentHashMap.newKeySet();
    private final LeaderForwarder forwarder;
    private final Set<Runnable> newBlockListeners = ConcurrentHashMap.newKeySet();
    private final AtomicLong leaderChanges = new AtomicLong();

    /** Opens the channel's consensus, with the channel as its listener and the channel's checks of fetched blocks. */
    @FunctionalInterface
    interface ConsensusOpener {
        ChannelConsensus open(ChannelConsensus.Listener listener, FetchedBlockVerifier verifier);
    }

    /**
     * One submitted envelope until it is answered. {@code attempt} numbers its routings: a reply to an
     * older routing (superseded by a re-route on a leader change) schedules nothing.
     */
    private record Submission(PendingEnvelope pending, CompletableFuture<SubmitResult> result, long deadline,
            java.util.concurrent.atomic.AtomicInteger attempt) {}

    ChannelOrderer(String channelId, BlockStore store, OrdererIdentity identity, EnvelopeValidator validator,
            ChannelSettings settings, ConsensusOpener consensus, ChannelObserver observer) throws IOException {
        this.channelId = channelId;
        this.store = store;
        Block genesis = store.get(0);
        this.genesisConfig = ChannelConfigs.of(genesis);
        Block last = store.lastBlock().orElse(genesis);
        long lastConfig = last.getMetadata().getLastConfigBlock();
        useConfig(lastConfig == 0 ? genesisConfig : ChannelConfigs.of(store.get(lastConfig)), lastConfig);
        this.validator = validator;
        this.settings = settings;
        this.recent = new RecentTxIds(settings.recentTxIds());
        this.executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("order-" + channelId).factory());
        this.deliveryExecutor = Executors.newVirtualThreadPerTaskExecutor();
        long firstRemembered = Math.max(0, store.height() - 1000);
        for (long n = firstRemembered; n < store.height(); n++) {
            rememberTxIds(store.get(n));
        }
        this.producer = new BlockProducer(channelId, executor, store, identity, () -> config, () -> batchParameters,
                configChecker, recent, this::propose, observer);
        this.forwarder = new LeaderForwarder(this::knownLeader, this::sendToLeader);
        // last: the consensus may call this channel back as soon as it has it
        this.consensus = consensus.open(this, new ConfigBoundBlockVerifier(
                () -> new ConfigBoundBlockVerifier.ConfigInForce(config, configBlock),
                new io.charter.common.crypto.EcdsaVerifier()));
    }

    public String channelId() {
        return channelId;
    }

    public BatchParameters batchParameters() {
        return batchParameters;
    }

    public long maxEnvelopeBytes() {
        return maxEnvelopeBytes;
    }

    /** The configuration this channel was created with. */
    public ChannelConfig genesisConfig() {
        return genesisConfig;
    }

    /** The current configuration: that of the last committed config block. */
    public ChannelConfig config() {
        return config;
    }

    /** The number of the last committed config block. */
    public long configBlock() {
        return configBlock;
    }

    private void useConfig(ChannelConfig newConfig, long blockNumber) {
        BatchParameters parameters = BatchParameters.of(newConfig.getOrderer());
        long configuredMax = newConfig.getOrderer().getMaxEnvelopeBytes();
        this.batchParameters = parameters;
        this.maxEnvelopeBytes = configuredMax > 0
                ? Math.min(configuredMax, parameters.absoluteMaxBytes())
                : parameters.absoluteMaxBytes();
        this.configBlock = blockNumber;
        this.config = newConfig;
    }

    public long height() {
        return store.height();
    }

    public Block block(long number) throws IOException {
        return store.get(number);
    }

    /** Blocks cut by this orderer while it led, per cause. */
    public Map<CutCause, Long> blocksCut() {
        return producer.cutCounts();
    }

    public long leaderChanges() {
        return leaderChanges.get();
    }

    /** Blocks fetched from other members while catching up and refused, per reason (see {@code consensus.CatchUp}). */
    public Map<FetchedBlockRefusal.Reason, Long> fetchedBlocksRefused() {
        return consensus.fetchedBlocksRefused();
    }

    // ---- submit

    public CompletableFuture<SubmitResult> submit(Envelope envelope) {
        ByteString bytes = envelope.toByteString();
        if (bytes.size() > maxEnvelopeBytes) {
            return tooLarge(bytes);
        }
        EnvelopeUnpacking unpacking = Envelopes.unpack(envelope);
        if (unpacking instanceof EnvelopeUnpacking.Malformed malformed) {
            return done(SubmitResult.Status.MALFORMED, "", malformed.error() + ": " + malformed.detail());
        }
        return submit(bytes, ((EnvelopeUnpacking.Unpacked) unpacking).envelope());
    }

    /**
     * As {@link #submit(Envelope)}, for a caller that has the envelope's bytes as received and has
     * already unpacked them (the broadcast handler): nothing is parsed or serialized again. {@code bytes}
     * must be the serialized form of {@code unpacked.envelope()}; they are what is ordered.
     */
    public CompletableFuture<SubmitResult> submit(ByteString bytes, UnpackedEnvelope unpacked) {
        if (bytes.size() > maxEnvelopeBytes) {
            return tooLarge(bytes);
        }
        String txId = unpacked.header().getTxId();
        if (txId.isEmpty()) {
            return done(SubmitResult.Status.MALFORMED, "", "the header has no tx id");
        }
        if (!unpacked.header().getChannelId().equals(channelId)) {
            return done(SubmitResult.Status.MALFORMED, txId,
                    "the envelope is for channel '" + unpacked.header().getChannelId() + "', not " + channelId);
        }
        Optional<EnvelopeValidator.Rejection> rejection = validator.rejection(this, unpacked);
        if (rejection.isPresent()) {
            return done(rejection.get().status(), txId, rejection.get().detail());
        }
        HeaderType type = unpacked.header().getType();
        if (type == HeaderType.CONFIG) {
            return done(SubmitResult.Status.CONFIG_INVALID, txId,
                    "CONFIG envelopes are written by the orderers; submit a CONFIG_UPDATE");
        }
        OptionalLong ordered = recent.blockOf(txId);
        if (ordered.isPresent()) {
            return CompletableFuture.completedFuture(
                    new SubmitResult(SubmitResult.Status.DUPLICATE_TXID, txId, ordered.getAsLong(), "already ordered"));
        }
        if (type == HeaderType.CONFIG_UPDATE) {
            ConfigUpdateChecker.Outcome outcome = configChecker.check(config, unpacked);
            if (!outcome.accepted()) {
                return done(SubmitResult.Status.of(outcome.refusal().orElseThrow()), txId, outcome.detail());
            }
        }
        CompletableFuture<SubmitResult> result = waitForCommit(txId);
        PendingEnvelope pending = new PendingEnvelope(bytes, txId,
                type == HeaderType.CONFIG || type == HeaderType.CONFIG_UPDATE);
        Submission submission = new Submission(pending, result, System.nanoTime() + settings.commitTimeout().toNanos(),
                new java.util.concurrent.atomic.AtomicInteger());
        submissions.add(submission);
        result.whenComplete((r, e) -> submissions.remove(submission));
        route(submission);
        return result;
    }

    private CompletableFuture<SubmitResult> tooLarge(ByteString bytes) {
        return done(SubmitResult.Status.TOO_LARGE, "", "envelope of " + bytes.size()
                + " bytes exceeds the channel's maximum of " + maxEnvelopeBytes);
    }

    private static CompletableFuture<SubmitResult> done(SubmitResult.Status status, String txId, String detail) {
        return CompletableFuture.completedFuture(SubmitResult.of(status, txId, detail));
    }

    private CompletableFuture<SubmitResult> waitForCommit(String txId) {
        CompletableFuture<SubmitResult> result = new CompletableFuture<>();
        waiters.computeIfAbsent(txId, id -> new CopyOnWriteArrayList<>()).add(result);
        result.completeOnTimeout(SubmitResult.of(SubmitResult.Status.TIMEOUT, txId,
                "not in a committed block after " + settings.commitTimeout().toMillis() + " ms; resubmit it"),
                settings.commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((r, e) -> waiters.computeIfPresent(txId, (id, list) -> {
            list.remove(result);
            return list.isEmpty() ? null : list;
        }));
        OptionalLong ordered = recent.blockOf(txId); // committed meanwhile?
        if (ordered.isPresent()) {
            result.complete(SubmitResult.committed(txId, ordered.getAsLong()));
        }
        return result;
    }

    /**
     * Hands the envelope to the producer if this orderer is the ready leader, else to the forwarder.
     * A refusal completes the submission; UNAVAILABLE routes it again after {@link #RETRY_DELAY} until
     * its deadline; acceptance leaves it to the commit (or to a re-route when the leader changes).
     */
    private void route(Submission submission) {
        if (submission.result().isDone()) {
            return;
        }
        int attempt = submission.attempt().incrementAndGet();
        PendingEnvelope pending = submission.pending();
        CompletableFuture<SubmitReply> reply = isLeader()
                ? producer.enqueue(pending)
                : forwarder.forward(new RaftMessages.Forwarded(pending.bytes(), pending.txId(), pending.config()));
        reply.whenComplete((answer, error) -> {
            CompletableFuture<SubmitResult> result = submission.result();
            if (result.isDone() || submission.attempt().get() != attempt) {
                return; // answered, or routed again meanwhile
            }
            if (error != null || answer.status() == SubmitResult.Status.UNAVAILABLE.code()) {
                if (System.nanoTime() < submission.deadline()) {
                    try {
                        executor.schedule(() -> route(submission), RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
                        return;
                    } catch (java.util.concurrent.RejectedExecutionException stopping) {
                        // closing: answer now
                    }
                }
                result.complete(SubmitResult.of(SubmitResult.Status.UNAVAILABLE, pending.txId(),
                        error != null ? String.valueOf(error.getMessage()) : answer.detail()));
                return;
            }
            if (answer.status() == BlockProducer.ACCEPTED) {
                return; // the commit completes it
            }
            if (attempt > 1 && answer.status() == SubmitResult.Status.DUPLICATE_TXID.code()) {
                return; // sent again after a leader change and already ordered, likely by an earlier routing: the commit here completes it
            }
            SubmitResult.Status status;
            try {
                status = SubmitResult.Status.fromCode(answer.status());
            } catch (IllegalArgumentException unknown) {
                // a leader of a later version with a status this one lacks: whether it took the envelope
                // is unknown, so the commit (or the commit timeout) answers it
                LOG.warn("{}: leaving tx {} to the commit or its timeout: the leader answered {} ({})", channelId,
                        pending.txId(), unknown.getMessage(), answer.detail());
                return;
            }
            result.complete(new SubmitResult(status, pending.txId(), answer.blockNumber(), answer.detail()));
        });
    }

    /**
     * The leader changed: every envelope submitted here and not yet in a block goes again to the new
     * leader rather than waiting for the commit timeout (an envelope the old leader had taken may be
     * lost with it). The new leader refuses tx ids it finds committed or pending, so nothing is ordered
     * twice.
     */
    private void rerouteAll() {
        forwarder.leaderChanged();
        for (Submission submission : submissions) {
            try {
                executor.execute(() -> route(submission));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                return;
            }
        }
    }

    private Optional<String> knownLeader() {
        return consensus.leader();
    }

    private CompletableFuture<List<SubmitReply>> sendToLeader(String leader, List<RaftMessages.Forwarded> batch) {
        return consensus.forward(leader, batch);
    }

    @Override
    public CompletableFuture<List<SubmitReply>> onSubmit(List<RaftMessages.Forwarded> batch) {
        List<PendingEnvelope> envelopes = new ArrayList<>(batch.size());
        for (RaftMessages.Forwarded forwarded : batch) {
            // the envelopes are views of the request, which the RPC layer may reuse after this call: copy
            // each once, since it stays pending until its block is cut
            ByteString envelope = ByteString.copyFrom(forwarded.envelope().asReadOnlyByteBuffer());
            envelopes.add(new PendingEnvelope(envelope, forwarded.txId(), forwarded.config()));
        }
        return producer.enqueueAll(envelopes);
    }

    private CompletableFuture<Boolean> propose(Block block) {
        return consensus.propose(block);
    }

    // ---- deliver

    /**
     * The blocks from {@code from} on: those stored, then each new one as it commits, as many as
     * the subscriber requests. The stream never completes by itself; the subscriber cancels it.
     */
    public Flow.Publisher<Block> deliver(long from) {
        if (from < 0) {
            throw new IllegalArgumentException("no block " + from);
        }
        return new BlockPublisher(store, from, deliveryExecutor, newBlockListeners);
    }

    // ---- state machine events

    @Override
    public void onBlockCommitted(Block block) {
        long number = block.getHeader().getNumber();
        List<String> txIds = txIdsOf(block);
        for (String txId : txIds) {
            recent.add(txId, number);
        }
        Optional<ChannelConfig> newConfig = number == 0 ? Optional.empty() : ConfigBlocks.configOf(block);
        ChannelConfig previous = config;
        if (newConfig.isPresent()) {
            useConfig(newConfig.get(), number);
            producer.configCommitted(batchParameters);
            LOG.info("{}: configuration sequence {} committed in block {}", channelId, newConfig.get().getSequence(), number);
        }
        if (!waiters.isEmpty()) {
            for (String txId : txIds) {
                List<CompletableFuture<SubmitResult>> waiting = waiters.remove(txId);
                if (waiting != null) {
                    for (CompletableFuture<SubmitResult> future : waiting) {
                        future.complete(SubmitResult.committed(txId, number));
                    }
                }
            }
        }
        producer.committed(block, txIds);
        if (newConfig.isPresent() && !newConfig.get().getOrderer().getConsentersList()
                .equals(previous.getOrderer().getConsentersList())) {
            reconcileConsenters();
        }
        for (Runnable listener : newBlockListeners) {
            listener.run();
        }
    }

    /** The tx ids a block stands for, read once per block (see {@link TxIds#all}). */
    private static List<String> txIdsOf(Block block) {
        List<String> ids = new ArrayList<>(block.getData().getEnvelopesCount());
        for (ByteString envelope : block.getData().getEnvelopesList()) {
            ids.addAll(TxIds.all(envelope));
        }
        return ids;
    }

    private void rememberTxIds(Block block) {
        for (String txId : txIdsOf(block)) {
            recent.add(txId, block.getHeader().getNumber());
        }
    }

    /**
     * On the leader: if the Raft members differ from the consenters of the current configuration, asks
     * Raft to change them (on a thread of its own: the change waits for new members to catch up). Done
     * after a config block changing the consenters commits, and when a leader takes over after a config
     * block (a change its predecessor did not finish).
     */
    private void reconcileConsenters() {
        ChannelConfig current = config;
        Thread.ofVirtual().name("consenters-" + channelId).start(() -> {
            try {
                if (!isLeader()) {
                    return;
                }
                Set<String> wanted = new java.util.HashSet<>();
                current.getOrderer().getConsentersList().forEach(c -> wanted.add(RaftIds.memberId(c.getEndpoint())));
                Set<String> members = consensus.members();
                if (wanted.equals(members)) {
                    return;
                }
                LOG.info("{}: changing the Raft members from {} to {} (configuration sequence {})", channelId, members,
                        wanted, current.getSequence());
                setConsenters(current.getOrderer().getConsentersList());
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: changing the consenters failed", channelId, e);
            }
        });
    }

    @Override
    public void onBlockDiscarded(Block block) {
        producer.discarded(block);
    }

    @Override
    public void onLeaderChanged(boolean thisMemberLeads) {
        leaderChanges.incrementAndGet();
        if (!thisMemberLeads) {
            producer.stepDown();
        }
        rerouteAll();
    }

    @Override
    public void onLeaderReady() {
        producer.becomeLeader();
        if (configBlock > 0) {
            reconcileConsenters();
        }
        rerouteAll();
    }

    // ---- Raft status and membership

    /** Whether this orderer leads the channel and has applied every earlier entry: it cuts the blocks. */
    public boolean isLeader() {
        return consensus.isReadyLeader();
    }

    /**
     * The channel's Raft state as this orderer sees it.
     *
     * @throws IllegalStateException if the channel's Raft group is not running here (yet)
     */
    public RaftStatus raftStatus() {
        return consensus.status();
    }

    /**
     * If this orderer leads the channel, hands leadership to the live member with the most of the log
     * ({@link ChannelConsensus#transferLeadership}), so that a planned stop costs no election timeout.
     * Proposals in flight during the transfer fail; their envelopes go to the new leader when the
     * submitters see the change.
     *
     * @return the member leading after the transfer; empty if this orderer did not lead, has no other
     *     live member, or the transfer did not finish within {@code timeout} (the stop then goes on and the
     *     others elect a leader after their election timeout)
     */
    public Optional<String> handOverLeadership(Duration timeout) {
        return consensus.transferLeadership(timeout);
    }

    /**
     * Changes the consenter set to {@code consenters} through Raft (joint consensus). New members
     * must have joined the channel first; they catch up before they count.
     */
    public void setConsenters(List<Consenter> consenters) throws IOException {
        consensus.setConsenters(consenters);
    }

    /** Asks the channel's Raft group here to take a snapshot now (which purges the log up to it). */
    public long takeSnapshot(Duration timeout) throws IOException {
        return consensus.takeSnapshot(timeout);
    }

    @Override
    public void close() {
        forwarder.close();
        executor.shutdownNow();
        consensus.close();
        if (deliveryExecutor instanceof java.util.concurrent.ExecutorService service) {
            service.shutdownNow();
        }
        try {
            store.close();
        } catch (IOException e) {
            LOG.warn("{}: closing the block store failed", channelId, e);
        }
    }
}
