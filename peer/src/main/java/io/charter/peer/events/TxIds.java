package io.charter.peer.events;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.protocol.Envelope;
import io.charter.protocol.Payload;

/** The claimed tx id of an envelope, or null when it does not parse. */
final class TxIds {

    private TxIds() {}

    static String of(ByteString envelopeBytes) {
        try {
            Payload payload = Payload.parseFrom(Envelope.parseFrom(envelopeBytes).getPayload());
            String txId = payload.getHeader().getTxId();
            return txId.isEmpty() ? null : txId;
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }
}
