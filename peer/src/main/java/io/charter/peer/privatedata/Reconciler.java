package io.charter.peer.privatedata;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.protocol.PeerMethodNames;

import io.charter.peer.ledger.KeyVersion;
import io.charter.peer.ledger.Ledger;
import io.charter.peer.ledger.MissingPrivateData;
import io.charter.peer.ledger.PrivateCommit;
import io.charter.protocol.Block;
import io.charter.protocol.CollectionHashedReadWriteSet;
import io.charter.protocol.Envelope;
import io.charter.protocol.NamespaceReadWriteSet;
import io.charter.protocol.Payload;
import io.charter.protocol.PrivateDataReference;
import io.charter.protocol.ProposalResponsePayload;
import io.charter.protocol.PullPrivateDataRequest;
import io.charter.protocol.PullPrivateDataResponse;
import io.charter.protocol.PulledPrivateData;
import io.charter.protocol.Transaction;
import io.charter.protocol.TxReadWriteSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches, for one channel, the private writes this member peer committed blocks without (it was down at
 * endorsement, joined later, or refused values that did not match the hashes): every interval, the oldest missing
 * entries (at most {@value #BATCH} at a time) are asked of the other peers of each collection's member
 * organizations ({@code peer.PullPrivateData}), each answer is checked against the hashes of the committed
 * transaction, and what matches is stored ({@link Ledger#reconcile}). What no peer has stays missing and is asked
 * again; {@link #missing} reports it. Only one thread works at a time.
 */
public final class Reconciler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    static final int BATCH = 100;

    private final Ledger ledger;
    private final BiFunction<String, String, Optional<Collection>> collections;
    private final Dissemination.MemberPeers memberPeers;
    private final Dissemination.PeerClients clients;
    private final Duration deadline;
    private final ScheduledExecutorService timer;
    private final AtomicLong reconciled = new AtomicLong();
    /** Entries still missing after the last pass (-1 before the first). */
    private final AtomicLong stillMissing = new AtomicLong(-1);

    /**
     * @param collections the collection of a namespace by name, as committed now
     */
    public Reconciler(Ledger ledger, BiFunction<String, String, Optional<Collection>> collections,
                      Dissemination.MemberPeers memberPeers, Dissemination.PeerClients clients, Duration deadline) {
        this.ledger = ledger;
        this.collections = collections;
        this.memberPeers = memberPeers;
        this.clients = clients;
        this.deadline = deadline;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "reconcile-" + ledger.channelId());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts reconciling every {@code interval}. */
    public Reconciler start(Duration interval) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                reconcileOnce();
            } catch (RuntimeException e) {
                LOG.warn("channel {}: reconciliation failed: {}", ledger.channelId(), e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Private writes reconciled since start. */
    public long reconciled() {
        return reconciled.get();
    }

    /**
     * How many entries the last pass left missing (at most {@value #BATCH}: a pass looks at the oldest ones only);
     * -1 before the first pass.
     */
    public long stillMissing() {
        return stillMissing.get();
    }

    /** What is still missing (the oldest first, at most {@code limit}). */
    public List<MissingPrivateData> missing(int limit) {
        return ledger.missingPrivateData(limit);
    }

    /**
     * One pass: asks member peers for the oldest missing entries and stores what matches the hashes.
     *
     * @return how many entries were reconciled
     */
    public synchronized int reconcileOnce() {
        List<MissingPrivateData> missing = ledger.missingPrivateData(BATCH);
        if (missing.isEmpty()) {
            stillMissing.set(0);
            return 0;
        }
        Map<String, List<PeerAddress>> peers = memberPeers.of(ledger.channelId());
        Map<Key, MissingPrivateData> open = new HashMap<>();
        missing.forEach(m -> open.put(Key.of(m), m));
        Map<Key, CollectionHashedReadWriteSet> expected = expectedHashes(missing);
        List<PrivateCommit.ValueWrites> found = new ArrayList<>();
        for (Map.Entry<String, List<PeerAddress>> organization : peers.entrySet()) {
            String mspId = organization.getKey();
            for (PeerAddress endpoint : organization.getValue()) {
                List<MissingPrivateData> asked = open.values().stream()
                        .filter(m -> collections.apply(m.namespace(), m.collection()).map(c -> c.isMember(mspId)).orElse(false))
                        .toList();
                if (asked.isEmpty()) {
                    continue;
                }
                for (PulledPrivateData pulled : pull(endpoint, mspId, asked)) {
                    PrivateDataReference reference = pulled.getReference();
                    Key key = new Key(reference.getBlockNumber(), reference.getTxNumber(), reference.getNamespace(),
                            reference.getCollection());
                    MissingPrivateData wanted = open.get(key);
                    CollectionHashedReadWriteSet hashes = expected.get(key);
                    if (wanted == null || hashes == null || !pulled.getWrites().getNamespace().equals(key.namespace())) {
                        continue;
                    }
                    Optional<String> mismatch = PrivateDataHashes.mismatch(pulled.getWrites(), hashes);
                    if (mismatch.isPresent()) {
                        LOG.warn("channel {}: {} sent private writes for block {} tx {} collection {} that do not match"
                                + " the hashes ({}); ignored", ledger.channelId(), endpoint.id(), key.block(), key.tx(),
                                key.collection(), mismatch.get());
                        continue;
                    }
                    found.add(new PrivateCommit.ValueWrites(pulled.getWrites(), wanted.position(), wanted.expiryBlock()));
                    open.remove(key);
                }
                if (open.isEmpty()) {
                    break;
                }
            }
            if (open.isEmpty()) {
                break;
            }
        }
        ledger.reconcile(found);
        reconciled.addAndGet(found.size());
        stillMissing.set(open.size());
        if (!found.isEmpty() || !open.isEmpty()) {
            LOG.info("channel {}: reconciled {} private write sets; {} still missing in this pass", ledger.channelId(),
                    found.size(), open.size());
        }
        return found.size();
    }

    private List<PulledPrivateData> pull(PeerAddress endpoint, String mspId, List<MissingPrivateData> asked) {
        PullPrivateDataRequest.Builder request = PullPrivateDataRequest.newBuilder().setChannelId(ledger.channelId());
        asked.forEach(m -> request.addReferences(PrivateDataReference.newBuilder()
                .setBlockNumber(m.position().blockNumber()).setTxNumber(m.position().txNumber())
                .setNamespace(m.namespace()).setCollection(m.collection())));
        try {
            ByteString answer = clients.client(endpoint, mspId)
                    .call(PeerMethodNames.PULL_PRIVATE_DATA, request.build().toByteString(), deadline)
                    .get(deadline.toMillis() + 500, TimeUnit.MILLISECONDS);
            return PullPrivateDataResponse.parseFrom(answer).getFoundList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | InvalidProtocolBufferException | RuntimeException e) {
            LOG.debug("channel {}: pull of private data from {} failed: {}", ledger.channelId(), endpoint.id(), e.toString());
            return List.of();
        }
    }

    /** The hashed writes of each missing entry, from its committed block. */
    private Map<Key, CollectionHashedReadWriteSet> expectedHashes(List<MissingPrivateData> missing) {
        Map<Key, CollectionHashedReadWriteSet> expected = new HashMap<>();
        Map<Long, Optional<Block>> blocks = new HashMap<>();
        for (MissingPrivateData m : missing) {
            KeyVersion position = m.position();
            Optional<Block> block = blocks.computeIfAbsent(position.blockNumber(), ledger::block);
            block.flatMap(b -> rwset(b, position.txNumber())).ifPresent(rwset -> {
                for (NamespaceReadWriteSet ns : rwset.getNamespacesList()) {
                    if (!ns.getNamespace().equals(m.namespace())) {
                        continue;
                    }
                    for (CollectionHashedReadWriteSet hashed : ns.getCollectionsList()) {
                        if (hashed.getCollection().equals(m.collection())) {
                            expected.put(Key.of(m), hashed);
                        }
                    }
                }
            });
        }
        return expected;
    }

    /** The read-write set of the transaction at {@code txNumber} of a committed block (validated when committed). */
    static Optional<TxReadWriteSet> rwset(Block block, int txNumber) {
        if (txNumber >= block.getData().getEnvelopesCount()) {
            return Optional.empty();
        }
        try {
            Envelope envelope = Envelope.parseFrom(block.getData().getEnvelopes(txNumber));
            Transaction transaction = Transaction.parseFrom(Payload.parseFrom(envelope.getPayload()).getData());
            if (transaction.getActionsCount() != 1) {
                return Optional.empty();
            }
            ProposalResponsePayload response = ProposalResponsePayload.parseFrom(
                    transaction.getActions(0).getEndorsedAction().getProposalResponsePayload());
            return Optional.of(TxReadWriteSet.parseFrom(response.getResults()));
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    private record Key(long block, int tx, String namespace, String collection) {
        static Key of(MissingPrivateData m) {
            return new Key(m.position().blockNumber(), m.position().txNumber(), m.namespace(), m.collection());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
