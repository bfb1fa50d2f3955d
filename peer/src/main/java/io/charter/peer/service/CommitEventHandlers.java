package io.charter.peer.service;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.protocol.Identifiers;
import io.charter.common.transport.CallContext;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.StreamSink;
import io.charter.common.transport.TransportException;
import io.charter.peer.ledger.TxRecord;
import io.charter.protocol.Block;
import io.charter.protocol.BlockEvent;
import io.charter.protocol.BlockEventsRequest;
import io.charter.protocol.CommitStatusRequest;
import io.charter.protocol.CommitStatusResponse;
import io.charter.protocol.MvccConflict;
import io.charter.protocol.TxValidationCode;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * The methods through which clients follow commits, for readers of the channel: {@code peer.CommitStatus} (a
 * transaction's validation code, now or once it commits) and {@code peer.BlockEvents} (the committed blocks from
 * a number on, then each new one).
 */
public final class CommitEventHandlers {

    private final ServedChannels channels;

    public CommitEventHandlers(ServedChannels channels) {
        this.channels = channels;
    }

    /**
     * {@code peer.CommitStatus}: without {@code wait}, the indexed transaction of that id, else the first committed
     * envelope that claims it (marked as a claim), else not found; with {@code wait}, the indexed transaction once
     * it commits (the call's deadline bounds the wait).
     */
    public CompletableFuture<ByteString> commitStatus(CallContext call, ByteString body) {
        try {
            CommitStatusRequest request = CommitStatusRequest.parseFrom(body);
            ServedChannel channel = channels.channelOf(request.getChannelId());
            channels.requireReader(channel, call);
            if (!Identifiers.isTxId(request.getTxId())) {
                // checked before anything waits on it: a waiting call holds its id until the deadline
                throw new TransportException(ErrorCode.INVALID_ARGUMENT, "not a transaction id (" + Identifiers.TX_ID_LENGTH
                        + " lower-case hex characters): " + Identifiers.quote(request.getTxId()));
            }
            if (!request.getWait()) {
                // an indexed transaction first; else what a block's unauthenticated or repeated envelope claims
                return CompletableFuture.completedFuture(channel.events().currentStatus(request.getTxId())
                        .map(record -> status(channel, record))
                        .or(() -> channel.ledger().claims(request.getTxId(), 1).stream().findFirst()
                                .map(claim -> status(channel, claim).toBuilder().setClaim(true).build()))
                        .orElse(CommitStatusResponse.getDefaultInstance()).toByteString());
            }
            CompletableFuture<TxRecord> status = channel.events().commitStatus(request.getTxId());
            call.onCancel(() -> status.cancel(false));
            return status.thenApply(record -> status(channel, record).toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new TransportException(ErrorCode.INVALID_ARGUMENT, "not a CommitStatusRequest");
        }
    }

    /** The status of a committed transaction; for a read conflict, with the key that conflicted (for the client's error). */
    private static CommitStatusResponse status(ServedChannel channel, TxRecord record) {
        CommitStatusResponse.Builder response = CommitStatusResponse.newBuilder().setFound(true)
                .setBlockNumber(record.blockNumber()).setTxNumber(record.txNumber()).setValidationCode(record.code().name());
        if (record.code() == TxValidationCode.MVCC_READ_CONFLICT || record.code() == TxValidationCode.PHANTOM_READ_CONFLICT) {
            channel.ledger().conflict(record.txId()).ifPresent(conflict -> {
                MvccConflict.Builder proto = MvccConflict.newBuilder().setTxIndex(conflict.txNumber())
                        .setNamespace(conflict.namespace()).setKey(conflict.key());
                conflict.readVersion().ifPresent(version -> proto.setReadVersion(version.toProto()));
                conflict.committedVersion().ifPresent(version -> proto.setCommittedVersion(version.toProto()));
                response.setMvccConflict(proto);
            });
        }
        return response.build();
    }

    /** {@code peer.BlockEvents}: the committed blocks from {@code start_number} on, then each new one. */
    public void blockEvents(CallContext call, ByteString body, StreamSink sink) {
        try {
            BlockEventsRequest request = BlockEventsRequest.parseFrom(body);
            ServedChannel channel = channels.channelOf(request.getChannelId());
            channels.requireReader(channel, call);
            new EventProducer(channel, request.getStartNumber(), call, sink).start();
        } catch (InvalidProtocolBufferException e) {
            sink.fail(new TransportException(ErrorCode.INVALID_ARGUMENT, "not a BlockEventsRequest"));
        } catch (TransportException e) {
            sink.fail(e);
        }
    }

    /** Sends committed blocks from a number on, then each new one; back-pressured by the sink. */
    private static final class EventProducer {
        private final ServedChannel channel;
        private final CallContext call;
        private final StreamSink sink;
        private final LongConsumer listener;
        private long next;

        EventProducer(ServedChannel channel, long from, CallContext call, StreamSink sink) {
            this.channel = channel;
            this.next = from;
            this.call = call;
            this.sink = sink;
            this.listener = height -> sink.onReady(this::produce);
        }

        void start() {
            channel.events().addHeightListener(listener);
            call.onCancel(() -> channel.events().removeHeightListener(listener));
            produce();
        }

        synchronized void produce() {
            if (call.isCancelled()) {
                channel.events().removeHeightListener(listener);
                return;
            }
            try {
                while (next < channel.height() && sink.isReady()) {
                    Block block = channel.ledger().block(next).orElseThrow();
                    sink.send(BlockEvent.newBuilder().setBlockNumber(next).setBlock(block.toByteString()).build().toByteString());
                    next++;
                }
                if (next < channel.height()) {
                    sink.onReady(this::produce);
                }
            } catch (TransportException e) {
                channel.events().removeHeightListener(listener);
            }
        }
    }
}
