package io.charter.common.transport;

import com.google.protobuf.ByteString;

/**
 * Where a server stream handler writes its items, with back-pressure. An item may be sent only
 * while {@link #isReady()}: the caller has granted credit for it (it has room to buffer it) and the
 * connection's outbound buffer is below its high water mark. A producer that is not ready registers
 * {@link #onReady} and returns, instead of buffering on its side:
 *
 * <pre>{@code
 * void produce() {
 *     while (sink.isReady() && source.hasNext()) sink.send(source.next());
 *     if (!source.hasNext()) sink.complete(); else sink.onReady(this::produce);
 * }
 * }</pre>
 *
 * So the server holds at most one item beyond the high water mark per stream, and the caller at most
 * its credit window, however slowly it consumes.
 */
public interface StreamSink {

    /** Whether {@link #send} may be called now. */
    boolean isReady();

    /**
     * Runs {@code task} once, on the handler executor, as soon as the sink is ready (at once if it
     * is). A later call replaces a task not yet run. Never runs after the call is cancelled: register
     * {@link CallContext#onCancel} for that.
     */
    void onReady(Runnable task);

    /**
     * Sends one item.
     *
     * @throws IllegalStateException when the caller has granted no credit for it (the producer did not
     *     check {@link #isReady()}): the bound on the caller's memory is never exceeded
     * @throws TransportException with {@link ErrorCode#CANCELLED} when the call is already over, so
     *     that a producing loop stops; or {@link ErrorCode#RESOURCE_EXHAUSTED} when the item does not
     *     fit in a frame (the stream is then failed)
     */
    void send(ByteString item);

    /** Ends the stream normally. Does nothing if the call is already over. */
    void complete();

    /** Ends the stream with an error. Does nothing if the call is already over. */
    void fail(TransportException error);

    /** Items sent so far. */
    long itemsSent();

    /**
     * Bytes written to this stream's connection (by all its calls) and not yet handed to the
     * socket; it stays near the high water mark when producers respect {@link #isReady()}.
     */
    long pendingOutboundBytes();
}
