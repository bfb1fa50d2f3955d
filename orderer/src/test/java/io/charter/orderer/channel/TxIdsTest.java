package io.charter.orderer.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.Payload;
import io.charter.protocol.PayloadHeader;
import java.util.List;
import org.junit.jupiter.api.Test;

class TxIdsTest {

    @Test
    void theLeanReadFindsTheSameTxIdAsAFullParse() {
        ByteString envelope = envelope(PayloadHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION)
                .setChannelId("c").setTxId("abc123").setCreator(ByteString.copyFrom(new byte[700]))
                .setNonce(ByteString.copyFromUtf8("nonce")).build());

        assertThat(TxIds.all(envelope)).containsExactly("abc123").isEqualTo(TxIds.allParsed(envelope));
    }

    @Test
    void anEnvelopeWithoutTxIdOrPayloadStandsForNoTxId() {
        ByteString noTxId = envelope(PayloadHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION).build());
        assertThat(TxIds.all(noTxId)).isEmpty();
        assertThat(TxIds.all(Envelope.getDefaultInstance().toByteString())).isEmpty();
    }

    @Test
    void malformedBytesStandForNoTxIdEitherWay() {
        ByteString garbage = ByteString.copyFrom(new byte[] {(byte) 0x0A, (byte) 0xFF, 0x01});
        assertThat(TxIds.all(garbage)).isEqualTo(TxIds.allParsed(garbage)).isEqualTo(List.of());
    }

    @Test
    void aConfigEnvelopeIsReadInFull() {
        ByteString config = envelope(PayloadHeader.newBuilder().setType(HeaderType.CONFIG).setTxId("cfg").build());
        assertThat(TxIds.all(config)).isEqualTo(TxIds.allParsed(config)).contains("cfg");
    }

    private static ByteString envelope(PayloadHeader header) {
        Payload payload = Payload.newBuilder().setHeader(header).setData(ByteString.copyFrom(new byte[300])).build();
        return Envelope.newBuilder().setPayload(payload.toByteString())
                .setSignature(ByteString.copyFrom(new byte[70])).build().toByteString();
    }
}
