package io.charter.orderer.blockcutter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockCutterTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<Batch> batches = new ArrayList<>();
    private int counter;

    private BlockCutter cutter(int count, long preferred, long absolute, Duration timeout) {
        return new BlockCutter(new BatchParameters(count, preferred, absolute, timeout), scheduler, batches::add);
    }

    private PendingEnvelope envelope(int size) {
        return new PendingEnvelope(ByteString.copyFrom(new byte[size]), "tx" + counter++, false);
    }

    private PendingEnvelope config(int size) {
        return new PendingEnvelope(ByteString.copyFrom(new byte[size]), "cfg" + counter++, true);
    }

    @Test
    void cutsWhenTheBatchReachesMaxMessageCount() {
        BlockCutter cutter = cutter(3, 1000, 2000, Duration.ofSeconds(2));
        for (int i = 0; i < 7; i++) {
            cutter.add(envelope(10));
        }
        assertThat(batches).hasSize(2).allSatisfy(b -> {
            assertThat(b.envelopes()).hasSize(3);
            assertThat(b.cause()).isEqualTo(CutCause.COUNT);
        });
        assertThat(cutter.pendingCount()).isEqualTo(1);
    }

    @Test
    void cutsBeforeAnEnvelopeThatWouldExceedPreferredMaxBytes() {
        BlockCutter cutter = cutter(100, 100, 1000, Duration.ofSeconds(2));
        cutter.add(envelope(40));
        cutter.add(envelope(40));
        cutter.add(envelope(40));
        assertThat(batches).singleElement().satisfies(b -> {
            assertThat(b.envelopes()).hasSize(2);
            assertThat(b.cause()).isEqualTo(CutCause.BYTES);
        });
        assertThat(cutter.pendingBytes()).isEqualTo(40);
    }

    @Test
    void cutsWhenTheBatchTimeoutExpires() {
        BlockCutter cutter = cutter(100, 1000, 2000, Duration.ofSeconds(2));
        cutter.add(envelope(10));
        scheduler.advance(Duration.ofMillis(1500));
        cutter.add(envelope(10));
        assertThat(batches).isEmpty();
        scheduler.advance(Duration.ofMillis(500));
        assertThat(batches).singleElement().satisfies(b -> {
            assertThat(b.envelopes()).hasSize(2);
            assertThat(b.cause()).isEqualTo(CutCause.TIMEOUT);
        });
        assertThat(scheduler.scheduledCount()).isZero();
    }

    @Test
    void aTimerFromACutBatchDoesNotCutTheNextBatchEarly() {
        BlockCutter cutter = cutter(2, 1000, 2000, Duration.ofSeconds(2));
        cutter.add(envelope(10));
        scheduler.advance(Duration.ofSeconds(1));
        cutter.add(envelope(10)); // cut by count, timer cancelled
        cutter.add(envelope(10)); // new batch, new timer due at 3 s
        scheduler.advance(Duration.ofMillis(1500));
        assertThat(batches).hasSize(1);
        scheduler.advance(Duration.ofMillis(500));
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1).cause()).isEqualTo(CutCause.TIMEOUT);
    }

    @Test
    void anEnvelopeLargerThanPreferredMaxBytesGoesInABlockOfItsOwn() {
        BlockCutter cutter = cutter(100, 100, 1000, Duration.ofSeconds(2));
        cutter.add(envelope(10));
        cutter.add(envelope(500));
        cutter.add(envelope(10));
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0).envelopes()).hasSize(1);
        assertThat(batches.get(0).envelopes().getFirst().size()).isEqualTo(10);
        assertThat(batches.get(1).envelopes()).singleElement().satisfies(e -> assertThat(e.size()).isEqualTo(500));
        assertThat(batches).allSatisfy(b -> assertThat(b.cause()).isEqualTo(CutCause.BYTES));
        assertThat(cutter.pendingCount()).isEqualTo(1);
    }

    @Test
    void aConfigTransactionGoesInABlockOfItsOwnAfterThePendingBatch() {
        BlockCutter cutter = cutter(100, 1000, 2000, Duration.ofSeconds(2));
        cutter.add(envelope(10));
        cutter.add(envelope(10));
        PendingEnvelope config = config(10);
        cutter.add(config);
        cutter.add(envelope(10));
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0).envelopes()).hasSize(2);
        assertThat(batches.get(0).cause()).isEqualTo(CutCause.CONFIG);
        assertThat(batches.get(1).envelopes()).containsExactly(config);
        assertThat(batches.get(1).cause()).isEqualTo(CutCause.CONFIG);
        assertThat(cutter.pendingCount()).isEqualTo(1);
    }

    @Test
    void refusesAnEnvelopeLargerThanAbsoluteMaxBytes() {
        BlockCutter cutter = cutter(100, 100, 200, Duration.ofSeconds(2));
        assertThatThrownBy(() -> cutter.add(envelope(201))).isInstanceOf(IllegalArgumentException.class);
        assertThat(batches).isEmpty();
    }

    @Test
    void anySequenceOfSizesIsCutIntoBoundedBlocksInOrderWithNothingLost() {
        qt().forAll(
                        lists().of(integers().between(1, 300)).ofSizeBetween(0, 200),
                        integers().between(1, 20),
                        integers().between(1, 400))
                .checkAssert((sizes, count, preferred) -> {
                    long absolute = 300;
                    List<Batch> cut = new ArrayList<>();
                    ManualScheduler clock = new ManualScheduler();
                    BlockCutter cutter = new BlockCutter(
                            new BatchParameters(count, Math.min(preferred, absolute), absolute, Duration.ofSeconds(1)),
                            clock, cut::add);
                    List<PendingEnvelope> sent = new ArrayList<>();
                    int id = 0;
                    for (int size : sizes) {
                        PendingEnvelope e = new PendingEnvelope(ByteString.copyFrom(new byte[size]), "t" + id, id % 37 == 36);
                        id++;
                        sent.add(e);
                        cutter.add(e);
                        if (id % 13 == 0) {
                            clock.advance(Duration.ofMillis(400));
                        }
                    }
                    clock.advance(Duration.ofSeconds(1));
                    assertThat(cutter.pendingCount()).isZero();
                    List<PendingEnvelope> received = new ArrayList<>();
                    for (Batch batch : cut) {
                        assertThat(batch.envelopes().size()).isLessThanOrEqualTo(count);
                        assertThat(batch.bytes()).isLessThanOrEqualTo(absolute);
                        if (batch.envelopes().size() > 1) {
                            assertThat(batch.bytes()).isLessThanOrEqualTo(Math.min(preferred, absolute));
                            assertThat(batch.envelopes()).noneMatch(PendingEnvelope::config);
                        }
                        received.addAll(batch.envelopes());
                    }
                    assertThat(received).containsExactlyElementsOf(sent);
                });
    }
}
