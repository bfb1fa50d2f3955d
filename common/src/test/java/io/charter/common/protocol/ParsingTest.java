package io.charter.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.protocol.Envelope;
import io.charter.protocol.Payload;
import io.charter.protocol.PayloadHeader;
import org.junit.jupiter.api.Test;

class ParsingTest {

    private static final ByteString ENVELOPE = Envelope.newBuilder()
            .setPayload(Payload.newBuilder()
                    .setHeader(PayloadHeader.newBuilder().setChannelId("ch").setTxId("tx").setCreator(ByteString.copyFromUtf8("me")))
                    .setData(ByteString.copyFromUtf8("x".repeat(500)))
                    .build().toByteString())
            .setSignature(ByteString.copyFromUtf8("sig"))
            .build().toByteString();

    @Test
    void parsesTheSameMessageAsTheCopyingParser() throws Exception {
        Envelope aliased = Parsing.parse(Envelope.parser(), ENVELOPE);

        assertThat(aliased).isEqualTo(Envelope.parseFrom(ENVELOPE));
        assertThat(Parsing.parse(Payload.parser(), aliased.getPayload())).isEqualTo(Payload.parseFrom(aliased.getPayload()));
    }

    @Test
    void parsesAViewOfAnotherByteString() throws Exception {
        ByteString framed = ByteString.copyFromUtf8("head").concat(ENVELOPE).concat(ByteString.copyFromUtf8("tail"));
        ByteString view = framed.substring(4, 4 + ENVELOPE.size());

        assertThat(Parsing.parse(Envelope.parser(), view)).isEqualTo(Envelope.parseFrom(ENVELOPE));
    }

    @Test
    void truncatedInputIsRejected() {
        ByteString truncated = ENVELOPE.substring(0, ENVELOPE.size() - 10);

        assertThatThrownBy(() -> Parsing.parse(Envelope.parser(), truncated))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void bytesAfterAStrayEndGroupTagAreRejectedLikeTheCopyingParserDoes() {
        // field 1, wire type 4 (end group) = 0x0c, then more bytes that must not be silently ignored
        ByteString withEndGroup = ENVELOPE.concat(ByteString.copyFrom(new byte[] {0x0c, 0x0a, 0x01, 0x41}));

        assertThatThrownBy(() -> Envelope.parseFrom(withEndGroup)).isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> Parsing.parse(Envelope.parser(), withEndGroup))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }
}
