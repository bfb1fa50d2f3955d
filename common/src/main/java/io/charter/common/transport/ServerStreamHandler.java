package io.charter.common.transport;

import com.google.protobuf.ByteString;

/**
 * Answers one request with a stream of items written to a {@link StreamSink}. It runs on the
 * server's handler executor and may return before the stream ends: the stream ends when the handler
 * calls {@link StreamSink#complete()} or {@link StreamSink#fail}, or when the call is cancelled. A
 * handler that throws ends the stream with an error.
 */
@FunctionalInterface
public interface ServerStreamHandler {

    void handle(CallContext call, ByteString request, StreamSink sink);
}
