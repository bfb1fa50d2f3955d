package io.charter.orderer.service;

import com.google.protobuf.ByteString;
import io.charter.common.protocol.EnvelopeUnpacking;
import io.charter.common.protocol.Envelopes;
import io.charter.common.transport.CallContext;
import io.charter.common.transport.UnaryHandler;
import io.charter.orderer.channel.ChannelOrderer;
import io.charter.orderer.channel.OrderingNode;
import io.charter.orderer.channel.SubmitResult;
import io.charter.protocol.BroadcastReason;
import io.charter.protocol.BroadcastResponse;
import io.charter.protocol.BroadcastStatus;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code orderer.Broadcast}: parses the envelope, finds its channel, submits it to the channel (which
 * runs the core's and the {@link io.charter.orderer.broadcast.BroadcastValidator}'s checks, forwards
 * it to the Raft leader and waits for the block) and answers a {@link BroadcastResponse}. Every answer,
 * accepted or not, is counted in the metrics. A refusal is an answer, not a transport error.
 */
public final class BroadcastHandler implements UnaryHandler {

    private static final Logger LOG = LoggerFactory.getLogger(BroadcastHandler.class);

    private final OrderingNode node;
    private final OrdererMetrics metrics;

    public BroadcastHandler(OrderingNode node, OrdererMetrics metrics) {
        this.node = node;
        this.metrics = metrics;
    }

    @Override
    public CompletableFuture<ByteString> handle(CallContext call, ByteString request) {
        return broadcast(request).thenApply(response -> response.toByteString());
    }

    /** The broadcast itself, without the transport (also used by tests and benchmarks). */
    public CompletableFuture<BroadcastResponse> broadcast(ByteString request) {
        EnvelopeUnpacking unpacking = Envelopes.unpack(request);
        if (unpacking instanceof EnvelopeUnpacking.Malformed malformed) {
            return answer(OrdererMetrics.OTHER_CHANNEL, refusal(SubmitResult.Status.MALFORMED, "",
                    malformed.error() + ": " + malformed.detail()));
        }
        var unpacked = ((EnvelopeUnpacking.Unpacked) unpacking).envelope();
        var header = unpacked.header();
        String channelId = header.getChannelId();
        Optional<ChannelOrderer> channel = node.channel(channelId);
        if (channel.isEmpty()) {
            return answer(OrdererMetrics.OTHER_CHANNEL, refusal(SubmitResult.Status.UNKNOWN_CHANNEL, header.getTxId(),
                    "this orderer serves no channel '" + channelId + "'"));
        }
        return channel.get().submit(request, unpacked)
                .exceptionally(e -> {
                    LOG.warn("{}: submit failed", channelId, e);
                    return SubmitResult.of(SubmitResult.Status.UNAVAILABLE, header.getTxId(), String.valueOf(e.getMessage()));
                })
                .thenApply(result -> {
                    BroadcastResponse response = toResponse(result);
                    metrics.envelope(channelId, response);
                    return response;
                });
    }

    private CompletableFuture<BroadcastResponse> answer(String channelId, BroadcastResponse response) {
        metrics.envelope(channelId, response);
        return CompletableFuture.completedFuture(response);
    }

    private static BroadcastResponse refusal(SubmitResult.Status status, String txId, String detail) {
        return toResponse(SubmitResult.of(status, txId, detail));
    }

    /** The wire answer for a core result. */
    public static BroadcastResponse toResponse(SubmitResult result) {
        BroadcastResponse.Builder response = BroadcastResponse.newBuilder()
                .setTxId(result.txId())
                .setMessage(result.detail());
        if (result.blockNumber() >= 0) {
            response.setBlockNumber(result.blockNumber());
        }
        return switch (result.status()) {
            case COMMITTED -> response.setStatus(BroadcastStatus.SUCCESS).setReason(BroadcastReason.REASON_NONE).build();
            case DUPLICATE_TXID -> bad(response, BroadcastStatus.BAD_REQUEST, BroadcastReason.DUPLICATE_TXID);
            case TOO_LARGE -> bad(response, BroadcastStatus.REQUEST_ENTITY_TOO_LARGE, BroadcastReason.TOO_LARGE);
            case MALFORMED -> bad(response, BroadcastStatus.BAD_REQUEST, BroadcastReason.MALFORMED_ENVELOPE);
            case BAD_TXID -> bad(response, BroadcastStatus.BAD_REQUEST, BroadcastReason.BAD_TXID);
            case UNKNOWN_CHANNEL -> bad(response, BroadcastStatus.NOT_FOUND, BroadcastReason.UNKNOWN_CHANNEL);
            case UNKNOWN_CREATOR -> bad(response, BroadcastStatus.FORBIDDEN, BroadcastReason.UNKNOWN_CREATOR);
            case REVOKED_CREATOR -> bad(response, BroadcastStatus.FORBIDDEN, BroadcastReason.REVOKED_CREATOR);
            case EXPIRED_CREATOR -> bad(response, BroadcastStatus.FORBIDDEN, BroadcastReason.EXPIRED_CREATOR);
            case BAD_CREATOR -> bad(response, BroadcastStatus.FORBIDDEN, BroadcastReason.BAD_CREATOR);
            case BAD_SIGNATURE -> bad(response, BroadcastStatus.FORBIDDEN, BroadcastReason.BAD_SIGNATURE);
            case FORBIDDEN, REJECTED -> bad(response, BroadcastStatus.FORBIDDEN, BroadcastReason.WRITERS_POLICY);
            case UNAVAILABLE -> bad(response, BroadcastStatus.SERVICE_UNAVAILABLE, BroadcastReason.NO_LEADER);
            case TIMEOUT -> bad(response, BroadcastStatus.SERVICE_UNAVAILABLE, BroadcastReason.COMMIT_TIMEOUT);
            case CONFIG_SEQUENCE_MISMATCH -> bad(response, BroadcastStatus.BAD_REQUEST, BroadcastReason.CONFIG_SEQUENCE_MISMATCH);
            case CONFIG_UNAUTHORIZED -> bad(response, BroadcastStatus.FORBIDDEN, BroadcastReason.CONFIG_UNAUTHORIZED);
            case CONFIG_INVALID -> bad(response, BroadcastStatus.BAD_REQUEST, BroadcastReason.CONFIG_INVALID);
            case CONFIG_WRONG_CHANNEL -> bad(response, BroadcastStatus.BAD_REQUEST, BroadcastReason.CONFIG_WRONG_CHANNEL);
        };
    }

    private static BroadcastResponse bad(BroadcastResponse.Builder response, BroadcastStatus status, BroadcastReason reason) {
        return response.setStatus(status).setReason(reason).build();
    }
}
