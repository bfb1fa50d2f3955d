package io.charter.common.transport;

import com.google.protobuf.ByteString;
import java.util.concurrent.CompletableFuture;

/**
 * Answers one request with one response. It runs on the server's handler executor, never on a
 * network thread, so it may block; completing the future later is fine too. A future failed with a
 * {@link TransportException} answers with its code; any other failure answers {@link
 * ErrorCode#INTERNAL}. When the call is cancelled the future is cancelled.
 */
@FunctionalInterface
public interface UnaryHandler {

    CompletableFuture<ByteString> handle(CallContext call, ByteString request);
}
