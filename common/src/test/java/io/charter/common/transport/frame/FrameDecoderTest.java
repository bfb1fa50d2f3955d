package io.charter.common.transport.frame;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.transport.ErrorCode;
import io.charter.protocol.Frame;
import io.charter.protocol.FrameKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    private static final Frame REQUEST = Frames.request(7, "echo", ByteString.copyFromUtf8("hi"), 1000, 0);

    @Test
    void anOversizedLengthIsRefusedAsSoonAsThePrefixArrivesWithoutWaitingForTheBody() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(1024));
        channel.writeInbound(Unpooled.buffer().writeInt(1025).writeByte(1));

        FramingError error = channel.readInbound();

        assertThat(error.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(error.message()).contains("1025").contains("1024");
        assertThat(error.connectionUsable()).isFalse();
        channel.writeInbound(Unpooled.wrappedBuffer(DecodedStream.encode(REQUEST)));
        assertThat((Object) channel.readInbound()).as("everything after is discarded").isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void aLengthWithTheHighBitSetIsTooLargeNotNegative() {
        List<Object> decoded = DecodedStream.decode(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, List.of(), 1024);

        assertThat(decoded).singleElement().extracting(e -> ((FramingError) e).code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
    }

    @Test
    void aConnectionClosedMidFrameIsReportedAsATruncatedFrame() {
        byte[] wire = DecodedStream.encode(REQUEST);
        byte[] truncated = java.util.Arrays.copyOf(wire, wire.length - 1);

        List<Object> decoded = DecodedStream.decode(truncated, List.of(3), 1024);

        assertThat(decoded).singleElement().isInstanceOfSatisfying(FramingError.class, error -> {
            assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
            assertThat(error.message()).contains("closed in the middle of a frame");
            assertThat(error.connectionUsable()).isFalse();
        });
    }

    @Test
    void malformedProtobufInsideASoundLengthIsReportedAndTheNextFrameStillDecodes() {
        ByteBuf wire = Unpooled.buffer();
        wire.writeInt(3).writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        FrameEncoder.encode(REQUEST, wire);
        byte[] bytes = new byte[wire.readableBytes()];
        wire.readBytes(bytes);

        List<Object> decoded = DecodedStream.decode(bytes, List.of(), 1024);

        assertThat(decoded).hasSize(2);
        assertThat(decoded.get(0)).isInstanceOfSatisfying(FramingError.class, error -> {
            assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
            assertThat(error.connectionUsable()).isTrue();
        });
        assertThat(decoded.get(1)).isEqualTo(REQUEST);
    }

    @Test
    void aWellFormedProtobufThatBreaksTheFrameRulesIsMalformedAndNamesItsRequest() {
        Frame noMethod = Frame.newBuilder().setRequestId(9).setKind(FrameKind.FRAME_KIND_REQUEST).build();

        List<Object> decoded = DecodedStream.decode(DecodedStream.encode(noMethod), List.of(), 1024);

        assertThat(decoded).singleElement().isInstanceOfSatisfying(FramingError.class, error -> {
            assertThat(error.requestId()).isEqualTo(9);
            assertThat(error.message()).contains("names no method");
        });
    }

    @Test
    void aPeerSendingOnlyMalformedFramesIsGivenUpOn() {
        ByteBuf wire = Unpooled.buffer();
        for (int i = 0; i < 40; i++) {
            wire.writeInt(1).writeByte(0xff);
        }
        byte[] bytes = new byte[wire.readableBytes()];
        wire.readBytes(bytes);

        List<Object> decoded = DecodedStream.decode(bytes, List.of(), 1024);

        assertThat(decoded).hasSize(FrameDecoder.MAX_CONSECUTIVE_MALFORMED);
        assertThat(((FramingError) decoded.getLast()).connectionUsable()).isFalse();
    }
}
