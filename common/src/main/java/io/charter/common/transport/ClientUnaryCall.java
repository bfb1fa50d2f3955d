package io.charter.common.transport;

import com.google.protobuf.ByteString;
import java.util.concurrent.CompletableFuture;

/** A unary call: one request, one response, delivered through a future. */
final class ClientUnaryCall extends ClientCall {

    private final CompletableFuture<ByteString> future = new CompletableFuture<>();

    ClientUnaryCall(String method, ByteString request, long deadlineMillis) {
        super(method, request, deadlineMillis);
        future.whenComplete((response, failure) -> {
            if (future.isCancelled()) {
                cancelByCaller();
            }
        });
    }

    CompletableFuture<ByteString> future() {
        return future;
    }

    @Override
    int initialCredit() {
        return 0;
    }

    @Override
    void failed(TransportException failure) {
        future.completeExceptionally(failure);
    }

    @Override
    void onResponse(ByteString body) {
        if (finish()) {
            future.complete(body);
        }
    }

    @Override
    void onStreamItem(ByteString body) {
        fail(ErrorCode.INTERNAL, "the server sent a stream item for the unary call " + method);
        sendCancel();
    }

    @Override
    void onStreamEnd() {
        fail(ErrorCode.INTERNAL, "the server ended a stream for the unary call " + method);
    }
}
