package io.charter.peer.delivery;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.protocol.OrdererMethodNames;
import io.charter.common.transport.TransportClient;
import io.charter.protocol.Block;
import io.charter.protocol.DeliverRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls one channel's blocks from the orderers ({@code orderer.Deliver}) from the ledger height on,
 * validates and commits them through the {@link BlockSink} (checks of block n+1 overlap the commit of
 * block n), and on any error (stream failed or ended, block refused) fails over to the next orderer
 * endpoint and resumes from the height. Runs until {@link #stop()}.
 */
public final class DeliverClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliverClient.class);
    private static final int IN_FLIGHT = 4;

    private final BlockSink sink;
    private volatile List<Endpoint> orderers;
    private final Function<Endpoint, TransportClient> clients;
    private final Duration retryDelay;
    private final AtomicLong blocksReceived = new AtomicLong();
    private final AtomicLong failovers = new AtomicLong();
    private volatile boolean running;
    private volatile long generation;
    private volatile Thread thread;
    private volatile Flow.Subscription current;
    private volatile CompletableFuture<Void> currentDone;
    private volatile Endpoint currentEndpoint;

    public DeliverClient(BlockSink sink, List<Endpoint> orderers, Function<Endpoint, TransportClient> clients,
                         Duration retryDelay) {
        if (orderers.isEmpty()) {
            throw new IllegalArgumentException("no orderer endpoint for channel " + sink.channelId());
        }
        this.sink = sink;
        this.orderers = List.copyOf(orderers);
        this.clients = clients;
        this.retryDelay = retryDelay;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        long mine = ++generation;
        thread = Thread.ofVirtual().name("charter-deliver-" + sink.channelId()).start(() -> run(mine));
    }

    public synchronized void stop() {
        running = false;
        generation++;
        Flow.Subscription subscription = current;
        if (subscription != null) {
            subscription.cancel();
        }
        CompletableFuture<Void> done = currentDone;
        if (done != null) {
            done.complete(null);
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        thread = null;
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Replaces the orderer endpoints (e.g. after the index changed). The next connection attempt uses the
     * new list; when the orderer streaming now is no longer in it, its stream is ended and the client
     * fails over to the new list.
     *
     * @throws IllegalArgumentException when {@code next} is empty (the current list is kept)
     */
    public void updateOrderers(List<Endpoint> next) {
        if (next.isEmpty()) {
            throw new IllegalArgumentException("no orderer endpoint for channel " + sink.channelId());
        }
        List<Endpoint> copy = List.copyOf(next);
        orderers = copy;
        Endpoint streaming = currentEndpoint;
        if (streaming != null && !copy.contains(streaming)) {
            Flow.Subscription subscription = current;
            if (subscription != null) {
                subscription.cancel();
            }
            CompletableFuture<Void> done = currentDone;
            if (done != null) {
                done.completeExceptionally(new IllegalStateException(streaming + " is no longer an orderer of the channel"));
            }
        }
    }

    /** The orderer endpoints delivery uses now. */
    public List<Endpoint> orderers() {
        return orderers;
    }

    public boolean isRunning() {
        return running;
    }

    /** Blocks received from orderers since this client was made. */
    public long blocksReceived() {
        return blocksReceived.get();
    }

    public long failovers() {
        return failovers.get();
    }

    /** The orderer currently streaming, if any. */
    public Endpoint currentEndpoint() {
        return currentEndpoint;
    }

    private void run(long mine) {
        int index = 0;
        while (running && generation == mine) {
            List<Endpoint> endpoints = orderers;
            Endpoint endpoint = endpoints.get(Math.floorMod(index, endpoints.size()));
            currentEndpoint = endpoint;
            long from = sink.height();
            CompletableFuture<Void> done = new CompletableFuture<>();
            currentDone = done;
            try (PipelinedCommitter pipeline = new PipelinedCommitter(sink)) {
                ByteString request = DeliverRequest.newBuilder().setChannelId(sink.channelId()).setStartNumber(from).build()
                        .toByteString();
                clients.apply(endpoint).serverStream(OrdererMethodNames.DELIVER, request, Duration.ofDays(3650))
                        .subscribe(new Subscriber(pipeline, done));
                done.get();
                if (running) {
                    LOG.info("deliver stream of {} from {} ended; resuming from {}", sink.channelId(), endpoint, sink.height());
                }
            } catch (ExecutionException e) {
                if (running) {
                    LOG.warn("deliver of {} from {} failed at height {}: {}; failing over", sink.channelId(), endpoint,
                            sink.height(), e.getCause().toString());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.warn("deliver of {} from {} could not start: {}", sink.channelId(), endpoint, e.toString());
            }
            current = null;
            currentEndpoint = null;
            if (!running || generation != mine) {
                break;
            }
            index++;
            failovers.incrementAndGet();
            try {
                Thread.sleep(retryDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    private final class Subscriber implements Flow.Subscriber<ByteString> {
        private final PipelinedCommitter pipeline;
        private final CompletableFuture<Void> done;
        private Flow.Subscription subscription;

        Subscriber(PipelinedCommitter pipeline, CompletableFuture<Void> done) {
            this.pipeline = pipeline;
            this.done = done;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            current = subscription;
            if (!running) {
                subscription.cancel();
                return;
            }
            subscription.request(IN_FLIGHT);
        }

        @Override
        public void onNext(ByteString item) {
            if (done.isDone()) {
                return;
            }
            blocksReceived.incrementAndGet();
            Block block;
            try {
                block = Block.parseFrom(item);
            } catch (InvalidProtocolBufferException e) {
                subscription.cancel();
                done.completeExceptionally(new IllegalStateException("the orderer sent a malformed block", e));
                return;
            }
            pipeline.submit(block).whenComplete((result, error) -> {
                if (error != null) {
                    subscription.cancel();
                    done.completeExceptionally(error);
                } else {
                    subscription.request(1);
                }
            });
        }

        @Override
        public void onError(Throwable throwable) {
            pipeline.whenIdle(e -> done.completeExceptionally(throwable));
        }

        @Override
        public void onComplete() {
            pipeline.whenIdle(e -> {
                if (e != null) {
                    done.completeExceptionally(e);
                } else {
                    done.complete(null);
                }
            });
        }
    }
}
