package io.charter.orderer.channel;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
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
        try {
            // the common case read lean: only the fields leading to the header's type and tx id, no copies
            CodedInputStream payload = field(envelopeBytes, ENVELOPE_PAYLOAD);
            if (payload != null) {
                CodedInputStream header = field(payload, PAYLOAD_HEADER);
                if (header != null) {
                    int type = 0;
                    String txId = "";
                    for (int tag = header.readTag(); tag != 0; tag = header.readTag()) {
                        switch (tag) {
                            case (HEADER_TYPE << 3) -> type = header.readEnum();
                            case (HEADER_TX_ID << 3) | 2 -> txId = header.readStringRequireUtf8();
                            default -> header.skipField(tag);
                        }
                    }
                    if (type != HeaderType.CONFIG_VALUE) {
                        return txId.isEmpty() ? List.of() : List.of(txId);
                    }
                }
            }
        } catch (java.io.IOException e) {
            // read it the full way below, which decides what a malformed envelope yields
        }
        return allParsed(envelopeBytes);
    }

    private static final int ENVELOPE_PAYLOAD = 1;
    private static final int PAYLOAD_HEADER = 1;
    private static final int HEADER_TYPE = 1;
    private static final int HEADER_TX_ID = 3;

    /** A reader over the last occurrence of length-delimited field {@code number}, or null if absent. */
    private static CodedInputStream field(ByteString message, int number) throws java.io.IOException {
        return field(message.newCodedInput(), number);
    }

    private static CodedInputStream field(CodedInputStream in, int number) throws java.io.IOException {
        in.enableAliasing(true);
        ByteString value = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == ((number << 3) | 2)) {
                value = in.readBytes();
            } else {
                in.skipField(tag);
            }
        }
        return value == null ? null : value.newCodedInput();
    }

    static List<String> allParsed(ByteString envelopeBytes) {
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
