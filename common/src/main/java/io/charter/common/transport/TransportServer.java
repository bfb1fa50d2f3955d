package io.charter.common.transport;

import io.charter.common.pki.SubjectName;
import io.charter.common.transport.frame.FrameBudget;
import io.charter.common.transport.frame.FrameDecoder;
import io.charter.common.transport.frame.FrameEncoder;
import io.charter.common.transport.tls.TlsContexts;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.common.transport.tls.TlsTrust;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves registered methods over mutually authenticated TLS 1.3 connections.
 *
 * <pre>{@code
 * TransportServer server = TransportServer.builder(credentials, trust)
 *         .bind("0.0.0.0", 7051)
 *         .unary(PeerMethodNames.GET_BLOCKS, MethodAccess.ownOrganization(Role.PEER), (call, request) -> ...)
 *         .serverStream(OrdererMethodNames.DELIVER, MethodAccess.trustedOrganizations(Role.PEER, Role.CLIENT), (call, request, sink) -> ...)
 *         .build()
 *         .start();
 * }</pre>
 *
 * Every method declares who may call it ({@link MethodAccess}); a call whose caller the access does
 * not admit is refused with {@link ErrorCode#PERMISSION_DENIED} before its body is read. The node's
 * own organization is that of its TLS certificate. Connections, frames, calls and deadlines are
 * bounded by {@link TransportLimits}, and what was refused is counted in {@link #refusals()}.
 *
 * <p>Handlers run on the handler executor (by default one virtual thread per call), never on the
 * network threads.
 */
public final class TransportServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransportServer.class);

    /** A registered method. */
    sealed interface Method {
        MethodAccess access();

        record Unary(MethodAccess access, UnaryHandler handler) implements Method {}

        record Stream(MethodAccess access, ServerStreamHandler handler) implements Method {}
    }

    private final SslContext sslContext;
    private final TlsTrust trust;
    private final String organization;
    private final TransportRefusals refusals = new TransportRefusals();
    private final Map<String, Integer> connectionsByIdentity = new ConcurrentHashMap<>();
    private final FrameBudget frameBudget;
    private final String host;
    private final int requestedPort;
    private final TransportLimits limits;
    private final Map<String, Method> methods;
    private final ExecutorService handlerExecutor;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ChannelGroup connections = new DefaultChannelGroup("charter-transport", GlobalEventExecutor.INSTANCE);
    private volatile Channel serverChannel;

    private TransportServer(Builder builder) throws SSLException {
        this.sslContext = TlsContexts.server(builder.credentials, builder.trust);
        this.trust = builder.trust;
        this.organization = SubjectName.from(builder.credentials.chain().getFirst()).map(SubjectName::organization)
                .orElse("");
        this.host = builder.host;
        this.requestedPort = builder.port;
        this.limits = builder.limits;
        this.frameBudget = new FrameBudget(limits.inFlightFrameBudgetBytes());
        this.methods = Map.copyOf(builder.methods);
        this.handlerExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("charter-handler-", 0).factory());
        this.bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.workerGroup = new MultiThreadIoEventLoopGroup(builder.ioThreads, NioIoHandler.newFactory());
    }

    public static Builder builder(TlsCredentials credentials, TlsTrust trust) {
        return new Builder(credentials, trust);
    }

    /** Binds and starts accepting connections. */
    public TransportServer start() {
        FrameEncoder encoder = new FrameEncoder();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, FrameSizeEstimator.INSTANCE)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(limits.writeBufferLowWaterMark(), limits.writeBufferHighWaterMark()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (connections.size() >= limits.maxConnections()) {
                            // before TLS: a refused connection costs no handshake
                            refusals.count(TransportRefusals.Reason.CONNECTIONS_TOTAL);
                            log.warn("refusing a connection from {}: {} connections are open, the limit",
                                    channel.remoteAddress(), limits.maxConnections());
                            channel.close();
                            return;
                        }
                        connections.add(channel);
                        SslHandler tls = sslContext.newHandler(channel.alloc());
                        tls.setHandshakeTimeoutMillis(limits.handshakeTimeout().toMillis());
                        channel.pipeline()
                                .addLast("tls", tls)
                                .addLast("idle", new IdleStateHandler(limits.idleTimeout().toMillis(), 0, 0,
                                        TimeUnit.MILLISECONDS))
                                // Many small writes from many calls: one flush per read loop, not per frame.
                                .addLast("flush", new FlushConsolidationHandler(256, true))
                                .addLast("decoder", new FrameDecoder(limits.maxFrameBytes(),
                                        Optional.of(limits.frameDeadline()), Optional.of(frameBudget)))
                                .addLast("encoder", encoder)
                                .addLast("calls", new ServerConnection(TransportServer.this, handlerExecutor));
                    }
                });
        try {
            serverChannel = bootstrap.bind(host, requestedPort).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            shutDownThreads(Duration.ZERO);
            throw new UncheckedIOException(new java.io.IOException("cannot listen on " + host + ":" + requestedPort, e));
        }
        log.info("transport server listening on {} with {} methods", serverChannel.localAddress(), methods.size());
        return this;
    }

    /** The port bound, useful when started on port 0. */
    public int port() {
        Channel channel = serverChannel;
        if (channel == null) {
            throw new IllegalStateException("the server is not started");
        }
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Connections open right now. */
    public int connectionCount() {
        return connections.size();
    }

    /** What this server refused since it started, by reason. */
    public TransportRefusals refusals() {
        return refusals;
    }

    /** Bytes of incomplete frames held right now, across all connections. */
    public long framesInFlightBytes() {
        return frameBudget.reserved();
    }

    /** The node's own organization: that of its TLS certificate (empty when it names none). */
    public String organization() {
        return organization;
    }

    /** Every method served and who may call it, by name: the node's access table. */
    public Map<String, MethodAccess> accessTable() {
        Map<String, MethodAccess> table = new TreeMap<>();
        methods.forEach((name, method) -> table.put(name, method.access()));
        return table;
    }

    Map<String, Method> methods() {
        return methods;
    }

    TransportLimits limits() {
        return limits;
    }

    TlsTrust trust() {
        return trust;
    }

    void countRefusal(TransportRefusals.Reason reason) {
        refusals.count(reason);
    }

    /** Counts a connection of {@code identity}; false (and nothing counted) when it already holds the maximum. */
    boolean admitConnection(String identity) {
        boolean[] admitted = {false};
        connectionsByIdentity.compute(identity, (key, count) -> {
            int current = count == null ? 0 : count;
            if (current >= limits.maxConnectionsPerIdentity()) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        return admitted[0];
    }

    void releaseConnection(String identity) {
        connectionsByIdentity.computeIfPresent(identity, (key, count) -> count <= 1 ? null : count - 1);
    }

    /** Stops accepting, lets calls in flight finish for up to five seconds, then closes everything. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    public void close(Duration grace) {
        Channel channel = serverChannel;
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (callsInFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        connections.close().awaitUninterruptibly(grace.toMillis() + 1000);
        shutDownThreads(grace);
    }

    private int callsInFlight() {
        int total = 0;
        for (Channel connection : connections) {
            ServerConnection calls = connection.pipeline().get(ServerConnection.class);
            total += calls == null ? 0 : calls.callsInFlight();
        }
        return total;
    }

    private void shutDownThreads(Duration grace) {
        long timeoutMillis = Math.max(100, grace.toMillis());
        bossGroup.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS);
        workerGroup.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS);
        bossGroup.terminationFuture().awaitUninterruptibly(timeoutMillis + 1000);
        workerGroup.terminationFuture().awaitUninterruptibly(timeoutMillis + 1000);
        handlerExecutor.shutdownNow();
    }

    public static final class Builder {
        private final TlsCredentials credentials;
        private final TlsTrust trust;
        private final Map<String, Method> methods = new LinkedHashMap<>();
        private String host = "127.0.0.1";
        private int port;
        private TransportLimits limits = TransportLimits.defaults();
        private int ioThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

        private Builder(TlsCredentials credentials, TlsTrust trust) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            this.trust = Objects.requireNonNull(trust, "trust");
        }

        /** Where to listen; port 0 picks a free port (see {@link TransportServer#port()}). Default 127.0.0.1:0. */
        public Builder bind(String host, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            return this;
        }

        public Builder limits(TransportLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Network threads; defaults to the number of cores, at most 4. */
        public Builder ioThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("need at least one I/O thread");
            }
            this.ioThreads = threads;
            return this;
        }

        public Builder unary(String method, MethodAccess access, UnaryHandler handler) {
            return register(method, new Method.Unary(Objects.requireNonNull(access, "access"),
                    Objects.requireNonNull(handler, "handler")));
        }

        public Builder serverStream(String method, MethodAccess access, ServerStreamHandler handler) {
            return register(method, new Method.Stream(Objects.requireNonNull(access, "access"),
                    Objects.requireNonNull(handler, "handler")));
        }

        private Builder register(String method, Method handler) {
            if (method == null || method.isEmpty()) {
                throw new IllegalArgumentException("a method needs a name");
            }
            if (methods.putIfAbsent(method, handler) != null) {
                throw new IllegalArgumentException("method " + method + " is already registered");
            }
            return this;
        }

        public TransportServer build() {
            try {
                return new TransportServer(this);
            } catch (SSLException e) {
                throw new IllegalArgumentException("cannot use these TLS credentials: " + e.getMessage(), e);
            }
        }
    }
}
