package io.charter.orderer.blockcutter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Batches envelopes into blocks, as Fabric's block cutter does:
 *
 * <ul>
 *   <li>a config transaction cuts the pending batch, then goes in a batch of its own ({@link CutCause#CONFIG});
 *   <li>an envelope larger than preferred max bytes cuts the pending batch, then goes alone ({@link CutCause#BYTES});
 *   <li>an envelope that would take the pending batch over preferred max bytes cuts it first ({@link CutCause#BYTES});
 *   <li>a batch that reaches max message count is cut ({@link CutCause#COUNT});
 *   <li>the first envelope of a batch starts the batch timer; when it fires, the batch is cut ({@link CutCause#TIMEOUT}).
 * </ul>
 *
 * Envelopes larger than absolute max bytes must be refused before they get here: {@link #add} rejects
 * them. Not thread-safe: the owner calls {@link #add}, {@link #cutPending} and runs timer callbacks on
 * one thread (the scheduler is expected to run its tasks there, e.g. a single-threaded executor). A
 * timer that fires after its batch was already cut does nothing, so a late timer never cuts the
 * next batch early.
 */
public final class BlockCutter {

    private final BatchParameters parameters;
    private final Scheduler scheduler;
    private final Consumer<Batch> onCut;

    private final List<PendingEnvelope> pending = new ArrayList<>();
    private long pendingBytes;
    private long generation;
    private Scheduler.Cancellable timer;

    /** @param onCut receives each batch, in order, on the calling thread */
    public BlockCutter(BatchParameters parameters, Scheduler scheduler, Consumer<Batch> onCut) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.onCut = Objects.requireNonNull(onCut, "onCut");
    }

    public BatchParameters parameters() {
        return parameters;
    }

    /** Adds an envelope, cutting zero, one or two batches as the rules say. */
    public void add(PendingEnvelope envelope) {
        if (envelope.size() > parameters.absoluteMaxBytes()) {
            throw new IllegalArgumentException("envelope of " + envelope.size()
                    + " bytes exceeds absolute max bytes " + parameters.absoluteMaxBytes());
        }
        if (envelope.config()) {
            cutPending(CutCause.CONFIG);
            emit(List.of(envelope), CutCause.CONFIG);
            return;
        }
        if (envelope.size() > parameters.preferredMaxBytes()) {
            cutPending(CutCause.BYTES);
            emit(List.of(envelope), CutCause.BYTES);
            return;
        }
        if (pendingBytes + envelope.size() > parameters.preferredMaxBytes()) {
            cutPending(CutCause.BYTES);
        }
        pending.add(envelope);
        pendingBytes += envelope.size();
        if (pending.size() >= parameters.maxMessageCount()) {
            cutPending(CutCause.COUNT);
        } else if (pending.size() == 1) {
            startTimer();
        }
    }

    /** Cuts whatever is pending (nothing happens if nothing is). */
    public void cutPending(CutCause cause) {
        stopTimer();
        if (pending.isEmpty()) {
            return;
        }
        List<PendingEnvelope> batch = List.copyOf(pending);
        pending.clear();
        pendingBytes = 0;
        emit(batch, cause);
    }

    /** Drops what is pending without cutting it, returning it. */
    public List<PendingEnvelope> discardPending() {
        stopTimer();
        List<PendingEnvelope> dropped = List.copyOf(pending);
        pending.clear();
        pendingBytes = 0;
        return dropped;
    }

    public int pendingCount() {
        return pending.size();
    }

    public long pendingBytes() {
        return pendingBytes;
    }

    private void emit(List<PendingEnvelope> envelopes, CutCause cause) {
        onCut.accept(new Batch(envelopes, cause));
    }

    private void startTimer() {
        long batch = ++generation;
        timer = scheduler.schedule(parameters.batchTimeout(), () -> onTimer(batch));
    }

    private void stopTimer() {
        generation++;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void onTimer(long batch) {
        if (batch == generation) {
            timer = null;
            cutPending(CutCause.TIMEOUT);
        }
    }
}
