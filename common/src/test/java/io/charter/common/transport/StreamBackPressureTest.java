package io.charter.common.transport;

import static io.charter.common.transport.TransportTestSupport.ANYONE;

import static io.charter.common.transport.TransportTestSupport.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import io.charter.common.transport.frame.FrameEncoder;
import io.charter.common.transport.frame.Frames;
import io.charter.protocol.Frame;
import io.charter.protocol.FrameKind;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Server streams to consumers slower than the producer. Memory is bounded when the producer is
 * never more than the credit window ahead of what the consumer has finished with, and when the
 * bytes queued toward a connection never exceed the high water mark by more than one frame. Both
 * are counted at every send, so the assertions hold on any machine, however loaded.
 */
class StreamBackPressureTest {

    /** A TLS record's largest plaintext plus generous room for its header, tag and padding. */
    private static final int TLS_RECORD_BYTES = 16 * 1024 + 512;

    private final TransportTestSupport network = new TransportTestSupport();

    /** Produces {@code total} items, sending only while the sink is ready, and records how far ahead it got. */
    private static final class CountingProducer implements Runnable {
        private final StreamSink sink;
        private final long total;
        private final int itemBytes;
        private final AtomicLong consumed;
        final AtomicLong maxAhead = new AtomicLong();
        final AtomicLong maxPendingBytes = new AtomicLong();
        final AtomicLong pauses = new AtomicLong();
        final CountDownLatch paused = new CountDownLatch(1);
        private long next;

        CountingProducer(StreamSink sink, long total, int itemBytes, AtomicLong consumed) {
            this.sink = sink;
            this.total = total;
            this.itemBytes = itemBytes;
            this.consumed = consumed;
        }

        @Override
        public void run() {
            while (next < total && sink.isReady()) {
                byte[] item = new byte[itemBytes];
                java.nio.ByteBuffer.wrap(item).putLong(next);
                sink.send(ByteString.copyFrom(item));
                next++;
                maxAhead.accumulateAndGet(sink.itemsSent() - consumed.get(), Math::max);
                maxPendingBytes.accumulateAndGet(sink.pendingOutboundBytes(), Math::max);
            }
            if (next == total) {
                sink.complete();
            } else {
                pauses.incrementAndGet();
                paused.countDown();
                sink.onReady(this);
            }
        }
    }

    @Test
    void aSlowSubscriberOfOneHundredThousandItemsNeverHasMoreThanItsWindowProducedAheadOfIt() throws Exception {
        int window = 32;
        long total = 100_000;
        AtomicLong consumed = new AtomicLong();
        CompletableFuture<CountingProducer> producer = new CompletableFuture<>();
        TransportLimits limits = TransportLimits.defaults().withStreamWindow(window);
        try (TransportServer server = network.server(network.tls("Org1MSP", "peer0", Role.PEER)).limits(limits)
                     .serverStream("numbers", ANYONE, (call, request, sink) -> {
                         CountingProducer counting = new CountingProducer(sink, total, 16, consumed);
                         producer.complete(counting);
                         counting.run();
                     })
                     .build().start();
             TransportClient client = network.client(server, network.tls("Org2MSP", "peer0", Role.PEER)).limits(limits).connect()) {

            CompletableFuture<Long> done = new CompletableFuture<>();
            client.serverStream("numbers", ByteString.EMPTY, PATIENCE.multipliedBy(4)).subscribe(new Flow.Subscriber<>() {
                private Flow.Subscription subscription;

                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    this.subscription = subscription;
                    subscription.request(1);
                }

                @Override
                public void onNext(ByteString item) {
                    long index = item.asReadOnlyByteBuffer().getLong();
                    if (index != consumed.get()) {
                        done.completeExceptionally(new AssertionError("item " + index + " arrived as number " + consumed.get()));
                    }
                    if (index % 500 == 0) {
                        sleepQuietly(); // the slow part: the producer is always faster than this
                    }
                    consumed.incrementAndGet();
                    subscription.request(1);
                }

                @Override
                public void onError(Throwable throwable) {
                    done.completeExceptionally(throwable);
                }

                @Override
                public void onComplete() {
                    done.complete(consumed.get());
                }
            });

            assertThat(done.get(PATIENCE.toSeconds() * 4, TimeUnit.SECONDS)).isEqualTo(total);
            CountingProducer counting = producer.join();
            assertThat(counting.maxAhead.get()).as("items produced ahead of the consumer").isLessThanOrEqualTo(window);
            assertThat(counting.pauses.get()).as("the producer had to wait for credit").isPositive();
            assertThat(counting.maxPendingBytes.get()).isLessThanOrEqualTo(limits.writeBufferHighWaterMark() + TLS_RECORD_BYTES);
        }
    }

    @Test
    void aClientThatStopsReadingStallsTheProducerAtTheHighWaterMarkAndItResumesWhenTheClientReads() throws Exception {
        long total = 100_000;
        int itemBytes = 256;
        CompletableFuture<CountingProducer> producer = new CompletableFuture<>();
        TransportLimits limits = TransportLimits.defaults();
        TlsCredentialsHolder client = new TlsCredentialsHolder(network.tls("Org2MSP", "peer0", Role.PEER));
        try (TransportServer server = network.server(network.tls("Org1MSP", "peer0", Role.PEER)).limits(limits)
                     .serverStream("blobs", ANYONE, (call, request, sink) -> {
                         CountingProducer counting = new CountingProducer(sink, total, itemBytes, new AtomicLong());
                         producer.complete(counting);
                         counting.run();
                     })
                     .build().start();
             SSLSocket socket = TransportTestSupport.rawTlsSocket(server.port(), client.credentials())) {

            // Credit for everything: only the connection's writability can hold the producer back.
            TransportTestSupport.writeFrame(socket.getOutputStream(),
                    Frames.request(1, "blobs", ByteString.EMPTY, 0, Integer.MAX_VALUE));
            CountingProducer counting = producer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(counting.paused.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the producer paused").isTrue();

            // The high water mark, plus the frame sent while just below it, plus one TLS record: the
            // TLS layer encrypts up to 16 KiB at a time and can count a record's plaintext and
            // ciphertext together for a moment. Without back-pressure this would reach megabytes.
            int frameBytes = FrameEncoder.encodedSize(Frames.streamItem(1, ByteString.copyFrom(new byte[itemBytes])));
            long bound = limits.writeBufferHighWaterMark() + frameBytes + TLS_RECORD_BYTES;
            assertThat(counting.maxPendingBytes.get()).as("bytes queued toward the connection").isLessThanOrEqualTo(bound);

            InputStream in = socket.getInputStream();
            long items = 0;
            Frame frame = TransportTestSupport.readFrame(in).orElseThrow();
            while (frame.getKind() == FrameKind.FRAME_KIND_STREAM_ITEM) {
                assertThat(frame.getBody().asReadOnlyByteBuffer().getLong()).isEqualTo(items);
                items++;
                frame = TransportTestSupport.readFrame(in).orElseThrow();
            }
            assertThat(frame.getKind()).isEqualTo(FrameKind.FRAME_KIND_STREAM_END);
            assertThat(items).isEqualTo(total);
            assertThat(counting.maxPendingBytes.get()).as("bytes queued toward the connection").isLessThanOrEqualTo(bound);
        }
    }

    private record TlsCredentialsHolder(io.charter.common.transport.tls.TlsCredentials credentials) {}

    private static void sleepQuietly() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
