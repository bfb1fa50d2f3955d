package io.charter.orderer.channel;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.protocol.Envelope;
import io.charter.protocol.Payload;

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
}
