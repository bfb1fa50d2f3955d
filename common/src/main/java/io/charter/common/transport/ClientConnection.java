package io.charter.common.transport;

import io.charter.common.transport.frame.FramingError;
import io.charter.common.transport.frame.Frames;
import io.charter.protocol.Frame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client end of one connection: assigns request ids and routes answers to their calls. */
final class ClientConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    private final Channel channel;
    private final String target;
    private final Map<Long, ClientCall> calls = new ConcurrentHashMap<>();
    private long nextRequestId = 1; // touched on the event loop only
    private volatile Throwable failure;

    ClientConnection(Channel channel, String target) {
        this.channel = channel;
        this.target = target;
    }

    Channel channel() {
        return channel;
    }

    int callsInFlight() {
        return calls.size();
    }

    /** Sends the call's request; ids are assigned on the event loop so that they go out in order. */
    void start(ClientCall call) {
        if (channel.eventLoop().inEventLoop()) {
            startNow(call);
        } else {
            channel.eventLoop().execute(() -> startNow(call));
        }
    }

    private void startNow(ClientCall call) {
        if (!channel.isActive()) {
            call.fail(ErrorCode.UNAVAILABLE, "the connection to " + target + " closed before " + call.method + " was sent");
            return;
        }
        long id = nextRequestId++;
        if (!call.attach(this, id)) {
            return;
        }
        calls.put(id, call);
        if (call.isFinished()) {
            calls.remove(id, call);
            return;
        }
        channel.writeAndFlush(call.requestFrame(id)).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                call.fail(ErrorCode.UNAVAILABLE, "could not send " + call.method + " to " + target + ": " + written.cause());
            }
        });
    }

    void write(Frame frame) {
        channel.writeAndFlush(frame);
    }

    void forget(long requestId, ClientCall call) {
        calls.remove(requestId, call);
    }

    /** Why the connection failed, as the code its calls fail with. */
    ErrorCode failureCode() {
        return ServerConnection.hasSslCause(failure) ? ErrorCode.UNAUTHENTICATED : ErrorCode.UNAVAILABLE;
    }

    String failureDescription() {
        Throwable cause = failure;
        return cause == null ? "the connection to " + target + " closed"
                : "the connection to " + target + " failed: " + ServerConnection.rootMessage(cause);
    }

    /** Fails every call still in flight; the connection is gone. */
    void failAll(ErrorCode code, String message) {
        for (ClientCall call : List.copyOf(calls.values())) {
            call.fail(code, message);
        }
    }

    /** Cancels every call still in flight, telling the server. */
    void cancelAll() {
        for (ClientCall call : List.copyOf(calls.values())) {
            call.cancelByCaller();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof Frame frame) {
            onFrame(frame);
        } else if (message instanceof FramingError error) {
            onFramingError(ctx, error);
        } else {
            ctx.fireChannelRead(message);
        }
    }

    private void onFrame(Frame frame) {
        long id = frame.getRequestId();
        ClientCall call = calls.get(id);
        switch (frame.getKind()) {
            case FRAME_KIND_RESPONSE -> {
                if (call != null) {
                    call.onResponse(frame.getBody());
                }
            }
            case FRAME_KIND_STREAM_ITEM -> {
                if (call != null) {
                    call.onStreamItem(frame.getBody());
                }
            }
            case FRAME_KIND_STREAM_END -> {
                if (call != null) {
                    call.onStreamEnd();
                }
            }
            case FRAME_KIND_ERROR -> {
                ErrorCode code = ErrorCode.fromWire(frame.getError().getCode());
                if (call != null) {
                    call.onError(code, frame.getError().getReason(), frame.getError().getMessage());
                } else if (id == 0) {
                    log.warn("{} reported a connection error: {} {}", target, code, frame.getError().getMessage());
                }
            }
            default -> write(Frames.error(id, ErrorCode.MALFORMED_FRAME, "a client does not accept " + frame.getKind() + " frames"));
        }
    }

    private void onFramingError(ChannelHandlerContext ctx, FramingError error) {
        if (error.connectionUsable()) {
            log.debug("malformed frame from {}: {}", target, error.message());
            write(Frames.error(error.requestId(), error.code(), error.message()));
            return;
        }
        log.warn("closing the connection to {} after a framing error: {} {}", target, error.code(), error.message());
        failure = new IOException("framing error from the server: " + error.code() + " " + error.message());
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(Frames.error(0, error.code(), error.message())).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        if (cause instanceof IOException || ServerConnection.hasSslCause(cause)) {
            log.debug("connection to {} failed: {}", target, ServerConnection.rootMessage(cause));
        } else {
            log.warn("unexpected failure on the connection to {}; closing it", target, cause);
        }
        ctx.close();
    }
}
