package io.charter.common.transport.frame;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.charter.protocol.Frame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes {@link FrameDecoder} through an {@code EmbeddedChannel}, as a connection would feed it.
 * Without {@code JAZZER_FUZZ} it replays the seeds in {@code FrameDecoderFuzzTestInputs/} as a
 * regression test; with {@code JAZZER_FUZZ=1} it explores new inputs for up to 30 seconds.
 */
class FrameDecoderFuzzTest {

    private static final int MAX_FRAME = 1024;

    /**
     * The first byte sets how the rest is cut into reads (1 to 256 bytes each), so that the fuzzer
     * also explores frames split across reads; the rest is the byte stream.
     */
    @FuzzTest(maxDuration = "30s")
    void decoderYieldsOnlyFramesOrFramingErrors(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int readSize = (input[0] & 0xff) + 1;
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        List<Integer> cuts = new ArrayList<>();
        for (int cut = readSize; cut < stream.length; cut += readSize) {
            cuts.add(cut);
        }

        List<Object> decoded = DecodedStream.decode(stream, cuts, MAX_FRAME);

        FrameCodecPropertiesTest.assertOnlyDocumentedOutcomes(decoded);
        for (Object item : decoded) {
            if (item instanceof Frame frame) {
                // Whatever was accepted re-encodes to bytes that decode to the same frame.
                assertThat(DecodedStream.decode(DecodedStream.encode(frame), List.of(), MAX_FRAME)).containsExactly(frame);
            }
        }
    }
}
