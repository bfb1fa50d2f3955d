package io.charter.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.protocol.Envelope;
import io.charter.protocol.Payload;
import io.charter.protocol.PayloadHeader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The id an envelope claims, read without trusting or checking it; and fresh nonces. */
class TransactionIdsTest {

    @Test
    void theClaimedIdIsTheHeadersWhateverItIs() {
        ByteString envelope = Envelope.newBuilder().setPayload(Payload.newBuilder()
                .setHeader(PayloadHeader.newBuilder().setTxId("not-even-hex")).build().toByteString()).build().toByteString();
        assertThat(TransactionIds.claimedBy(envelope)).contains("not-even-hex");
    }

    @Test
    void anEnvelopeWithoutAnIdOrThatDoesNotParseClaimsNone() {
        ByteString noId = Envelope.newBuilder().setPayload(Payload.getDefaultInstance().toByteString()).build().toByteString();
        assertThat(TransactionIds.claimedBy(noId)).isEmpty();
        assertThat(TransactionIds.claimedBy(ByteString.copyFromUtf8("not an envelope"))).isEmpty();
        ByteString badPayload = Envelope.newBuilder().setPayload(ByteString.copyFrom(new byte[] {0x0a, (byte) 0xff}))
                .build().toByteString();
        assertThat(TransactionIds.claimedBy(badPayload)).isEmpty();
        assertThat(TransactionIds.claimedBy(ByteString.EMPTY)).isEmpty();
    }

    @Test
    void anIdIsTheHexOfTheSha256OfTheNonceThenTheCreator() throws Exception {
        ByteString nonce = ByteString.copyFromUtf8("nonce-");
        ByteString creator = ByteString.copyFromUtf8("creator");
        byte[] expected = MessageDigest.getInstance("SHA-256").digest("nonce-creator".getBytes(StandardCharsets.UTF_8));
        assertThat(TransactionIds.compute(nonce, creator)).isEqualTo(HexFormat.of().formatHex(expected))
                .isNotEqualTo(TransactionIds.compute(creator, nonce));
    }

    @Test
    void noncesAreFreshAndOfTheirLength() {
        ByteString first = TransactionIds.newNonce();
        assertThat(first.size()).isEqualTo(TransactionIds.NONCE_LENGTH);
        assertThat(TransactionIds.newNonce()).isNotEqualTo(first);
    }
}
