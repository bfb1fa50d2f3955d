package io.charter.common.testing;

import com.google.protobuf.ByteString;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/** Calls over a real transport client for tests that look at how a call ended rather than at what it returned. */
public final class TransportCalls {

    private TransportCalls() {}

    /**
     * How a call of {@code method} ended: the transport's failure, or empty when it was answered (a unary call)
     * or completed (a stream, read to its end).
     */
    public static Optional<Throwable> failure(TransportClient client, String method, ByteString body, boolean stream,
            Duration deadline) throws Exception {
        if (!stream) {
            try {
                client.call(method, body, deadline).get(deadline.toSeconds() + 30, TimeUnit.SECONDS);
                return Optional.empty();
            } catch (ExecutionException e) {
                return Optional.of(e.getCause());
            }
        }
        CompletableFuture<Optional<Throwable>> ended = new CompletableFuture<>();
        client.serverStream(method, body, deadline).subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteString item) {}

            @Override
            public void onError(Throwable throwable) {
                ended.complete(Optional.of(throwable));
            }

            @Override
            public void onComplete() {
                ended.complete(Optional.empty());
            }
        });
        return ended.get(deadline.toSeconds() + 30, TimeUnit.SECONDS);
    }

    /** The code and detail of a transport failure, "answered" when there was none, else the failure itself. */
    public static String describe(Optional<Throwable> failure) {
        return failure.map(f -> f instanceof TransportException refused ? refused.code() + " " + refused.detail()
                : f.toString()).orElse("answered");
    }
}
