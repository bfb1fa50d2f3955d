package io.charter.orderer.channel;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.protocol.ConfigEnvelope;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.Payload;
import java.util.ArrayList;
import java.util.List;

/** The tx id of an envelope in a block, read without validating anything else. */
final class TxIds {

    private TxIds() {}

    /** The header's tx id, or empty if the envelope does not parse. */
    static String of(ByteString envelopeBytes) {
        try {
            Envelope envelope = Envelope.parseFrom(envelopeBytes);
            return Payload.parseFrom(envelope.getPayload()).getHeader().getTxId();
        } catch (InvalidProtocolBufferException e) {
            return "";
        }
    }

    /**
     * The tx ids an envelope in a block stands for: its own and, for a CONFIG envelope written by the
     * leader, that of the CONFIG_UPDATE it carries as {@code last_update} (what the submitter waits for).
     */
    static List<String> all(ByteString envelopeBytes) {
        List<String> ids = new ArrayList<>(2);
        try {
            Envelope envelope = Envelope.parseFrom(envelopeBytes);
            Payload payload = Payload.parseFrom(envelope.getPayload());
            if (!payload.getHeader().getTxId().isEmpty()) {
                ids.add(payload.getHeader().getTxId());
            }
            if (payload.getHeader().getType() == HeaderType.CONFIG) {
                ByteString lastUpdate = ConfigEnvelope.parseFrom(payload.getData()).getLastUpdate();
                if (!lastUpdate.isEmpty()) {
                    String update = of(lastUpdate);
                    if (!update.isEmpty()) {
                        ids.add(update);
                    }
                }
            }
        } catch (InvalidProtocolBufferException e) {
            // nothing more to read
        }
        return ids;
    }
}
