package io.charter.common.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.charter.protocol.Block;
import io.charter.protocol.BlockData;
import io.charter.protocol.BlockHeader;
import io.charter.protocol.BlockMetadata;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigEnvelope;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.Payload;
import io.charter.protocol.PayloadHeader;
import java.time.Instant;
import java.util.List;

/**
 * Builds blocks whose header links to their predecessor. Blocks come out unsigned and without
 * validation codes: orderers add {@link BlockSignatures}, peers add validation codes, and neither
 * touches the hashed header.
 */
public final class Blocks {

    private Blocks() {}

    /**
     * The block after {@code previous}: number + 1, {@code previous_hash} = header hash of
     * {@code previous}, {@code data_hash} over {@code envelopes} (each an Envelope's exact bytes).
     *
     * @param lastConfigBlock the number of the block holding the configuration in force; the new
     *     block's own number when it is itself a config block
     */
    public static Block nextBlock(BlockHeader previous, List<ByteString> envelopes, long lastConfigBlock) {
        BlockData data = BlockData.newBuilder().addAllEnvelopes(envelopes).build();
        BlockHeader header = BlockHeader.newBuilder()
                .setNumber(previous.getNumber() + 1)
                .setPreviousHash(BlockHashing.headerHash(previous))
                .setDataHash(BlockHashing.dataHash(data))
                .build();
        return assemble(header, data, lastConfigBlock);
    }

    /** {@link #genesisBlock(ChannelConfig, Instant, ByteString)} with a fresh random nonce. */
    public static Block genesisBlock(ChannelConfig config, Instant createdAt) {
        return genesisBlock(config, createdAt, TransactionIds.newNonce());
    }

    /**
     * Block 0 of a channel: one CONFIG envelope carrying {@code config}. The genesis block has no
     * predecessor, so its {@code previous_hash} is empty (rather than a made-up hash of zeros, which
     * a verifier could not tell from a real link). Its envelope has no creator and no signature: it
     * is trusted because the operator hands it to every node, not because someone signed it. With
     * the same inputs the block is the same bit for bit, so independent tools can agree on it.
     */
    public static Block genesisBlock(ChannelConfig config, Instant createdAt, ByteString nonce) {
        if (config.getChannelId().isEmpty()) {
            throw new IllegalArgumentException("the genesis configuration names no channel");
        }
        PayloadHeader header = PayloadHeader.newBuilder()
                .setType(HeaderType.CONFIG)
                .setChannelId(config.getChannelId())
                .setTxId(TransactionIds.compute(nonce, ByteString.EMPTY))
                .setTimestamp(Timestamp.newBuilder()
                        .setSeconds(createdAt.getEpochSecond())
                        .setNanos(createdAt.getNano()))
                .setNonce(nonce)
                .build();
        ConfigEnvelope configEnvelope = ConfigEnvelope.newBuilder().setConfig(config).build();
        Payload payload = Payload.newBuilder()
                .setHeader(header)
                .setData(configEnvelope.toByteString())
                .build();
        Envelope envelope = Envelope.newBuilder().setPayload(payload.toByteString()).build();
        BlockData data = BlockData.newBuilder().addEnvelopes(envelope.toByteString()).build();
        BlockHeader blockHeader = BlockHeader.newBuilder()
                .setNumber(0)
                .setDataHash(BlockHashing.dataHash(data))
                .build();
        return assemble(blockHeader, data, 0);
    }

    private static Block assemble(BlockHeader header, BlockData data, long lastConfigBlock) {
        return Block.newBuilder()
                .setHeader(header)
                .setData(data)
                .setMetadata(BlockMetadata.newBuilder().setLastConfigBlock(lastConfigBlock))
                .build();
    }
}
