package io.charter.client.sdk;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.OrdererMethodNames;
import io.charter.common.protocol.TransactionIds;
import io.charter.common.transport.TransportException;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigUpdateEnvelope;
import io.charter.protocol.DeliverRequest;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.PayloadHeader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A channel's configuration as the orderers hold it: read from the latest config block over the orderers'
 * {@code orderer.Deliver} (the caller must satisfy the channel's Readers policy), and changed with a
 * {@code CONFIG_UPDATE} broadcast to them. Peers are not asked: they may not have applied the latest config block.
 * Get one from {@link Network#configs()}.
 */
public final class ChannelConfigs {

    static final String DELIVER = OrdererMethodNames.DELIVER;
    /** How long a deliver stream may stay silent before the blocks it had are taken as all there are. */
    private static final Duration IDLE = Duration.ofMillis(400);

    /** A configuration and the number of the block that holds it. */
    public record ConfigBlock(long blockNumber, ChannelConfig config) {}

    private final Network network;

    ChannelConfigs(Network network) {
        this.network = network;
    }

    /**
     * The configuration in force: the blocks from {@code fromBlock} (a height hint, e.g. from the index; 0 reads the
     * whole chain) to the orderer's tip name the latest config block in their metadata, which is then read. Asks
     * the channel's orderers one after the other.
     *
     * @throws SdkException {@code NO_ORDERERS}; {@code ORDERING_REFUSED} when an orderer refuses the caller (not a
     *     reader); {@code ORDERERS_UNAVAILABLE} when none answers
     */
    public ConfigBlock current(long fromBlock) {
        network.gateway().requireOpen(Step.CONFIG);
        List<NodeEndpoint> orderers = network.orderers();
        if (orderers.isEmpty()) {
            throw SdkException.of(Step.CONFIG, SdkErrorCode.NO_ORDERERS, "no orderer is known for channel '"
                    + network.channel() + "': check discovery or the explicit orderers given to the gateway").build();
        }
        List<String> failures = new ArrayList<>();
        for (NodeEndpoint orderer : orderers) {
            try {
                return current(orderer, Math.max(0, fromBlock));
            } catch (TransportException e) {
                if (e.code() == io.charter.common.transport.ErrorCode.PERMISSION_DENIED
                        || e.code() == io.charter.common.transport.ErrorCode.UNAUTHENTICATED) {
                    throw SdkException.of(Step.CONFIG, SdkErrorCode.ORDERING_REFUSED, orderer.name() + " refused to"
                            + " deliver the blocks of '" + network.channel() + "': " + e.getMessage()).cause(e).build();
                }
                failures.add(orderer.name() + ": " + e.getMessage());
            }
        }
        throw SdkException.of(Step.CONFIG, SdkErrorCode.ORDERERS_UNAVAILABLE, "no orderer delivered the configuration"
                + " of channel '" + network.channel() + "': " + failures).build();
    }

    private ConfigBlock current(NodeEndpoint orderer, long fromBlock) {
        Duration wait = network.gateway().timeouts().order();
        Block last = null;
        Block lastConfigSeen = null;
        try (Reader reader = new Reader(orderer, fromBlock, Optional.empty(), wait)) {
            Optional<Block> next;
            Duration timeout = wait;
            while ((next = reader.next(timeout)).isPresent()) {
                last = next.get();
                if (last.getMetadata().getLastConfigBlock() == last.getHeader().getNumber()) {
                    lastConfigSeen = last;
                }
                timeout = IDLE;
            }
        }
        if (last == null) {
            if (fromBlock > 0) {
                return current(orderer, 0);
            }
            throw new TransportException(io.charter.common.transport.ErrorCode.DEADLINE_EXCEEDED,
                    "delivered no block of '" + network.channel() + "' within " + wait);
        }
        long configNumber = last.getMetadata().getLastConfigBlock();
        Block configBlock = lastConfigSeen != null && lastConfigSeen.getHeader().getNumber() == configNumber
                ? lastConfigSeen : block(orderer, configNumber, wait);
        return new ConfigBlock(configNumber, configOf(configBlock));
    }

    /**
     * Block {@code number} as the channel's orderers deliver it (the first that answers), e.g. to compare what the
     * orderers hold with the peers' blocks after a restart. The caller must satisfy the channel's Readers policy.
     *
     * @throws SdkException {@code NO_ORDERERS}; {@code ORDERING_REFUSED} when an orderer refuses the caller;
     *     {@code ORDERERS_UNAVAILABLE} when none delivers it within the order timeout
     */
    public Block ordererBlock(long number) {
        network.gateway().requireOpen(Step.CONFIG);
        if (number < 0) {
            throw new IllegalArgumentException("a block number is never negative: " + number);
        }
        List<NodeEndpoint> orderers = network.orderers();
        if (orderers.isEmpty()) {
            throw SdkException.of(Step.CONFIG, SdkErrorCode.NO_ORDERERS, "no orderer is known for channel '"
                    + network.channel() + "'").build();
        }
        List<String> failures = new ArrayList<>();
        for (NodeEndpoint orderer : orderers) {
            try {
                return block(orderer, number, network.gateway().timeouts().order());
            } catch (TransportException e) {
                if (e.code() == io.charter.common.transport.ErrorCode.PERMISSION_DENIED
                        || e.code() == io.charter.common.transport.ErrorCode.UNAUTHENTICATED) {
                    throw SdkException.of(Step.CONFIG, SdkErrorCode.ORDERING_REFUSED, orderer.name() + " refused to"
                            + " deliver block " + number + " of '" + network.channel() + "': " + e.getMessage()).cause(e)
                            .build();
                }
                failures.add(orderer.name() + ": " + e.getMessage());
            }
        }
        throw SdkException.of(Step.CONFIG, SdkErrorCode.ORDERERS_UNAVAILABLE, "no orderer delivered block " + number
                + " of '" + network.channel() + "': " + failures).build();
    }

    private Block block(NodeEndpoint orderer, long number, Duration wait) {
        try (Reader reader = new Reader(orderer, number, Optional.of(number), wait)) {
            return reader.next(wait).orElseThrow(() -> new TransportException(
                    io.charter.common.transport.ErrorCode.DEADLINE_EXCEEDED, "did not deliver block " + number
                    + " within " + wait));
        }
    }

    /** The configuration a config block carries ({@link io.charter.common.config.ChannelConfigs#of}). */
    public static ChannelConfig configOf(Block block) {
        return io.charter.common.config.ChannelConfigs.of(block);
    }

    /**
     * Broadcasts {@code update} (its admins' signatures collected) as a {@code CONFIG_UPDATE} envelope created and
     * signed by this gateway's identity, and waits until the orderers committed the config block it produced.
     * Returns that block's number.
     *
     * @throws SdkException {@code ORDERING_REFUSED} with {@link SdkException#ordererReason()} {@code CONFIG_UNAUTHORIZED}
     *     (signatures do not satisfy the Admins policy), {@code CONFIG_SEQUENCE_MISMATCH}, {@code CONFIG_INVALID},
     *     {@code CONFIG_WRONG_CHANNEL}, ...; {@code ORDERERS_UNAVAILABLE}; {@code TIMEOUT}
     */
    public long submit(ConfigUpdateEnvelope update) {
        Identity identity = network.gateway().identity();
        ByteString creator = identity.serialized();
        ByteString nonce = TransactionIds.newNonce();
        String txId = TransactionIds.compute(nonce, creator);
        Instant now = Instant.now();
        PayloadHeader header = PayloadHeader.newBuilder()
                .setType(HeaderType.CONFIG_UPDATE)
                .setChannelId(network.channel())
                .setTxId(txId)
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setCreator(creator)
                .setNonce(nonce)
                .build();
        Envelope envelope = Envelopes.seal(header, update.toByteString(), identity.signer());
        return network.broadcast(new EndorsedTransaction(txId, network.channel(), envelope.toByteString(),
                ByteString.EMPTY, List.of()));
    }

    /** One deliver stream, read block by block; closing it cancels the stream. */
    private final class Reader implements AutoCloseable {
        private static final Object END = new Object();
        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private volatile Flow.Subscription subscription;
        private volatile boolean closed;

        Reader(NodeEndpoint orderer, long start, Optional<Long> stop, Duration deadline) {
            DeliverRequest.Builder request = DeliverRequest.newBuilder().setChannelId(network.channel()).setStartNumber(start);
            stop.ifPresent(request::setStopNumber);
            network.gateway().ordererClient(orderer).serverStream(DELIVER, request.build().toByteString(),
                    Duration.ofDays(1)).subscribe(new Flow.Subscriber<>() {
                        @Override
                        public void onSubscribe(Flow.Subscription value) {
                            subscription = value;
                            if (closed) {
                                value.cancel();
                            } else {
                                value.request(1);
                            }
                        }

                        @Override
                        public void onNext(ByteString item) {
                            queue.add(item);
                        }

                        @Override
                        public void onError(Throwable error) {
                            queue.add(error);
                        }

                        @Override
                        public void onComplete() {
                            queue.add(END);
                        }
                    });
        }

        /** The next block, or empty when none came within {@code timeout} or the stream ended. */
        Optional<Block> next(Duration timeout) {
            Object item;
            try {
                item = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SdkException.of(Step.CONFIG, SdkErrorCode.CANCELLED, "interrupted while reading blocks").cause(e).build();
            }
            if (item == null || item == END) {
                return Optional.empty();
            }
            if (item instanceof TransportException e) {
                throw e;
            }
            if (item instanceof Throwable t) {
                throw new TransportException(io.charter.common.transport.ErrorCode.INTERNAL, String.valueOf(t), t);
            }
            try {
                Block block = Block.parseFrom((ByteString) item);
                subscription.request(1);
                return Optional.of(block);
            } catch (InvalidProtocolBufferException e) {
                throw new TransportException(io.charter.common.transport.ErrorCode.INTERNAL, "the orderer sent bytes"
                        + " that are not a block", e);
            }
        }

        @Override
        public void close() {
            closed = true;
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
        }
    }
}
