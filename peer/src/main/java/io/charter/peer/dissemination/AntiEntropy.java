package io.charter.peer.dissemination;

import com.google.protobuf.ByteString;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.peer.delivery.BlockSink;
import io.charter.peer.validation.CommitResult;
import io.charter.protocol.Block;
import io.charter.protocol.GetBlocksRequest;
import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls missing blocks from peers of the organization ({@code peer.GetBlocks}): on a timer and when a
 * gap is seen (a pushed block above the height), from the alive peer with the greatest height above
 * this one's (heights come with heartbeats). Blocks are validated and committed like any other; a
 * refused block ends the pull (the next round may pick another peer). One pull at a time.
 */
public final class AntiEntropy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AntiEntropy.class);
    private static final int WINDOW = 16;

    private final BlockSink sink;
    private volatile List<OrgPeer> peers;
    private final Supplier<Map<String, Long>> peerHeights;
    private final Duration interval;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean pulling = new AtomicBoolean();
    private final AtomicBoolean triggered = new AtomicBoolean();
    private final AtomicLong blocksPulled = new AtomicLong();
    private final AtomicLong pullsFailed = new AtomicLong();
    private volatile boolean closed;

    public AntiEntropy(BlockSink sink, List<OrgPeer> peers, Supplier<Map<String, Long>> peerHeights, Duration interval) {
        this.sink = sink;
        this.peers = List.copyOf(peers);
        this.peerHeights = peerHeights;
        this.interval = interval;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("charter-anti-entropy-" + sink.channelId()).factory());
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Pull now (on the timer's thread), e.g. after a gap was seen. */
    public void trigger() {
        if (!closed && triggered.compareAndSet(false, true)) {
            try {
                timer.execute(() -> {
                    triggered.set(false);
                    runOnce();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed meanwhile
            }
        }
    }

    /** Replaces the peers pulled from (e.g. after the index changed); a pull in progress finishes. */
    public void updatePeers(List<OrgPeer> next) {
        peers = List.copyOf(next);
    }

    public long blocksPulled() {
        return blocksPulled.get();
    }

    public long pullsFailed() {
        return pullsFailed.get();
    }

    void runOnce() {
        if (closed || !pulling.compareAndSet(false, true)) {
            return;
        }
        try {
            long height = sink.height();
            Optional<Map.Entry<String, Long>> best = peerHeights.get().entrySet().stream()
                    .filter(e -> e.getValue() > height)
                    .max(Comparator.comparingLong(Map.Entry::getValue));
            if (best.isEmpty()) {
                return;
            }
            OrgPeer peer = peers.stream().filter(p -> p.id().equals(best.get().getKey())).findFirst().orElse(null);
            if (peer == null) {
                return;
            }
            pull(peer, height, best.get().getValue() - 1);
        } catch (RuntimeException e) {
            pullsFailed.incrementAndGet();
            LOG.warn("anti-entropy pull for {} failed: {}", sink.channelId(), e.toString());
        } finally {
            pulling.set(false);
        }
    }

    private void pull(OrgPeer peer, long from, long to) {
        LOG.info("channel {}: pulling blocks {}..{} from {}", sink.channelId(), from, to, peer.endpoint());
        ByteString request = GetBlocksRequest.newBuilder().setChannelId(sink.channelId()).setFromNumber(from)
                .setToNumber(to).build().toByteString();
        BlockingSubscriber subscriber = new BlockingSubscriber();
        peer.client().serverStream(PeerMethodNames.GET_BLOCKS, request, Duration.ofMinutes(10)).subscribe(subscriber);
        try {
            for (Iterator<ByteString> it = subscriber; it.hasNext(); ) {
                if (closed) {
                    subscriber.cancel();
                    return;
                }
                Block block = Block.parseFrom(it.next());
                CommitResult result = sink.commit(sink.prevalidate(block));
                if (result instanceof CommitResult.Refused refused) {
                    subscriber.cancel();
                    pullsFailed.incrementAndGet();
                    LOG.warn("channel {}: block {} pulled from {} refused: {} {}", sink.channelId(), refused.blockNumber(),
                            peer.endpoint(), refused.reason(), refused.detail());
                    return;
                }
                if (result instanceof CommitResult.Committed) {
                    blocksPulled.incrementAndGet();
                }
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            subscriber.cancel();
            throw new IllegalStateException(peer.endpoint() + " sent a malformed block", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
    }

    /** A Flow subscriber read as an iterator, requesting a bounded window ahead. */
    private static final class BlockingSubscriber implements Flow.Subscriber<ByteString>, Iterator<ByteString> {
        private static final Object END = new Object();
        private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private volatile Flow.Subscription subscription;
        private Object next;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(WINDOW);
        }

        @Override
        public void onNext(ByteString item) {
            queue.add(item);
        }

        @Override
        public void onError(Throwable throwable) {
            queue.add(throwable);
        }

        @Override
        public void onComplete() {
            queue.add(END);
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                try {
                    next = queue.poll(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                if (next == null) {
                    cancel();
                    throw new IllegalStateException("no block from the organization peer for 60 s");
                }
            }
            if (next instanceof Throwable t) {
                throw new IllegalStateException("the pull failed: " + t, t);
            }
            return next != END;
        }

        @Override
        public ByteString next() {
            hasNext();
            ByteString item = (ByteString) next;
            next = null;
            subscription.request(1);
            return item;
        }
    }
}
