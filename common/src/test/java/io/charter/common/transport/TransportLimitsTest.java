package io.charter.common.transport;

import static io.charter.common.transport.TransportTestSupport.ANYONE;
import static io.charter.common.transport.TransportTestSupport.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import io.charter.common.testing.Await;
import io.charter.common.transport.frame.Frames;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.protocol.Frame;
import io.charter.protocol.FrameKind;
import java.io.DataOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What one caller holding a valid certificate can make a server hold is bounded: connections (in
 * total and per identity), idle connections, frames that never finish, bytes of frames in flight,
 * calls that never end, and streams. Each refusal is counted by reason. The tests print what they saw
 * (connections, bytes held) next to the bound they check.
 */
class TransportLimitsTest {

    private final TransportTestSupport network = new TransportTestSupport();
    private final TlsCredentials mallory = network.tls("Org2MSP", "mallory", Role.CLIENT);
    private final List<AutoCloseable> open = new ArrayList<>();
    private TransportServer server;

    private TransportServer start(TransportLimits limits) {
        server = network.server(network.tls("Org1MSP", "peer0", Role.PEER))
                .limits(limits)
                .unary("echo", ANYONE, (call, request) -> CompletableFuture.completedFuture(request))
                .unary("never", ANYONE, (call, request) -> new CompletableFuture<>())
                .serverStream("forever", ANYONE, (call, request, sink) -> { })
                .build().start();
        open.add(server);
        return server;
    }

    private SSLSocket socket(TlsCredentials as) throws Exception {
        SSLSocket socket = TransportTestSupport.rawTlsSocket(server.port(), as);
        open.add(socket);
        return socket;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
    }

    @Test
    void oneIdentityHoldsAtMostItsShareOfConnectionsAndTheRestAreRefusedAndCounted() throws Exception {
        start(TransportLimits.defaults().withConnectionCaps(50, 3));
        List<SSLSocket> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SSLSocket socket = socket(mallory);
            TransportTestSupport.writeFrame(socket.getOutputStream(), Frames.request(1, "echo", ByteString.EMPTY, 10_000, 0));
            assertThat(TransportTestSupport.readFrame(socket.getInputStream()).orElseThrow().getKind())
                    .isEqualTo(FrameKind.FRAME_KIND_RESPONSE);
            held.add(socket);
        }
        SSLSocket fourth = socket(mallory);
        Frame refusal = TransportTestSupport.readFrame(fourth.getInputStream()).orElseThrow();
        assertThat(ErrorCode.fromWire(refusal.getError().getCode())).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(refusal.getError().getMessage()).contains("client mallory of Org2MSP holds 3 connections");
        assertThat(TransportTestSupport.closedByPeer(fourth)).isTrue();
        assertThat(server.refusals().total(TransportRefusals.Reason.CONNECTIONS_PER_IDENTITY)).isEqualTo(1);

        // another identity is not affected, and a connection closed frees its place
        SSLSocket other = socket(network.tls("Org2MSP", "bob", Role.CLIENT));
        TransportTestSupport.writeFrame(other.getOutputStream(), Frames.request(1, "echo", ByteString.EMPTY, 10_000, 0));
        assertThat(TransportTestSupport.readFrame(other.getInputStream()).orElseThrow().getKind())
                .isEqualTo(FrameKind.FRAME_KIND_RESPONSE);
        held.getFirst().close();
        Await.until("3 connections", () -> server.connectionCount() == 3, PATIENCE);
        SSLSocket again = socket(mallory);
        TransportTestSupport.writeFrame(again.getOutputStream(), Frames.request(1, "echo", ByteString.EMPTY, 10_000, 0));
        assertThat(TransportTestSupport.readFrame(again.getInputStream()).orElseThrow().getKind())
                .isEqualTo(FrameKind.FRAME_KIND_RESPONSE);
        System.out.printf("per-identity cap 3: server held %d connections, refused %d%n", server.connectionCount(),
                server.refusals().total(TransportRefusals.Reason.CONNECTIONS_PER_IDENTITY));
    }

    @Test
    void theServerHoldsAtMostItsTotalOfConnectionsRefusingMoreBeforeTheirHandshake() throws Exception {
        start(TransportLimits.defaults().withConnectionCaps(2, 16));
        socket(mallory);
        socket(network.tls("Org2MSP", "bob", Role.CLIENT));
        Await.until("2 connections", () -> server.connectionCount() == 2, PATIENCE);
        assertThatThrownBy(() -> socket(network.tls("Org1MSP", "carol", Role.CLIENT))).isInstanceOf(java.io.IOException.class);
        assertThat(server.connectionCount()).isEqualTo(2);
        assertThat(server.refusals().total(TransportRefusals.Reason.CONNECTIONS_TOTAL)).isEqualTo(1);
        System.out.printf("total cap 2: server held %d connections%n", server.connectionCount());
    }

    @Test
    void anIdleConnectionIsClosedButOneWithACallInFlightIsNot() throws Exception {
        start(TransportLimits.defaults().withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(10), Duration.ofSeconds(30)));
        SSLSocket idle = socket(mallory);
        SSLSocket busy = socket(network.tls("Org2MSP", "bob", Role.CLIENT));
        TransportTestSupport.writeFrame(busy.getOutputStream(), Frames.request(1, "forever", ByteString.EMPTY, 0, 1));
        assertThat(TransportTestSupport.closedByPeer(idle)).isTrue();
        assertThat(server.refusals().total(TransportRefusals.Reason.IDLE)).isEqualTo(1);
        Await.until("1 connection", () -> server.connectionCount() == 1, PATIENCE);
    }

    @Test
    void aFrameThatDoesNotFinishArrivingInTimeClosesItsConnectionAndFreesItsBytes() throws Exception {
        start(TransportLimits.defaults().withTimeouts(Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofMillis(400)));
        SSLSocket slow = socket(mallory);
        DataOutputStream out = new DataOutputStream(slow.getOutputStream());
        out.writeInt(15 * 1024 * 1024);
        out.write(new byte[64 * 1024]);
        out.flush();
        Await.until("15 MiB of frames in flight", () -> server.framesInFlightBytes() == 15 * 1024 * 1024, PATIENCE);
        System.out.printf("frame of 15 MiB in progress: %d bytes set aside%n", server.framesInFlightBytes());
        Frame error = TransportTestSupport.readFrame(slow.getInputStream()).orElseThrow();
        assertThat(ErrorCode.fromWire(error.getError().getCode())).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        assertThat(error.getError().getMessage()).contains("a frame took longer than 400 ms");
        assertThat(TransportTestSupport.closedByPeer(slow)).isTrue();
        Await.until("no frames in flight", () -> server.framesInFlightBytes() == 0, PATIENCE);
        assertThat(server.refusals().total(TransportRefusals.Reason.FRAME_DEADLINE)).isEqualTo(1);
    }

    @Test
    void framesInFlightAcrossConnectionsStayWithinTheBudget() throws Exception {
        int frame = 1024 * 1024;
        start(TransportLimits.defaults().withMaxFrameBytes(frame).withInFlightFrameBudgetBytes(3L * frame));
        List<SSLSocket> senders = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 8; i++) {
            SSLSocket socket = socket(network.tls("Org2MSP", "mallory" + i, Role.CLIENT));
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(frame - 1);
            out.write(new byte[1024]);
            out.flush();
            senders.add(socket);
        }
        for (SSLSocket socket : senders.subList(3, 8)) {
            Frame error = TransportTestSupport.readFrame(socket.getInputStream()).orElseThrow();
            assertThat(ErrorCode.fromWire(error.getError().getCode())).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
            assertThat(error.getError().getMessage()).contains("does not fit in its budget");
            refused++;
        }
        System.out.printf("8 connections each starting a frame of 1 MiB, budget 3 MiB: %d bytes set aside, %d refused%n",
                server.framesInFlightBytes(), refused);
        assertThat(server.framesInFlightBytes()).isLessThanOrEqualTo(3L * frame);
        assertThat(server.refusals().total(TransportRefusals.Reason.FRAME_BUDGET)).isEqualTo(5);
        for (SSLSocket socket : senders) {
            socket.close();
        }
        Await.until("no frames in flight", () -> server.framesInFlightBytes() == 0, PATIENCE);
    }

    @Test
    void aUnaryCallWithoutADeadlineGetsTheServersDefaultAndALongOneTheServersMaximum() throws Exception {
        start(TransportLimits.defaults().withDeadlines(Duration.ofMillis(300), Duration.ofMillis(600)));
        SSLSocket socket = socket(mallory);
        TransportTestSupport.writeFrame(socket.getOutputStream(), Frames.request(1, "never", ByteString.EMPTY, 0, 0));
        TransportTestSupport.writeFrame(socket.getOutputStream(),
                Frames.request(2, "never", ByteString.EMPTY, Duration.ofDays(1).toMillis(), 0));
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Frame error = TransportTestSupport.readFrame(socket.getInputStream()).orElseThrow();
            assertThat(ErrorCode.fromWire(error.getError().getCode())).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
            messages.add(error.getRequestId() + ": " + error.getError().getMessage());
        }
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("1: the deadline of 300 ms"))
                .anySatisfy(m -> assertThat(m).startsWith("2: the deadline of 600 ms"));
    }

    @Test
    void streamsPerConnectionAreCapped() throws Exception {
        start(TransportLimits.defaults().withMaxStreamsPerConnection(2));
        SSLSocket socket = socket(mallory);
        for (int id = 1; id <= 3; id++) {
            TransportTestSupport.writeFrame(socket.getOutputStream(), Frames.request(id, "forever", ByteString.EMPTY, 0, 1));
        }
        Frame error = TransportTestSupport.readFrame(socket.getInputStream()).orElseThrow();
        assertThat(error.getRequestId()).isEqualTo(3);
        assertThat(ErrorCode.fromWire(error.getError().getCode())).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(error.getError().getMessage()).contains("2 streams");
        // a unary call still goes through on the same connection
        TransportTestSupport.writeFrame(socket.getOutputStream(), Frames.request(4, "echo", ByteString.EMPTY, 10_000, 0));
        assertThat(TransportTestSupport.readFrame(socket.getInputStream()).orElseThrow().getRequestId()).isEqualTo(4);
        assertThat(server.refusals().total(TransportRefusals.Reason.STREAMS_PER_CONNECTION)).isEqualTo(1);
    }

}
