package io.charter.peer.events;

import io.charter.common.protocol.TransactionIds;
import io.charter.peer.ledger.Ledger;
import io.charter.peer.ledger.TxRecord;
import io.charter.protocol.Block;
import io.charter.protocol.TxValidationCode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * Commit notifications of one channel: futures completed when a transaction's block commits, and
 * listeners told the new height after each commit (for block event streams). The channel's committer
 * calls {@link #committed} after each block it commits.
 */
public final class CommitEvents {

    private final Ledger ledger;
    private final Map<String, List<CompletableFuture<TxRecord>>> waiters = new ConcurrentHashMap<>();
    private final List<LongConsumer> heightListeners = new CopyOnWriteArrayList<>();

    public CommitEvents(Ledger ledger) {
        this.ledger = ledger;
    }

    /**
     * The commit status of {@code txId}: completed at once from the tx index when it is committed,
     * else when the block carrying it commits. Cancel the future to stop waiting.
     */
    public CompletableFuture<TxRecord> commitStatus(String txId) {
        CompletableFuture<TxRecord> future = new CompletableFuture<>();
        // register first, then look: a commit between the two is seen by one or the other
        waiters.computeIfAbsent(txId, k -> new CopyOnWriteArrayList<>()).add(future);
        future.whenComplete((r, e) -> waiters.computeIfPresent(txId, (k, list) -> {
            list.remove(future);
            return list.isEmpty() ? null : list;
        }));
        ledger.transaction(txId).ifPresent(future::complete);
        return future;
    }

    /** The status now, without waiting. */
    public Optional<TxRecord> currentStatus(String txId) {
        return ledger.transaction(txId);
    }

    /** Called after {@code block} committed with {@code codes}. */
    public void committed(Block block, List<TxValidationCode> codes) {
        if (!waiters.isEmpty()) {
            for (int i = 0; i < codes.size(); i++) {
                String txId = TransactionIds.claimedBy(block.getData().getEnvelopes(i)).orElse(null);
                if (txId != null && waiters.containsKey(txId)) {
                    // the tx index is the truth (a duplicate tx id keeps the original's entry)
                    ledger.transaction(txId).ifPresent(record -> {
                        List<CompletableFuture<TxRecord>> list = waiters.get(txId);
                        if (list != null) {
                            list.forEach(f -> f.complete(record));
                        }
                    });
                }
            }
        }
        long height = block.getHeader().getNumber() + 1;
        heightListeners.forEach(l -> l.accept(height));
    }

    public void addHeightListener(LongConsumer listener) {
        heightListeners.add(listener);
    }

    public void removeHeightListener(LongConsumer listener) {
        heightListeners.remove(listener);
    }

    /** Waiters currently registered (for tests and metrics). */
    public int waiting() {
        return waiters.values().stream().mapToInt(List::size).sum();
    }
}
