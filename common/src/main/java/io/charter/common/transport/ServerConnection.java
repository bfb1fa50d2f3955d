package io.charter.common.transport;

import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import io.charter.common.transport.frame.FramingError;
import io.charter.common.transport.frame.Frames;
import io.charter.protocol.Frame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of one connection: checks each request against the method's access before its
 * body is read, dispatches it to its handler, enforces deadlines and the connection's limits, relays
 * cancellation and credit, and answers bad input with ERROR frames. Nothing that arrives on the
 * connection can make this handler throw; the worst outcome is that this connection is closed.
 */
final class ServerConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ServerConnection.class);

    private final TransportServer server;
    private final Map<String, TransportServer.Method> methods;
    private final Executor handlerExecutor;
    private final TransportLimits limits;
    private final Map<Long, ServerCall> calls = new ConcurrentHashMap<>();
    private volatile Channel channel;
    private volatile List<X509Certificate> peerCertificates = List.of();
    private volatile Optional<TransportCaller> caller = Optional.empty();
    /** The identity this connection is counted under, once admitted. */
    private volatile Optional<String> countedIdentity = Optional.empty();
    private volatile String peerAddress = "?";

    ServerConnection(TransportServer server, Executor handlerExecutor) {
        this.server = server;
        this.methods = server.methods();
        this.handlerExecutor = handlerExecutor;
        this.limits = server.limits();
    }

    List<X509Certificate> peerCertificates() {
        return peerCertificates;
    }

    String peerAddress() {
        return peerAddress;
    }

    TransportLimits limits() {
        return limits;
    }

    int callsInFlight() {
        return calls.size();
    }

    boolean isWritable() {
        return channel.isWritable();
    }

    long pendingOutboundBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    void write(Frame frame) {
        channel.writeAndFlush(frame);
    }

    void forget(ServerCall call) {
        calls.remove(call.requestId, call);
    }

    void runHandlerTask(ServerCall call, Runnable task) {
        try {
            handlerExecutor.execute(() -> {
                try {
                    task.run();
                } catch (Throwable t) {
                    call.failWith(t);
                }
            });
        } catch (RejectedExecutionException e) {
            call.sendError(ErrorCode.UNAVAILABLE, "the server is shutting down");
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        peerAddress = String.valueOf(ctx.channel().remoteAddress());
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                peerCertificates = verifiedPeerChain(ctx);
                caller = TransportCaller.from(peerCertificates, server.trust().trustedRoots());
                log.debug("TLS connection from {} as {}", peerAddress,
                        peerCertificates.isEmpty() ? "?" : peerCertificates.getFirst().getSubjectX500Principal());
                if (caller.isPresent() && !admitIdentity(ctx, caller.get())) {
                    return;
                }
            } else {
                // Refused clients are routine (revoked, unknown CA, port scanners): no stack trace.
                log.info("refused TLS connection from {}: {}", peerAddress, rootMessage(handshake.cause()));
                ctx.close();
            }
        }
        if (event instanceof IdleStateEvent && calls.isEmpty()) {
            server.countRefusal(TransportRefusals.Reason.IDLE);
            log.debug("closing the idle connection from {} after {}", peerAddress, limits.idleTimeout());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    /** Counts the connection under its identity, or refuses it when that identity holds the maximum already. */
    private boolean admitIdentity(ChannelHandlerContext ctx, TransportCaller who) {
        String key = who.connectionKey();
        if (!server.admitConnection(key)) {
            server.countRefusal(TransportRefusals.Reason.CONNECTIONS_PER_IDENTITY);
            log.info("refusing a connection of {} from {}: it holds {} connections already, the limit", who,
                    peerAddress, limits.maxConnectionsPerIdentity());
            ctx.writeAndFlush(Frames.error(0, ErrorCode.RESOURCE_EXHAUSTED, who + " holds "
                    + limits.maxConnectionsPerIdentity() + " connections to this node already; close one or reuse it"))
                    .addListener(ChannelFutureListener.CLOSE);
            return false;
        }
        countedIdentity = Optional.of(key);
        return true;
    }

    private static List<X509Certificate> verifiedPeerChain(ChannelHandlerContext ctx) {
        try {
            Certificate[] chain = ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
            List<X509Certificate> result = new ArrayList<>(chain.length);
            for (Certificate certificate : chain) {
                result.add((X509Certificate) certificate);
            }
            return List.copyOf(result);
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof Frame frame) {
            onFrame(ctx, frame);
        } else if (message instanceof FramingError error) {
            onFramingError(ctx, error);
        } else {
            ctx.fireChannelRead(message);
        }
    }

    private void onFrame(ChannelHandlerContext ctx, Frame frame) {
        long id = frame.getRequestId();
        switch (frame.getKind()) {
            case FRAME_KIND_REQUEST -> onRequest(ctx, frame);
            case FRAME_KIND_CANCEL -> {
                ServerCall call = calls.get(id);
                if (call != null) {
                    call.cancel(ErrorCode.CANCELLED, "cancelled by the caller", false);
                }
            }
            case FRAME_KIND_CREDIT -> {
                if (calls.get(id) instanceof ServerStreamCall stream) {
                    stream.addCredit(frame.getCredit());
                }
            }
            case FRAME_KIND_ERROR -> {
                log.debug("{} reported an error on request {}: {} {}", peerAddress, id,
                        frame.getError().getCode(), frame.getError().getMessage());
                ServerCall call = calls.get(id);
                if (call != null) {
                    call.cancel(ErrorCode.CANCELLED, "the caller reported an error", false);
                }
            }
            default -> write(Frames.error(id, ErrorCode.MALFORMED_FRAME,
                    "a server does not accept " + frame.getKind() + " frames"));
        }
    }

    private void onRequest(ChannelHandlerContext ctx, Frame frame) {
        long id = frame.getRequestId();
        if (peerCertificates.isEmpty()) {
            write(Frames.error(id, ErrorCode.UNAUTHENTICATED, "no verified client certificate on this connection"));
            return;
        }
        TransportServer.Method method = methods.get(frame.getMethod());
        if (method == null) {
            write(Frames.error(id, ErrorCode.UNKNOWN_METHOD, "no method '" + abbreviate(frame.getMethod()) + "' on this server"));
            return;
        }
        String refusal = accessRefusal(frame.getMethod(), method.access());
        if (!refusal.isEmpty()) {
            server.countRefusal(TransportRefusals.Reason.PERMISSION_DENIED);
            log.info("refused {} from {}: {}", frame.getMethod(), peerAddress, refusal);
            write(Frames.error(id, ErrorCode.PERMISSION_DENIED, refusal));
            return;
        }
        if (calls.size() >= limits.maxCallsPerConnection()) {
            server.countRefusal(TransportRefusals.Reason.CALLS_PER_CONNECTION);
            write(Frames.error(id, ErrorCode.RESOURCE_EXHAUSTED,
                    "already serving " + limits.maxCallsPerConnection() + " calls on this connection"));
            return;
        }
        if (method instanceof TransportServer.Method.Stream && streamsInFlight() >= limits.maxStreamsPerConnection()) {
            server.countRefusal(TransportRefusals.Reason.STREAMS_PER_CONNECTION);
            write(Frames.error(id, ErrorCode.RESOURCE_EXHAUSTED,
                    "already serving " + limits.maxStreamsPerConnection() + " streams on this connection"));
            return;
        }
        // unary calls always end: no deadline means the server's default, a long one is cut to its maximum;
        // streams live as long as their caller reads them (bounded by credit and the stream cap)
        long deadlineMillis = method instanceof TransportServer.Method.Unary
                ? limits.unaryDeadline(frame.getDeadlineMillis()).toMillis()
                : frame.getDeadlineMillis();
        Optional<Instant> deadline = deadlineMillis == 0 ? Optional.empty()
                : Optional.of(Instant.now().plusMillis(Math.min(deadlineMillis, Long.MAX_VALUE / 4)));
        ServerCall call = switch (method) {
            case TransportServer.Method.Unary unary -> new ServerCall.Unary(this, id, frame.getMethod(), deadline, unary.handler());
            case TransportServer.Method.Stream stream ->
                    new ServerStreamCall(this, id, frame.getMethod(), deadline, stream.handler(), frame.getCredit());
        };
        if (calls.putIfAbsent(id, call) != null) {
            write(Frames.error(id, ErrorCode.MALFORMED_FRAME, "request id " + id + " is already in use on this connection"));
            return;
        }
        if (deadlineMillis != 0) {
            call.deadlineTimer(ctx.executor().schedule(
                    () -> call.cancel(ErrorCode.DEADLINE_EXCEEDED,
                            "the deadline of " + deadlineMillis + " ms passed before " + frame.getMethod() + " completed", true),
                    deadlineMillis, TimeUnit.MILLISECONDS));
        }
        ByteString body = frame.getBody();
        runHandlerTask(call, () -> call.start(body));
    }

    /** Why the caller may not call {@code method}; empty when it may. */
    private String accessRefusal(String method, MethodAccess access) {
        if (caller.isEmpty()) {
            return "the caller's TLS certificate names no role of an organization whose CA issued it; " + method
                    + " is for " + access.describe(server.organization());
        }
        if (!access.admits(caller.get(), server.organization())) {
            return method + " is for " + access.describe(server.organization()) + "; the caller is " + caller.get()
                    + ": call it with an identity of " + (access.scope() == MethodAccess.Scope.OWN_ORGANIZATION
                            ? server.organization() + " in the role " : "the role ") + rolesOf(access);
        }
        return "";
    }

    private static String rolesOf(MethodAccess access) {
        return access.roles().stream().sorted().map(Role::label)
                .collect(Collectors.joining(" or "));
    }

    private long streamsInFlight() {
        return calls.values().stream().filter(ServerStreamCall.class::isInstance).count();
    }

    private void onFramingError(ChannelHandlerContext ctx, FramingError error) {
        if (error.code() == ErrorCode.DEADLINE_EXCEEDED) {
            server.countRefusal(TransportRefusals.Reason.FRAME_DEADLINE);
        } else if (error.code() == ErrorCode.RESOURCE_EXHAUSTED) {
            server.countRefusal(TransportRefusals.Reason.FRAME_BUDGET);
        }
        if (error.connectionUsable()) {
            log.debug("malformed frame from {}: {}", peerAddress, error.message());
            write(Frames.error(error.requestId(), error.code(), error.message()));
            return;
        }
        log.warn("closing the connection from {} after a framing error: {} {}", peerAddress, error.code(), error.message());
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(Frames.error(error.requestId(), error.code(), error.message()))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        for (ServerCall call : calls.values()) {
            if (call instanceof ServerStreamCall stream) {
                stream.writabilityChanged();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        countedIdentity.ifPresent(server::releaseConnection);
        countedIdentity = Optional.empty();
        for (ServerCall call : List.copyOf(calls.values())) {
            call.cancel(ErrorCode.CANCELLED, "the connection closed", false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException && !(cause instanceof SSLException)) {
            log.debug("connection from {} failed: {}", peerAddress, cause.toString());
        } else if (hasSslCause(cause)) {
            log.debug("TLS failure on the connection from {}: {}", peerAddress, rootMessage(cause));
        } else {
            log.warn("unexpected failure on the connection from {}; closing it", peerAddress, cause);
        }
        ctx.close();
    }

    static boolean hasSslCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getClass().getSimpleName() + ": " + root.getMessage();
        // Some messages quote the peer's bytes (NotSslRecordException dumps them all): keep logs readable.
        return message.length() <= 300 ? message : message.substring(0, 300) + "...";
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }
}
