package io.charter.peer.service;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.pki.SubjectName;
import io.charter.common.transport.CallContext;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.StreamSink;
import io.charter.common.transport.TransportException;
import io.charter.peer.dissemination.RelayTree;
import io.charter.protocol.Block;
import io.charter.protocol.GetBlocksRequest;
import io.charter.protocol.HeartbeatRequest;
import io.charter.protocol.PushBlockRequest;
import java.util.concurrent.CompletableFuture;

/**
 * The methods a peer serves to the other peers of its organization, for dissemination inside it:
 * {@code peer.GetBlocks} (anti-entropy pulls stored blocks), {@code peer.PushBlock} (the leader pushes each
 * block it commits) and {@code peer.Heartbeat} (leader election). On the channel, the caller must be a peer of
 * this peer's organization, and a heartbeat must come from the peer it speaks for.
 */
public final class DisseminationHandlers {

    private final ServedChannels channels;

    public DisseminationHandlers(ServedChannels channels) {
        this.channels = channels;
    }

    /** {@code peer.GetBlocks}: the stored blocks from {@code from_number} to {@code to_number} (at most the last). */
    public void getBlocks(CallContext call, ByteString body, StreamSink sink) {
        try {
            GetBlocksRequest request = GetBlocksRequest.parseFrom(body);
            ServedChannel channel = channels.channelOf(request.getChannelId());
            channels.requireOrganization(channel, call);
            long to = Math.min(request.getToNumber(), channel.height() - 1);
            new RangeProducer(channel, request.getFromNumber(), to, sink).produce();
        } catch (InvalidProtocolBufferException e) {
            sink.fail(new TransportException(ErrorCode.INVALID_ARGUMENT, "not a GetBlocksRequest"));
        } catch (TransportException e) {
            sink.fail(e);
        }
    }

    /**
     * {@code peer.PushBlock}: a block the organization's leader committed, for this peer to commit and pass on to the
     * relay list's peers. A relay list longer than {@link RelayTree#MAX_RELAY_IDS} or with an id longer than
     * {@link RelayTree#MAX_ID_LENGTH} is refused whole before the block is read (INVALID_ARGUMENT, nothing committed
     * or relayed); which listed ids are followed is the channel's decision (only its own organization peers).
     */
    public CompletableFuture<ByteString> pushBlock(CallContext call, ByteString body) {
        try {
            PushBlockRequest request = PushBlockRequest.parseFrom(body);
            ServedChannel channel = channels.channelOf(request.getChannelId());
            channels.requireOrganization(channel, call);
            if (request.getRelayToCount() > RelayTree.MAX_RELAY_IDS) {
                throw new TransportException(ErrorCode.INVALID_ARGUMENT, "RELAY_LIST_TOO_LONG: " + request.getRelayToCount()
                        + " peer ids to relay to, at most " + RelayTree.MAX_RELAY_IDS);
            }
            if (request.getRelayToList().stream().anyMatch(id -> id.length() > RelayTree.MAX_ID_LENGTH)) {
                throw new TransportException(ErrorCode.INVALID_ARGUMENT, "RELAY_ID_TOO_LONG: a peer id to relay to is"
                        + " longer than " + RelayTree.MAX_ID_LENGTH + " characters");
            }
            Block block = Block.parseFrom(request.getBlock());
            return CompletableFuture.completedFuture(channel.receivePush(block, request.getRelayToList()).toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new TransportException(ErrorCode.INVALID_ARGUMENT, "not a PushBlockRequest with a Block");
        }
    }

    /** {@code peer.Heartbeat}: another peer of the organization, alive at its height, for the election. */
    public CompletableFuture<ByteString> heartbeat(CallContext call, ByteString body) {
        try {
            HeartbeatRequest request = HeartbeatRequest.parseFrom(body);
            ServedChannel channel = channels.channelOf(request.getChannelId());
            channels.requireOrganization(channel, call);
            // a peer speaks only for itself: the peer id is the common name of its TLS certificate
            String commonName = SubjectName.from(call.peerCertificate()).map(SubjectName::commonName).orElse("");
            if (!commonName.equals(request.getPeerId())) {
                throw new TransportException(ErrorCode.PERMISSION_DENIED, "a heartbeat for '" + request.getPeerId()
                        + "' from a certificate of '" + commonName + "'");
            }
            return CompletableFuture.completedFuture(channel.onHeartbeat(request).toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new TransportException(ErrorCode.INVALID_ARGUMENT, "not a HeartbeatRequest");
        }
    }

    /** Sends stored blocks [from, to] while the sink is ready. */
    private static final class RangeProducer {
        private final ServedChannel channel;
        private final long to;
        private final StreamSink sink;
        private long next;

        RangeProducer(ServedChannel channel, long from, long to, StreamSink sink) {
            this.channel = channel;
            this.next = from;
            this.to = to;
            this.sink = sink;
        }

        synchronized void produce() {
            try {
                while (next <= to && sink.isReady()) {
                    sink.send(channel.ledger().block(next).orElseThrow().toByteString());
                    next++;
                }
                if (next > to) {
                    sink.complete();
                } else {
                    sink.onReady(this::produce);
                }
            } catch (TransportException e) {
                // the call is over
            }
        }
    }
}
