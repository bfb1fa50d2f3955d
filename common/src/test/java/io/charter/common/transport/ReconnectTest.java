package io.charter.common.transport;

import static io.charter.common.transport.TransportTestSupport.ANYONE;

import static io.charter.common.transport.TransportTestSupport.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import io.charter.common.transport.tls.TlsCredentials;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReconnectTest {

    private final TransportTestSupport network = new TransportTestSupport();
    private final TlsCredentials serverCredentials = network.tls("Org1MSP", "peer0", Role.PEER);
    private final CountDownLatch slowCallStarted = new CountDownLatch(1);

    private TransportServer startServer(int port) {
        return TransportServer.builder(serverCredentials, network.trust).bind(TransportTestSupport.LOOPBACK, port).ioThreads(1)
                .unary("echo", ANYONE, (call, request) -> CompletableFuture.completedFuture(request))
                .unary("slow", ANYONE, (call, request) -> {
                    slowCallStarted.countDown();
                    return new CompletableFuture<>();
                })
                .build().start();
    }

    @Test
    void callsInFlightFailWithUnavailableWhenTheServerGoesAndTheClientReconnectsWhenItComesBack() throws Exception {
        TransportServer server = startServer(0);
        int port = server.port();
        ReconnectBackoff quick = new ReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(500), 2.0, 0.2);
        try (TransportClient client = TransportClient.builder(TransportTestSupport.LOOPBACK, port,
                network.tls("Org2MSP", "peer0", Role.PEER), network.trust).backoff(quick).connect()) {
            assertThat(echo(client)).isEqualTo("ping");
            CompletableFuture<ByteString> inFlight = client.call("slow", ByteString.EMPTY, PATIENCE);
            assertThat(slowCallStarted.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

            server.close(Duration.ofMillis(50));

            assertThat(inFlight).failsWithin(PATIENCE).withThrowableThat().havingCause()
                    .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));

            try (TransportServer restarted = startServer(port)) {
                assertThat(eventuallyEcho(client)).isEqualTo("ping");
                assertThat(client.connectionsOpened()).isEqualTo(2);
                assertThat(restarted.connectionCount()).isEqualTo(1);
            }
        }
    }

    private static String echo(TransportClient client) throws Exception {
        return client.call("echo", ByteString.copyFromUtf8("ping"), PATIENCE).get(PATIENCE.toSeconds(), TimeUnit.SECONDS).toStringUtf8();
    }

    /** Calls fail fast while the client backs off; retry (bounded) until the reconnection is made. */
    private static String eventuallyEcho(TransportClient client) throws Exception {
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                return echo(client);
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOfSatisfying(TransportException.class,
                        failure -> assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE));
                if (System.nanoTime() > giveUp) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
