package io.charter.orderer.channel;

import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigEnvelope;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.Payload;

/** Reads the channel configuration out of a config block. */
public final class ChannelConfigs {

    private ChannelConfigs() {}

    /** The configuration carried by {@code block}, which must hold exactly one CONFIG envelope. */
    public static ChannelConfig of(Block block) {
        if (block.getData().getEnvelopesCount() != 1) {
            throw new IllegalArgumentException("a config block holds exactly one envelope, block "
                    + block.getHeader().getNumber() + " holds " + block.getData().getEnvelopesCount());
        }
        try {
            Envelope envelope = Envelope.parseFrom(block.getData().getEnvelopes(0));
            Payload payload = Payload.parseFrom(envelope.getPayload());
            if (payload.getHeader().getType() != HeaderType.CONFIG) {
                throw new IllegalArgumentException("block " + block.getHeader().getNumber() + " is not a config block");
            }
            return ConfigEnvelope.parseFrom(payload.getData()).getConfig();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("block " + block.getHeader().getNumber() + " holds no parseable config", e);
        }
    }
}
