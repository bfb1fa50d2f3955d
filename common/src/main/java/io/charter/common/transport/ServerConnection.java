package io.charter.common.transport;

import com.google.protobuf.ByteString;
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
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of one connection: dispatches requests to handlers, enforces deadlines, relays
 * cancellation and credit, and answers bad input with ERROR frames. Nothing that arrives on the
 * connection can make this handler throw; the worst outcome is that this connection is closed.
 */
final class ServerConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ServerConnection.class);

    private final Map<String, TransportServer.Method> methods;
    private final Executor handlerExecutor;
    private final TransportLimits limits;
    private final Map<Long, ServerCall> calls = new ConcurrentHashMap<>();
    private volatile Channel channel;
    private volatile List<X509Certificate> peerCertificates = List.of();
    private volatile String peerAddress = "?";

    ServerConnection(Map<String, TransportServer.Method> methods, Executor handlerExecutor, TransportLimits limits) {
        this.methods = methods;
        this.handlerExecutor = handlerExecutor;
        this.limits = limits;
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
                log.debug("TLS connection from {} as {}", peerAddress,
                        peerCertificates.isEmpty() ? "?" : peerCertificates.getFirst().getSubjectX500Principal());
            } else {
                // Refused clients are routine (revoked, unknown CA, port scanners): no stack trace.
                log.info("refused TLS connection from {}: {}", peerAddress, rootMessage(handshake.cause()));
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(event);
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
        if (calls.size() >= limits.maxCallsPerConnection()) {
            write(Frames.error(id, ErrorCode.RESOURCE_EXHAUSTED,
                    "already serving " + limits.maxCallsPerConnection() + " calls on this connection"));
            return;
        }
        long deadlineMillis = frame.getDeadlineMillis();
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

    private void onFramingError(ChannelHandlerContext ctx, FramingError error) {
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
