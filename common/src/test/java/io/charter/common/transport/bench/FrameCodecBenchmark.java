package io.charter.common.transport.bench;

import com.google.protobuf.ByteString;
import io.charter.common.transport.frame.FrameDecoder;
import io.charter.common.transport.frame.FrameEncoder;
import io.charter.common.transport.frame.Frames;
import io.charter.protocol.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Frame codec throughput, without TLS or sockets: encoding a response frame into a pooled buffer,
 * and decoding one through the real {@link FrameDecoder} in an {@link EmbeddedChannel} (so the
 * cumulation and pipeline hand-off are counted). Run:
 * {@code ./mvnw -B -pl common -Pbench verify -Dbench.args="FrameCodecBenchmark -f 1 -wi 2 -i 3"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameCodecBenchmark {

    @Param({"100", "1024"})
    public int bodyBytes;

    private Frame frame;
    private byte[] encoded;
    private ByteBuf wire;
    private EmbeddedChannel decoderChannel;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] body = new byte[bodyBytes];
        ThreadLocalRandom.current().nextBytes(body);
        frame = Frames.response(123_456_789L, ByteString.copyFrom(body));
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.heapBuffer();
        FrameEncoder.encode(frame, buffer);
        encoded = new byte[buffer.readableBytes()];
        buffer.readBytes(encoded);
        buffer.release();
        wire = PooledByteBufAllocator.DEFAULT.directBuffer(encoded.length).writeBytes(encoded);
        decoderChannel = new EmbeddedChannel(new FrameDecoder());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        wire.release();
        decoderChannel.finishAndReleaseAll();
    }

    @Benchmark
    public int encode() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(FrameEncoder.encodedSize(frame));
        FrameEncoder.encode(frame, out);
        int written = out.readableBytes();
        out.release();
        return written;
    }

    @Benchmark
    public Frame decode() {
        // retainedDuplicate: the decoder releases what it is given, the bytes stay for the next round.
        decoderChannel.writeInbound(wire.retainedDuplicate());
        return decoderChannel.readInbound();
    }
}
