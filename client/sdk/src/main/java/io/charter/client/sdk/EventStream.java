package io.charter.client.sdk;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.transport.TransportException;
import io.charter.protocol.Block;
import io.charter.protocol.BlockEventsRequest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * Events of committed blocks, in block order, pulled with {@link #next(Duration)}. The stream reads
 * {@code peer.BlockEvents} from one peer of the channel (this identity's organization first); when that
 * peer fails it reconnects, to the next peer, from the block after the last one received, so nothing is
 * lost or repeated. When no peer can serve it, {@link #next} throws {@link SdkErrorCode#EVENT_STREAM_FAILED}.
 *
 * <p>Resuming: {@link #nextBlockNumber()} is the first block whose events have not all been returned by
 * {@link #next}. An application that stores it after handling events and opens a new stream from it
 * later (even in another process) sees every event exactly once. Flow control: at most
 * {@value #BUFFERED_BLOCKS} blocks are buffered ahead of the consumer. Close the stream when done.
 */
public final class EventStream<T> implements AutoCloseable {

    static final int BUFFERED_BLOCKS = 64;
    private static final Duration SUBSCRIPTION_DEADLINE = Duration.ofHours(12);
    private static final int MAX_CONSECUTIVE_FAILURES_PER_PEER = 3;

    /** A queue entry: an item, or the end of a block's items. */
    private sealed interface Entry<T> {}

    private record Item<T>(T value) implements Entry<T> {}

    private record BlockEnd<T>(long blockNumber) implements Entry<T> {}

    private final Network network;
    private final Function<BlockEvent, List<T>> extract;
    private final Object lock = new Object();
    private final ArrayDeque<Entry<T>> queue = new ArrayDeque<>(); // guarded by lock
    private long nextBlockNumber; // guarded by lock: consumer side
    private long nextToReceive; // guarded by lock: producer side
    private int blocksBuffered; // guarded by lock
    private boolean paused; // guarded by lock
    private boolean closed; // guarded by lock
    private SdkException failure; // guarded by lock
    private Flow.Subscription subscription; // guarded by lock
    private int peerIndex; // guarded by lock
    private int consecutiveFailures; // guarded by lock
    private final StringBuilder failures = new StringBuilder(); // guarded by lock

    private EventStream(Network network, long startBlock, Function<BlockEvent, List<T>> extract) {
        if (startBlock < 0) {
            throw new IllegalArgumentException("a block number is never negative: " + startBlock);
        }
        this.network = network;
        this.extract = extract;
        this.nextBlockNumber = startBlock;
        this.nextToReceive = startBlock;
    }

    static <T> EventStream<T> open(Network network, long startBlock, Function<BlockEvent, List<T>> extract) {
        EventStream<T> stream = new EventStream<>(network, startBlock, extract);
        if (network.streamPeers().isEmpty()) {
            throw SdkException.of(Step.EVENTS, SdkErrorCode.NO_PEERS, "no peer is known for channel '" + network.channel()
                    + "'").build();
        }
        stream.subscribe();
        return stream;
    }

    /**
     * The next event, waiting up to {@code timeout} for one; empty when none came in time.
     *
     * @throws SdkException {@code EVENT_STREAM_FAILED} when no peer can serve the stream (resume later from
     *     {@link #nextBlockNumber()}), {@code CANCELLED} when interrupted or closed
     */
    public Optional<T> next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean resume = false;
        try {
            synchronized (lock) {
                while (true) {
                    Entry<T> entry = queue.poll();
                    if (entry instanceof BlockEnd<T> end) {
                        nextBlockNumber = end.blockNumber() + 1;
                        blocksBuffered--;
                        if (paused && blocksBuffered < BUFFERED_BLOCKS / 2) {
                            paused = false;
                            resume = true;
                        }
                        continue;
                    }
                    if (entry instanceof Item<T> item) {
                        // a block's entries are queued together: when this was its last item, the block is done
                        if (queue.peek() instanceof BlockEnd<T> end) {
                            queue.poll();
                            nextBlockNumber = end.blockNumber() + 1;
                            blocksBuffered--;
                            if (paused && blocksBuffered < BUFFERED_BLOCKS / 2) {
                                paused = false;
                                resume = true;
                            }
                        }
                        return Optional.of(item.value());
                    }
                    if (failure != null) {
                        throw failure;
                    }
                    if (closed) {
                        throw SdkException.of(Step.EVENTS, SdkErrorCode.CANCELLED, "the event stream is closed").build();
                    }
                    if (resume) {
                        requestMore();
                        resume = false;
                    }
                    long waitNanos = deadline - System.nanoTime();
                    if (waitNanos <= 0) {
                        return Optional.empty();
                    }
                    lock.wait(Math.max(1, waitNanos / 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SdkException.of(Step.EVENTS, SdkErrorCode.CANCELLED, "interrupted while waiting for events").build();
        } finally {
            if (resume) {
                synchronized (lock) {
                    requestMore();
                }
            }
        }
    }

    /** The first block whose events {@link #next} has not all returned: open a new stream from here to resume. */
    public long nextBlockNumber() {
        synchronized (lock) {
            return nextBlockNumber;
        }
    }

    @Override
    public void close() {
        Flow.Subscription current;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            current = subscription;
            subscription = null;
            lock.notifyAll();
        }
        if (current != null) {
            current.cancel();
        }
    }

    // ---- producer side

    private void subscribe() {
        NodeEndpoint peer;
        long from;
        synchronized (lock) {
            if (closed) {
                return;
            }
            List<NodeEndpoint> peers = network.streamPeers();
            peer = peers.get(Math.floorMod(peerIndex, peers.size()));
            from = nextToReceive;
        }
        ByteString request = BlockEventsRequest.newBuilder().setChannelId(network.channel()).setStartNumber(from).build()
                .toByteString();
        try {
            network.gateway().peerClient(peer).serverStream(Network.BLOCK_EVENTS, request, SUBSCRIPTION_DEADLINE)
                    .subscribe(new Subscriber(peer));
        } catch (RuntimeException e) {
            failed(peer, e.getMessage());
        }
    }

    private void requestMore() {
        if (subscription != null) {
            subscription.request(1);
        }
    }

    private void received(Flow.Subscription from, ByteString item) {
        BlockEvent event;
        try {
            io.charter.protocol.BlockEvent wire = io.charter.protocol.BlockEvent.parseFrom(item);
            event = new BlockEvent(wire.getBlockNumber(), Block.parseFrom(wire.getBlock()));
        } catch (InvalidProtocolBufferException e) {
            from.cancel();
            return;
        }
        List<T> items = extract.apply(event);
        synchronized (lock) {
            if (subscription != from || closed) {
                return;
            }
            if (event.blockNumber() != nextToReceive) {
                // a peer that restarted the stream elsewhere: ignore what is not the next block
                from.request(1);
                return;
            }
            consecutiveFailures = 0;
            nextToReceive = event.blockNumber() + 1;
            items.forEach(i -> queue.add(new Item<>(i)));
            queue.add(new BlockEnd<>(event.blockNumber()));
            blocksBuffered++;
            if (blocksBuffered < BUFFERED_BLOCKS) {
                from.request(1);
            } else {
                paused = true;
            }
            lock.notifyAll();
        }
    }

    private void failed(NodeEndpoint peer, String why) {
        boolean retry;
        long delayMillis;
        synchronized (lock) {
            subscription = null;
            paused = false;
            if (closed) {
                return;
            }
            consecutiveFailures++;
            failures.append(failures.isEmpty() ? "" : "; ").append(peer.name()).append(": ").append(why);
            int peers = network.streamPeers().size();
            retry = consecutiveFailures <= MAX_CONSECUTIVE_FAILURES_PER_PEER * peers;
            peerIndex++;
            delayMillis = Math.min(2000, 100L * consecutiveFailures);
            if (!retry) {
                failure = SdkException.of(Step.EVENTS, SdkErrorCode.EVENT_STREAM_FAILED, "no peer of channel '"
                        + network.channel() + "' serves block events from block " + nextToReceive + ": " + failures
                        + " (open a new stream from block " + nextBlockNumber + " to resume)").build();
                lock.notifyAll();
            }
        }
        if (retry) {
            Thread.ofVirtual().name("charter-events-resubscribe").start(() -> {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    return;
                }
                subscribe();
            });
        }
    }

    private final class Subscriber implements Flow.Subscriber<ByteString> {
        private final NodeEndpoint peer;
        private Flow.Subscription own;

        Subscriber(NodeEndpoint peer) {
            this.peer = peer;
        }

        @Override
        public void onSubscribe(Flow.Subscription value) {
            own = value;
            synchronized (lock) {
                if (closed) {
                    value.cancel();
                    return;
                }
                subscription = value;
            }
            value.request(1);
        }

        @Override
        public void onNext(ByteString item) {
            received(own, item);
        }

        @Override
        public void onError(Throwable error) {
            if (isCurrent()) {
                failed(peer, error instanceof TransportException t ? t.getMessage() : String.valueOf(error));
            }
        }

        @Override
        public void onComplete() {
            if (isCurrent()) {
                failed(peer, "the peer ended the stream");
            }
        }

        private boolean isCurrent() {
            synchronized (lock) {
                return subscription == own && !closed;
            }
        }
    }
}
