package io.charter.orderer.channel;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.TransactionIds;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigEnvelope;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.Payload;
import io.charter.protocol.PayloadHeader;
import java.util.Optional;

/** Config blocks: recognizing them and writing the CONFIG envelope of an accepted update. */
final class ConfigBlocks {

    private ConfigBlocks() {}

    /** The configuration of {@code block} if it is a config block (one CONFIG envelope). */
    static Optional<ChannelConfig> configOf(Block block) {
        if (block.getData().getEnvelopesCount() != 1) {
            return Optional.empty();
        }
        try {
            Envelope envelope = Envelope.parseFrom(block.getData().getEnvelopes(0));
            Payload payload = Payload.parseFrom(envelope.getPayload());
            if (payload.getHeader().getType() != HeaderType.CONFIG) {
                return Optional.empty();
            }
            return Optional.of(ConfigEnvelope.parseFrom(payload.getData()).getConfig());
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    /**
     * The CONFIG envelope the leader orders for an accepted update: data = {@code ConfigEnvelope{config,
     * last_update}}, created and signed by the leader, with a tx id of its own.
     */
    static ByteString configEnvelope(String channelId, ChannelConfig config, ByteString update, OrdererIdentity identity) {
        ByteString creator = identity.serialized();
        ByteString nonce = TransactionIds.newNonce();
        PayloadHeader header = PayloadHeader.newBuilder()
                .setType(HeaderType.CONFIG)
                .setChannelId(channelId)
                .setTxId(TransactionIds.compute(nonce, creator))
                .setCreator(creator)
                .setNonce(nonce)
                .build();
        ByteString data = ConfigEnvelope.newBuilder().setConfig(config).setLastUpdate(update).build().toByteString();
        return Envelopes.seal(header, data, identity.signer()).toByteString();
    }
}
