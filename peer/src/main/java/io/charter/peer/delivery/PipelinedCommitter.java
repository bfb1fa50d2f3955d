package io.charter.peer.delivery;

import io.charter.peer.validation.CommitResult;
import io.charter.peer.validation.PrevalidatedBlock;
import io.charter.protocol.Block;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Validates and commits a stream of blocks in order, running the stateless checks of block n+1 while
 * block n commits. The first refusal fails every later block (the caller restarts from the height).
 */
final class PipelinedCommitter implements AutoCloseable {

    private final BlockSink sink;
    private final ExecutorService checks = Executors.newVirtualThreadPerTaskExecutor();
    private final ExecutorService commits = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("charter-commit-", 0).factory());
    private CompletableFuture<CommitResult> tail = CompletableFuture.completedFuture(null);

    PipelinedCommitter(BlockSink sink) {
        this.sink = sink;
    }

    /** Queues {@code block}; {@code done} gets its result (or the failure that stopped the pipeline). */
    synchronized CompletableFuture<CommitResult> submit(Block block) {
        CompletableFuture<PrevalidatedBlock> checked = CompletableFuture.supplyAsync(() -> sink.prevalidate(block), checks);
        tail = tail.thenCombineAsync(checked, (previous, prevalidated) -> {
            CommitResult result = sink.commit(prevalidated);
            if (result instanceof CommitResult.Refused refused) {
                throw new RefusedBlockException(refused);
            }
            return result;
        }, commits);
        return tail;
    }

    void whenIdle(Consumer<Throwable> action) {
        CompletableFuture<CommitResult> current;
        synchronized (this) {
            current = tail;
        }
        current.whenComplete((r, e) -> action.accept(e));
    }

    @Override
    public void close() {
        checks.shutdownNow();
        commits.shutdownNow();
    }

    static final class RefusedBlockException extends RuntimeException {
        final CommitResult.Refused refused;

        RefusedBlockException(CommitResult.Refused refused) {
            super("block " + refused.blockNumber() + " refused: " + refused.reason() + " " + refused.detail());
            this.refused = refused;
        }
    }
}
