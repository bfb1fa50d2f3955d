package io.charter.common.transport;

import static io.charter.common.transport.TransportTestSupport.ANYONE;

import static io.charter.common.transport.TransportTestSupport.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MultiplexingTest {

    private final TransportTestSupport network = new TransportTestSupport();

    @Test
    void tenThousandConcurrentRequestsOnOneConnectionEachGetTheirOwnAnswer() throws Exception {
        try (TransportServer server = network.server(network.tls("Org1MSP", "peer0", Role.PEER))
                     .unary("echo", ANYONE, (call, request) -> CompletableFuture.completedFuture(
                             ByteString.copyFromUtf8("echo:").concat(request)))
                     .build().start();
             TransportClient client = network.client(server, network.tls("Org2MSP", "peer0", Role.PEER)).connect()) {

            int count = 10_000;
            List<CompletableFuture<ByteString>> answers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                answers.add(client.call("echo", ByteString.copyFromUtf8("request-" + i), PATIENCE));
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(PATIENCE.toSeconds() * 2, TimeUnit.SECONDS);

            for (int i = 0; i < count; i++) {
                assertThat(answers.get(i).join().toStringUtf8()).isEqualTo("echo:request-" + i);
            }
            assertThat(client.connectionsOpened()).isEqualTo(1);
            assertThat(server.connectionCount()).isEqualTo(1);
        }
    }
}
