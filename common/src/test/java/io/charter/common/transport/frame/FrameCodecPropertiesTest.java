package io.charter.common.transport.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.google.protobuf.ByteString;
import io.charter.common.transport.ErrorCode;
import io.charter.protocol.Frame;
import io.charter.protocol.FrameKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

class FrameCodecPropertiesTest {

    private static final int MAX_FRAME = 4096;

    private static final Gen<byte[]> BODIES = Generate.byteArrays(Generate.range(0, 300), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
    // Unicode scalar values only: a lone surrogate is not text and protobuf strings (UTF-8) cannot carry it.
    private static final Gen<String> TEXT = SourceDSL.strings().betweenCodePoints(0, 0xD7FF).ofLengthBetween(0, 40)
            .zip(SourceDSL.strings().betweenCodePoints(0xE000, 0xFFFF).ofLengthBetween(0, 5),
                    Generate.range(0x10000, 0x10FFFF).map(Character::toString), (a, b, c) -> a + b + c);
    private static final Gen<List<Integer>> CUTS = SourceDSL.lists().of(Generate.range(0, 2000)).ofSizeBetween(0, 12);

    private static final Gen<Frame> FRAMES = SourceDSL.longs().between(1, Long.MAX_VALUE)
            .zip(Generate.enumValues(FrameKind.class), TEXT, BODIES, (id, kind, text, body) -> {
                FrameKind real = kind == FrameKind.UNRECOGNIZED || kind == FrameKind.FRAME_KIND_UNSPECIFIED
                        ? FrameKind.FRAME_KIND_REQUEST : kind;
                Frame.Builder frame = Frame.newBuilder().setRequestId(id).setKind(real).setBody(ByteString.copyFrom(body));
                switch (real) {
                    case FRAME_KIND_REQUEST -> frame.setMethod("m/" + text).setDeadlineMillis(id % 100_000).setCredit((int) (id % 1000));
                    case FRAME_KIND_CREDIT -> frame.setCredit((int) (id & 0x7fffffff));
                    case FRAME_KIND_ERROR -> frame.setError(Frames.error(id, ErrorCode.values()[(int) (id % ErrorCode.values().length)], text).getError());
                    default -> { }
                }
                return frame.build();
            });

    @Test
    void framesWithRandomFieldsSurviveEncodingAndDecodingWhateverTheTcpSegmentation() {
        qt().withExamples(300).forAll(SourceDSL.lists().of(FRAMES).ofSizeBetween(1, 5), CUTS).checkAssert((frames, cuts) -> {
            byte[] wire = DecodedStream.encode(frames.toArray(Frame[]::new));
            List<Object> decoded = DecodedStream.decode(wire, cuts, MAX_FRAME);
            assertThat(decoded).containsExactlyElementsOf(frames);
        });
    }

    @Test
    void randomBytesInRandomPiecesYieldOnlyFramesOrFramingErrorsAndNothingAfterTheStreamIsGivenUp() {
        Gen<byte[]> noise = Generate.byteArrays(Generate.range(0, 2000), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
        qt().withExamples(2000).forAll(noise, CUTS).checkAssert((bytes, cuts) -> {
            List<Object> decoded = DecodedStream.decode(bytes, cuts, MAX_FRAME);
            assertOnlyDocumentedOutcomes(decoded);
        });
    }

    @Test
    void randomBytesAfterValidFramesStillYieldTheValidFramesFirst() {
        Gen<byte[]> noise = Generate.byteArrays(Generate.range(1, 500), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
        qt().withExamples(500).forAll(FRAMES, noise, CUTS).checkAssert((frame, garbage, cuts) -> {
            byte[] valid = DecodedStream.encode(frame);
            byte[] wire = new byte[valid.length + garbage.length];
            System.arraycopy(valid, 0, wire, 0, valid.length);
            System.arraycopy(garbage, 0, wire, valid.length, garbage.length);
            List<Object> decoded = DecodedStream.decode(wire, cuts, MAX_FRAME);
            assertThat(decoded).isNotEmpty();
            assertThat(decoded.getFirst()).isEqualTo(frame);
            assertOnlyDocumentedOutcomes(decoded);
        });
    }

    /** Frames, then framing errors with a documented code; after an unusable-stream error, nothing. */
    static void assertOnlyDocumentedOutcomes(List<Object> decoded) {
        for (int i = 0; i < decoded.size(); i++) {
            Object item = decoded.get(i);
            assertThat(item).isInstanceOfAny(Frame.class, FramingError.class);
            if (item instanceof Frame frame) {
                assertThat(Frames.problemWith(frame)).isEmpty();
            }
            if (item instanceof FramingError error) {
                assertThat(error.code()).isIn(ErrorCode.MALFORMED_FRAME, ErrorCode.FRAME_TOO_LARGE);
                assertThat(error.message()).isNotBlank();
                if (!error.connectionUsable()) {
                    assertThat(i).as("nothing follows a stream given up").isEqualTo(decoded.size() - 1);
                }
            }
        }
    }
}
