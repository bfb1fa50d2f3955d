package io.charter.orderer.service;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.protocol.OrdererMethodNames;
import io.charter.common.transport.TransportClient;
import io.charter.protocol.Block;
import io.charter.protocol.DeliverRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/** Collects a deliver stream in tests. */
final class Streams {

    private Streams() {}

    static Collector deliver(TransportClient client, String channel, long start, Long stop, int cancelAfter) {
        DeliverRequest.Builder request = DeliverRequest.newBuilder().setChannelId(channel).setStartNumber(start);
        if (stop != null) {
            request.setStopNumber(stop);
        }
        Collector collector = new Collector(cancelAfter);
        client.serverStream(OrdererMethodNames.DELIVER, request.build().toByteString(), Duration.ofSeconds(60))
                .subscribe(collector);
        return collector;
    }

    static final class Collector implements Flow.Subscriber<ByteString> {
        final List<ByteString> items = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<List<ByteString>> done = new CompletableFuture<>();
        private final int cancelAfter;
        private Flow.Subscription subscription;

        Collector(int cancelAfter) {
            this.cancelAfter = cancelAfter;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ByteString item) {
            items.add(item);
            if (items.size() == cancelAfter) {
                subscription.cancel();
                done.complete(List.copyOf(items));
            }
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            done.complete(List.copyOf(items));
        }

        List<Block> blocks() {
            synchronized (items) {
                return items.stream().map(Streams::block).toList();
            }
        }
    }

    static Block block(ByteString bytes) {
        try {
            return Block.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
