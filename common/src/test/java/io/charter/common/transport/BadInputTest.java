package io.charter.common.transport;

import static io.charter.common.transport.TransportTestSupport.ANYONE;

import static io.charter.common.transport.TransportTestSupport.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import io.charter.common.transport.frame.FrameDecoder;
import io.charter.common.transport.frame.Frames;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.protocol.Frame;
import io.charter.protocol.FrameKind;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Bytes that are not frames, sent over a real TLS connection with a valid client certificate (and
 * once without TLS at all): the sender gets an ERROR frame or a closed connection, the server logs
 * why, and a well-behaved client keeps being served all along.
 */
class BadInputTest {

    private final TransportTestSupport network = new TransportTestSupport();
    private final TlsCredentials badClient = network.tls("Org2MSP", "mallory", Role.CLIENT);
    private final ListAppender<ILoggingEvent> serverLog = new ListAppender<>();
    private final AtomicBoolean keepCalling = new AtomicBoolean(true);
    private final AtomicLong steadySuccesses = new AtomicLong();
    private final AtomicLong steadyFailures = new AtomicLong();
    private TransportServer server;
    private TransportClient wellBehaved;
    private Thread steadyCaller;

    @BeforeEach
    void start() {
        ((Logger) LoggerFactory.getLogger(ServerConnection.class)).addAppender(serverLog);
        serverLog.start();
        server = network.server(network.tls("Org1MSP", "peer0", Role.PEER))
                .unary("echo", ANYONE, (call, request) -> CompletableFuture.completedFuture(request))
                .build().start();
        wellBehaved = network.client(server, network.tls("Org2MSP", "peer0", Role.PEER)).connect();
        steadyCaller = Thread.ofVirtual().start(() -> {
            while (keepCalling.get()) {
                try {
                    wellBehaved.call("echo", ByteString.copyFromUtf8("steady"), PATIENCE).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    steadySuccesses.incrementAndGet();
                } catch (Exception e) {
                    steadyFailures.incrementAndGet();
                }
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        keepCalling.set(false);
        steadyCaller.join(PATIENCE.toMillis());
        try {
            assertThat(steadyFailures).as("calls of the well-behaved client that failed meanwhile").hasValue(0);
            assertThat(steadySuccesses.get()).isPositive();
            assertThat(wellBehaved.call("echo", ByteString.copyFromUtf8("after"), PATIENCE)
                    .get(PATIENCE.toSeconds(), TimeUnit.SECONDS).toStringUtf8()).isEqualTo("after");
            assertThat(wellBehaved.connectionsOpened()).isEqualTo(1);
        } finally {
            ((Logger) LoggerFactory.getLogger(ServerConnection.class)).detachAppender(serverLog);
            wellBehaved.close();
            server.close();
        }
    }

    @Test
    void garbageInsideASoundLengthPrefixIsAnsweredWithMalformedFrameAndTheSameConnectionGoesOn() throws Exception {
        try (SSLSocket socket = TransportTestSupport.rawTlsSocket(server.port(), badClient)) {
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0, 0, 0, 5, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            out.flush();

            Frame error = TransportTestSupport.readFrame(socket.getInputStream()).orElseThrow();
            assertThat(error.getKind()).isEqualTo(FrameKind.FRAME_KIND_ERROR);
            assertThat(ErrorCode.fromWire(error.getError().getCode())).isEqualTo(ErrorCode.MALFORMED_FRAME);
            assertThat(error.getError().getMessage()).contains("not a protobuf Frame");

            TransportTestSupport.writeFrame(out, Frames.request(1, "echo", ByteString.copyFromUtf8("sane again"), 10_000, 0));
            Frame response = TransportTestSupport.readFrame(socket.getInputStream()).orElseThrow();
            assertThat(response.getKind()).isEqualTo(FrameKind.FRAME_KIND_RESPONSE);
            assertThat(response.getBody().toStringUtf8()).isEqualTo("sane again");
        }
    }

    @Test
    void garbageBytesAreAnsweredWithAnErrorFrameThenTheConnectionIsClosed() throws Exception {
        try (SSLSocket socket = TransportTestSupport.rawTlsSocket(server.port(), badClient)) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: peer0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            Frame error = TransportTestSupport.readFrame(socket.getInputStream()).orElseThrow();
            assertThat(error.getKind()).isEqualTo(FrameKind.FRAME_KIND_ERROR);
            // "GET " read as a length is about 1.2 GB.
            assertThat(ErrorCode.fromWire(error.getError().getCode())).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(TransportTestSupport.closedByPeer(socket)).isTrue();
        }
        awaitWarning("framing error");
    }

    @Test
    void anOversizedFrameIsRefusedFromItsLengthPrefixAndTheConnectionIsClosed() throws Exception {
        try (SSLSocket socket = TransportTestSupport.rawTlsSocket(server.port(), badClient)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(FrameDecoder.DEFAULT_MAX_FRAME_BYTES + 1);
            out.write(new byte[1024]);
            out.flush();

            Frame error = TransportTestSupport.readFrame(socket.getInputStream()).orElseThrow();
            assertThat(ErrorCode.fromWire(error.getError().getCode())).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(error.getError().getMessage()).contains(String.valueOf(FrameDecoder.DEFAULT_MAX_FRAME_BYTES + 1));
            assertThat(TransportTestSupport.closedByPeer(socket)).isTrue();
        }
        awaitWarning("FRAME_TOO_LARGE");
    }

    @Test
    void aConnectionClosedInTheMiddleOfAFrameIsLoggedAsATruncatedFrame() throws Exception {
        try (SSLSocket socket = TransportTestSupport.rawTlsSocket(server.port(), badClient)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(100);
            out.write(new byte[10]);
            out.flush();
        }
        awaitWarning("closed in the middle of a frame");
    }

    @Test
    void plainTcpGarbageWhereTlsIsExpectedIsRefusedCleanly() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(TransportTestSupport.LOOPBACK, server.port()), (int) PATIENCE.toMillis());
            socket.setSoTimeout((int) PATIENCE.toMillis());
            socket.getOutputStream().write("hello, is this a blockchain?\r\n".repeat(20).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            assertThat(TransportTestSupport.closedByPeer(socket)).isTrue();
        }
        awaitLog(Level.INFO, "refused TLS connection");
    }

    private void awaitWarning(String text) throws InterruptedException {
        awaitLog(Level.WARN, text);
    }

    private void awaitLog(Level level, String text) throws InterruptedException {
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < giveUp) {
            for (ILoggingEvent event : serverLog.list.toArray(ILoggingEvent[]::new)) {
                if (event.getLevel() == level && event.getFormattedMessage().contains(text)) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        assertThat(serverLog.list).as("server log").anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(level);
            assertThat(event.getFormattedMessage()).contains(text);
        });
    }
}
