package io.charter.orderer.service;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.config.ChannelTrust;
import io.charter.common.identity.ValidationResult;
import io.charter.common.policy.Evaluation;
import io.charter.common.policy.SubPolicies;
import io.charter.common.transport.CallContext;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.ServerStreamHandler;
import io.charter.common.transport.StreamSink;
import io.charter.common.transport.TransportException;
import io.charter.orderer.access.ChannelTrusts;
import io.charter.orderer.channel.ChannelOrderer;
import io.charter.orderer.channel.OrderingNode;
import io.charter.protocol.Block;
import io.charter.protocol.DeliverRequest;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code orderer.Deliver}: streams a channel's blocks from {@code start_number}, then new blocks as
 * they are written, to a caller whose TLS client certificate is a valid identity of one of the
 * channel's organizations (through its TLS CAs: not revoked, not expired) and satisfies the channel's
 * Readers policy; otherwise {@code PERMISSION_DENIED}. An unknown channel or a stop before the start
 * is {@code INVALID_ARGUMENT}.
 *
 * <p>Back-pressure: one block is requested from the channel's publisher at a time, and only while
 * the sink is ready (the caller granted credit and the connection is writable); otherwise the next
 * request waits for {@link StreamSink#onReady}. To resume after a break, the caller asks again from
 * the number after the last block it received.
 */
public final class DeliverHandler implements ServerStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeliverHandler.class);

    private final OrderingNode node;
    private final ChannelTrusts trusts;
    private final OrdererMetrics metrics;

    public DeliverHandler(OrderingNode node, ChannelTrusts trusts, OrdererMetrics metrics) {
        this.node = node;
        this.trusts = trusts;
        this.metrics = metrics;
    }

    @Override
    public void handle(CallContext call, ByteString request, StreamSink sink) {
        DeliverRequest deliver;
        try {
            deliver = DeliverRequest.parseFrom(request);
        } catch (InvalidProtocolBufferException e) {
            throw new TransportException(ErrorCode.INVALID_ARGUMENT, "not a DeliverRequest: " + e.getMessage());
        }
        Optional<ChannelOrderer> found = node.channel(deliver.getChannelId());
        if (found.isEmpty()) {
            throw new TransportException(ErrorCode.INVALID_ARGUMENT,
                    "NOT_FOUND: this orderer serves no channel '" + deliver.getChannelId() + "'");
        }
        ChannelOrderer channel = found.get();
        authorize(channel, call.peerCertificate());
        if (deliver.hasStopNumber() && deliver.getStopNumber() < deliver.getStartNumber()) {
            throw new TransportException(ErrorCode.INVALID_ARGUMENT, "stop_number " + deliver.getStopNumber()
                    + " is before start_number " + deliver.getStartNumber());
        }
        long stop = deliver.hasStopNumber() ? deliver.getStopNumber() : Long.MAX_VALUE;
        metrics.deliverOpened();
        Bridge bridge = new Bridge(call, sink, stop);
        channel.deliver(deliver.getStartNumber()).subscribe(bridge);
    }

    private void authorize(ChannelOrderer channel, X509Certificate caller) {
        ChannelTrust trust = trusts.of(channel.config());
        ValidationResult identity = trust.validateTlsCaller(caller, null);
        if (identity instanceof ValidationResult.Rejected rejected) {
            throw new TransportException(ErrorCode.PERMISSION_DENIED, "not an identity of channel "
                    + channel.channelId() + ": " + rejected);
        }
        Evaluation readers = trust.evaluate(SubPolicies.READERS, identity.identity().orElseThrow());
        if (!readers.satisfied()) {
            throw new TransportException(ErrorCode.PERMISSION_DENIED, "the caller does not satisfy the Readers policy of "
                    + channel.channelId() + ": " + readers.explanation());
        }
    }

    /** Moves blocks from the channel's publisher to the sink, one at a time, as the sink allows. */
    private final class Bridge implements Flow.Subscriber<Block> {
        private final CallContext call;
        private final StreamSink sink;
        private final long stop;
        private final AtomicBoolean requested = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile Flow.Subscription subscription;

        Bridge(CallContext call, StreamSink sink, long stop) {
            this.call = call;
            this.sink = sink;
            this.stop = stop;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            call.onCancel(() -> close(null));
            pump();
        }

        private void pump() {
            if (closed.get()) {
                return;
            }
            if (sink.isReady()) {
                if (requested.compareAndSet(false, true)) {
                    subscription.request(1);
                }
            } else {
                sink.onReady(this::pump);
            }
        }

        @Override
        public void onNext(Block block) {
            requested.set(false);
            if (closed.get()) {
                return;
            }
            try {
                sink.send(block.toByteString());
            } catch (TransportException | IllegalStateException e) {
                close(e);
                return;
            }
            if (block.getHeader().getNumber() >= stop) {
                sink.complete();
                close(null);
                return;
            }
            pump();
        }

        @Override
        public void onError(Throwable error) {
            LOG.warn("deliver stream failed", error);
            sink.fail(new TransportException(ErrorCode.INTERNAL, "reading blocks failed"));
            close(error);
        }

        @Override
        public void onComplete() {
            sink.complete();
            close(null);
        }

        private void close(Throwable why) {
            if (closed.compareAndSet(false, true)) {
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.cancel();
                }
                metrics.deliverClosed();
                if (why != null) {
                    LOG.debug("deliver stream ended: {}", why.toString());
                }
            }
        }
    }
}
