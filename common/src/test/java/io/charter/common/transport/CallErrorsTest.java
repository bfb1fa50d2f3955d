package io.charter.common.transport;

import static io.charter.common.transport.TransportTestSupport.ANYONE;

import static io.charter.common.transport.TransportTestSupport.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CallErrorsTest {

    private final TransportTestSupport network = new TransportTestSupport();
    private final CountDownLatch neverAnsweredCallCancelled = new CountDownLatch(1);
    private final AtomicBoolean neverAnsweredCallStarted = new AtomicBoolean();
    private TransportServer server;
    private TransportClient client;

    @BeforeEach
    void start() {
        server = network.server(network.tls("Org1MSP", "peer0", Role.PEER))
                .limits(TransportLimits.defaults().withMaxFrameBytes(64 * 1024))
                .unary("echo", ANYONE, (call, request) -> CompletableFuture.completedFuture(request))
                .unary("explode", ANYONE, (call, request) -> {
                    throw new IllegalStateException("secret internal detail");
                })
                .unary("deny", ANYONE, (call, request) -> CompletableFuture.failedFuture(
                        new TransportException(ErrorCode.PERMISSION_DENIED, "Org2MSP.peer may not deny")))
                .unary("refuse", ANYONE, (call, request) -> {
                    throw TransportException.withReason(ErrorCode.PERMISSION_DENIED, "NOT_ADMIN", "only admins refuse");
                })
                .unary("never", ANYONE, (call, request) -> {
                    neverAnsweredCallStarted.set(true);
                    call.onCancel(neverAnsweredCallCancelled::countDown);
                    return new CompletableFuture<>();
                })
                .unary("huge", ANYONE, (call, request) -> CompletableFuture.completedFuture(ByteString.copyFrom(new byte[100 * 1024])))
                .serverStream("failingStream", ANYONE, (call, request, sink) -> {
                    sink.send(ByteString.copyFromUtf8("one"));
                    throw new TransportException(ErrorCode.INVALID_ARGUMENT, "no second item");
                })
                .build().start();
        client = network.client(server, network.tls("Org2MSP", "peer0", Role.PEER))
                .limits(TransportLimits.defaults().withMaxFrameBytes(64 * 1024)).connect();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private TransportException failure(String method, Duration deadline) {
        CompletableFuture<ByteString> call = client.call(method, ByteString.copyFromUtf8("x"), deadline);
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertThat(failure.getCause()).isInstanceOf(TransportException.class);
        return (TransportException) failure.getCause();
    }

    private void connectionStillServes() throws Exception {
        assertThat(client.call("echo", ByteString.copyFromUtf8("still here"), PATIENCE)
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS).toStringUtf8()).isEqualTo("still here");
        assertThat(client.connectionsOpened()).isEqualTo(1);
    }

    @Test
    void anUnknownMethodIsAnsweredWithUnknownMethod() throws Exception {
        TransportException failure = failure("no/such/method", PATIENCE);

        assertThat(failure.code()).isEqualTo(ErrorCode.UNKNOWN_METHOD);
        assertThat(failure.detail()).contains("no/such/method");
        connectionStillServes();
    }

    @Test
    void aHandlerThatThrowsIsAnsweredWithInternalWithoutLeakingItsMessageAndTheConnectionSurvives() throws Exception {
        TransportException failure = failure("explode", PATIENCE);

        assertThat(failure.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(failure.detail()).contains("explode").doesNotContain("secret");
        connectionStillServes();
    }

    @Test
    void aHandlerFailingWithItsOwnCodeIsAnsweredWithThatCode() throws Exception {
        TransportException failure = failure("deny", PATIENCE);

        assertThat(failure.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(failure.detail()).isEqualTo("Org2MSP.peer may not deny");
        assertThat(failure.reason()).isEmpty();
        connectionStillServes();
    }

    @Test
    void aHandlersOwnRefusalCodeReachesTheCallerBesideTheMessage() throws Exception {
        TransportException failure = failure("refuse", PATIENCE);

        assertThat(failure.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(failure.reason()).contains("NOT_ADMIN");
        assertThat(failure.detail()).isEqualTo("only admins refuse");
        connectionStillServes();
    }

    @Test
    void aCallPastItsDeadlineFailsWithDeadlineExceededAndTheServerStopsWorkingOnIt() throws Exception {
        TransportException failure = failure("never", Duration.ofMillis(200));

        assertThat(failure.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        // On a busy machine the deadline can pass while the call still waits for a handler thread: the server
        // then never starts it, which is stopping work too. A handler that did start must see the cancellation.
        boolean cancelled = neverAnsweredCallCancelled.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(cancelled || !neverAnsweredCallStarted.get())
                .as("a started handler past its deadline is cancelled").isTrue();
        connectionStillServes();
    }

    @Test
    void anAnswerLargerThanAFrameIsAnsweredWithResourceExhausted() throws Exception {
        assertThat(failure("huge", PATIENCE).code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        connectionStillServes();
    }

    @Test
    void aRequestLargerThanAFrameFailsBeforeItIsSent() throws Exception {
        CompletableFuture<ByteString> call = client.call("echo", ByteString.copyFrom(new byte[100 * 1024]), PATIENCE);

        assertThat(call).failsWithin(PATIENCE).withThrowableThat()
                .havingCause().isInstanceOfSatisfying(TransportException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED));
        connectionStillServes();
    }

    @Test
    void aStreamHandlerFailingWithItsOwnCodeEndsTheStreamWithThatCode() throws Exception {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        List<String> items = new java.util.concurrent.CopyOnWriteArrayList<>();
        client.serverStream("failingStream", ByteString.EMPTY, PATIENCE).subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteString item) {
                items.add(item.toStringUtf8());
            }

            @Override
            public void onError(Throwable throwable) {
                ended.complete(throwable);
            }

            @Override
            public void onComplete() {
                ended.complete(null);
            }
        });

        Throwable failure = ended.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(failure).isInstanceOfSatisfying(TransportException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(items).containsExactly("one");
        connectionStillServes();
    }

    @Test
    void theItemsSentBeforeAStreamFailedReachASlowSubscriberBeforeTheFailure() throws Exception {
        CompletableFuture<Flow.Subscription> subscribed = new CompletableFuture<>();
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        List<String> signals = new java.util.concurrent.CopyOnWriteArrayList<>();
        client.serverStream("failingStream", ByteString.EMPTY, PATIENCE).subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscribed.complete(subscription); // requests nothing yet: the item and the error both arrive first
            }

            @Override
            public void onNext(ByteString item) {
                signals.add(item.toStringUtf8());
            }

            @Override
            public void onError(Throwable throwable) {
                signals.add("error");
                ended.complete(throwable);
            }

            @Override
            public void onComplete() {
                ended.complete(null);
            }
        });
        Flow.Subscription subscription = subscribed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        Thread.sleep(500);
        subscription.request(Long.MAX_VALUE);

        assertThat(ended.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(TransportException.class);
        assertThat(signals).containsExactly("one", "error");
    }
}
