package io.charter.common.transport;

import com.google.protobuf.ByteString;
import io.charter.common.transport.frame.FrameDecoder;
import io.charter.common.transport.frame.FrameEncoder;
import io.charter.common.transport.frame.Frames;
import io.charter.common.transport.tls.ExpectedServer;
import io.charter.common.transport.tls.TlsContexts;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.common.transport.tls.TlsTrust;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one server over ONE mutually authenticated TLS 1.3 connection that multiplexes every
 * call. The connection is opened when the client is built and re-opened with {@link
 * ReconnectBackoff exponential backoff} whenever it drops; calls in flight on a dropped connection
 * fail with {@link ErrorCode#UNAVAILABLE} (or {@link ErrorCode#UNAUTHENTICATED} when TLS refused
 * one side).
 *
 * <p>A call made while a connection attempt is under way waits for it (within its deadline); a call
 * made while the client waits out a backoff fails at once with {@code UNAVAILABLE}: callers decide
 * whether to retry, as with gRPC's fail-fast calls.
 *
 * <p>The server is authenticated by its certificate chain ending in a trusted root, and by
 * endpoint identification: its certificate must name {@code serverName} (by default the host
 * connected to) among its subject alternative names.
 *
 * <p>Unary futures complete on the client's network thread: chain blocking work with the
 * {@code *Async} methods. Stream subscribers are called on the callback executor.
 */
public final class TransportClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransportClient.class);

    private final String host;
    private final int port;
    private final String target;
    private final SslContext sslContext;
    private final String serverName;
    private final TransportLimits limits;
    private final ReconnectBackoff backoff;
    private final EventLoopGroup group;
    private final ExecutorService callbackExecutor;
    private final Bootstrap bootstrap;

    // guarded by this
    private ClientConnection current;
    private boolean connecting;
    private boolean closed;
    private final List<ClientCall> waitingForConnection = new ArrayList<>();
    private int failedAttempts;
    private String lastFailure = "not connected yet";
    private ErrorCode lastFailureCode = ErrorCode.UNAVAILABLE;
    private long connectionsOpened;
    private ScheduledFuture<?> reconnectTimer;

    private TransportClient(Builder builder) throws SSLException {
        this.host = builder.host;
        this.port = builder.port;
        this.target = host + ":" + port;
        this.serverName = builder.serverName == null ? host : builder.serverName;
        this.sslContext = TlsContexts.client(builder.credentials, builder.trust, serverName, builder.expectedServer);
        this.limits = builder.limits;
        this.backoff = builder.backoff;
        // One network thread: request ids, writes and deadline timers of a connection share it.
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.callbackExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("charter-client-callback-", 0).factory());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.MESSAGE_SIZE_ESTIMATOR, FrameSizeEstimator.INSTANCE)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) builder.connectTimeout.toMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new io.netty.channel.WriteBufferWaterMark(
                        limits.writeBufferLowWaterMark(), limits.writeBufferHighWaterMark()));
    }

    public static Builder builder(String host, int port, TlsCredentials credentials, TlsTrust trust) {
        return new Builder(host, port, credentials, trust);
    }

    /**
     * Calls {@code method} with {@code request}. The future fails with a {@link TransportException}:
     * {@code DEADLINE_EXCEEDED} when no answer came within {@code deadline} (the server is told to
     * stop), or the code the server answered with. Cancelling the future cancels the call.
     */
    public CompletableFuture<ByteString> call(String method, ByteString request, Duration deadline) {
        ClientUnaryCall call = new ClientUnaryCall(requireMethod(method), Objects.requireNonNull(request, "request"),
                deadlineMillis(deadline));
        dispatch(call);
        return call.future();
    }

    /**
     * A server stream of {@code method}. Each subscription makes its own call; items are delivered
     * as the subscriber requests them, with at most {@link TransportLimits#streamWindow()} buffered
     * on this side. The deadline bounds the whole stream. Cancelling the subscription cancels the
     * call on the server.
     */
    public Flow.Publisher<ByteString> serverStream(String method, ByteString request, Duration deadline) {
        String name = requireMethod(method);
        Objects.requireNonNull(request, "request");
        long millis = deadlineMillis(deadline);
        return subscriber -> {
            ClientStreamCall call = new ClientStreamCall(name, request, millis, Objects.requireNonNull(subscriber),
                    callbackExecutor, limits.streamWindow());
            subscriber.onSubscribe(call);
            dispatch(call);
        };
    }

    /** Whether a verified connection is open right now. */
    public synchronized boolean isConnected() {
        return current != null;
    }

    /** How many connections this client has opened (and verified) so far. */
    public synchronized long connectionsOpened() {
        return connectionsOpened;
    }

    private void dispatch(ClientCall call) {
        int size = Frames.request(Long.MAX_VALUE, call.method, call.request, Long.MAX_VALUE, call.initialCredit())
                .getSerializedSize();
        if (size > limits.maxFrameBytes()) {
            call.fail(ErrorCode.RESOURCE_EXHAUSTED, "the request of " + call.method + " is " + size
                    + " bytes, above the frame limit of " + limits.maxFrameBytes());
            return;
        }
        try {
            call.deadlineTimer(group.schedule(call::expire, Math.max(0, call.remainingNanos()), TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            call.fail(ErrorCode.UNAVAILABLE, "the client is closed");
            return;
        }
        ClientConnection connection;
        synchronized (this) {
            if (closed) {
                connection = null;
            } else if (current != null) {
                connection = current;
            } else if (connecting) {
                waitingForConnection.add(call);
                return;
            } else {
                call.fail(lastFailureCode, "not connected to " + target + " (reconnecting with backoff): " + lastFailure);
                return;
            }
        }
        if (connection == null) {
            call.fail(ErrorCode.UNAVAILABLE, "the client is closed");
        } else {
            connection.start(call);
        }
    }

    private void connect() {
        synchronized (this) {
            if (closed || connecting || current != null) {
                return;
            }
            connecting = true;
            reconnectTimer = null;
        }
        ChannelFuture connectFuture;
        try {
            connectFuture = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    ClientConnection connection = new ClientConnection(channel, target);
                    SslHandler tls = sslContext.newHandler(channel.alloc(), serverName, port);
                    channel.pipeline()
                            .addLast("tls", tls)
                            .addLast("flush", new FlushConsolidationHandler(256, true))
                            .addLast("decoder", new FrameDecoder(limits.maxFrameBytes()))
                            .addLast("encoder", new FrameEncoder())
                            .addLast("calls", connection);
                    tls.handshakeFuture().addListener(handshake -> {
                        if (handshake.isSuccess()) {
                            connected(connection);
                        } else {
                            connectFailed(handshake.cause());
                            channel.close();
                        }
                    });
                    // after the current event: a TLS alert that closes the channel (the server refused this client's
                    // certificate) is reported to the connection just after the close, and gives its calls their code
                    channel.closeFuture().addListener(closedFuture -> channel.eventLoop().execute(() -> disconnected(connection)));
                }
            }).connect(host, port);
        } catch (RuntimeException e) {
            connectFailed(e);
            return;
        }
        connectFuture.addListener(connected -> {
            if (!connected.isSuccess()) {
                connectFailed(connected.cause());
            }
        });
    }

    private void connected(ClientConnection connection) {
        List<ClientCall> waiting;
        synchronized (this) {
            connecting = false;
            if (closed) {
                connection.channel().close();
                return;
            }
            current = connection;
            failedAttempts = 0;
            connectionsOpened++;
            waiting = List.copyOf(waitingForConnection);
            waitingForConnection.clear();
        }
        log.debug("connected to {}", target);
        for (ClientCall call : waiting) {
            connection.start(call);
        }
    }

    private void connectFailed(Throwable cause) {
        List<ClientCall> waiting;
        ErrorCode code = ServerConnection.hasSslCause(cause) ? ErrorCode.UNAUTHENTICATED : ErrorCode.UNAVAILABLE;
        String message = "cannot connect to " + target + ": " + ServerConnection.rootMessage(cause);
        synchronized (this) {
            if (!connecting) {
                return; // the connect and the handshake both failed: report once
            }
            connecting = false;
            lastFailure = message;
            lastFailureCode = code;
            waiting = List.copyOf(waitingForConnection);
            waitingForConnection.clear();
        }
        log.debug("{}", message);
        for (ClientCall call : waiting) {
            call.fail(code, message);
        }
        scheduleReconnect();
    }

    private void disconnected(ClientConnection connection) {
        synchronized (this) {
            if (current != connection) {
                return; // never became the current connection: connectFailed handles it
            }
            current = null;
            lastFailure = connection.failureDescription();
            lastFailureCode = connection.failureCode();
            if (closed) {
                return;
            }
        }
        log.info("lost the connection to {}: {}", target, connection.failureDescription());
        connection.failAll(connection.failureCode(), connection.failureDescription());
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        synchronized (this) {
            if (closed || reconnectTimer != null) {
                return;
            }
            Duration delay = backoff.delay(failedAttempts++, ThreadLocalRandom.current());
            try {
                reconnectTimer = group.schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // shutting down
            }
        }
    }

    /** Refuses new calls, lets calls in flight finish for up to five seconds, cancels the rest and closes. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    public void close(Duration grace) {
        ClientConnection connection;
        List<ClientCall> waiting;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            connection = current;
            waiting = List.copyOf(waitingForConnection);
            waitingForConnection.clear();
            if (reconnectTimer != null) {
                reconnectTimer.cancel(false);
            }
        }
        for (ClientCall call : waiting) {
            call.fail(ErrorCode.UNAVAILABLE, "the client is closed");
        }
        if (connection != null) {
            long deadline = System.nanoTime() + grace.toNanos();
            while (connection.callsInFlight() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            connection.cancelAll();
            connection.channel().close().awaitUninterruptibly(grace.toMillis() + 1000);
        }
        group.shutdownGracefully(0, Math.max(100, grace.toMillis()), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(grace.toMillis() + 1000);
        callbackExecutor.shutdown();
    }

    private static String requireMethod(String method) {
        if (method == null || method.isEmpty()) {
            throw new IllegalArgumentException("a call needs a method name");
        }
        return method;
    }

    private static long deadlineMillis(Duration deadline) {
        if (deadline == null || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("every call needs a positive deadline");
        }
        return Math.max(1, deadline.toMillis());
    }

    public static final class Builder {
        private final String host;
        private final int port;
        private final TlsCredentials credentials;
        private final TlsTrust trust;
        private String serverName;
        private TransportLimits limits = TransportLimits.defaults();
        private ExpectedServer expectedServer = ExpectedServer.anyNode();
        private ReconnectBackoff backoff = ReconnectBackoff.defaults();
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder(String host, int port, TlsCredentials credentials, TlsTrust trust) {
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            this.trust = Objects.requireNonNull(trust, "trust");
        }

        /** The name the server's certificate must carry, when it differs from the host connected to. */
        public Builder serverName(String name) {
            this.serverName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The node this client means to reach, checked in every handshake. Default: any node (a peer or
         * an orderer), never a client's or an admin's certificate.
         */
        public Builder expectServer(ExpectedServer expected) {
            this.expectedServer = Objects.requireNonNull(expected, "expected");
            return this;
        }

        public Builder limits(TransportLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder backoff(ReconnectBackoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Builds the client and starts connecting in the background. */
        public TransportClient connect() {
            TransportClient client;
            try {
                client = new TransportClient(this);
            } catch (SSLException e) {
                throw new IllegalArgumentException("cannot use these TLS credentials: " + e.getMessage(), e);
            }
            client.connect();
            return client;
        }
    }
}
