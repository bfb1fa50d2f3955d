package io.charter.orderer.blockstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.charter.common.protocol.ChainVerdict;
import io.charter.common.protocol.ChainVerifier;
import io.charter.protocol.Block;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockStoreTest {

    @TempDir
    Path dir;

    private static final BlockStoreOptions SMALL_SEGMENTS = new BlockStoreOptions(4096, true);

    @Test
    void appendsReadsAndIteratesBlocks() throws IOException {
        List<Block> chain = TestChains.chain(30, 1, 500);
        try (BlockStore store = BlockStore.open(dir, SMALL_SEGMENTS)) {
            assertThat(store.height()).isZero();
            assertThat(store.lastBlock()).isEmpty();
            for (Block block : chain) {
                store.append(block);
            }
            assertThat(store.height()).isEqualTo(30);
            assertThat(store.lastBlock()).contains(chain.getLast());
            assertThat(store.get(17)).isEqualTo(chain.get(17));
            assertThat(store.stream(25).toList()).containsExactlyElementsOf(chain.subList(25, 30));
            assertThat(store.segmentFiles()).hasSizeGreaterThan(1);
            assertThatThrownBy(() -> store.get(30)).isInstanceOf(NoSuchElementException.class);
        }
    }

    @Test
    void refusesABlockThatDoesNotContinueTheChain() throws IOException {
        List<Block> chain = TestChains.chain(4, 2, 100);
        List<Block> other = TestChains.chain(4, 3, 100);
        try (BlockStore store = BlockStore.open(dir, SMALL_SEGMENTS)) {
            store.append(chain.get(0));
            store.append(chain.get(1));
            assertThatThrownBy(() -> store.append(chain.get(3))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.append(other.get(2))).isInstanceOf(IllegalArgumentException.class);
            assertThat(store.height()).isEqualTo(2);
        }
    }

    @Test
    void reopensWithTheSameBlocksAndKeepsAppending() throws IOException {
        List<Block> chain = TestChains.chain(40, 4, 400);
        try (BlockStore store = BlockStore.open(dir, SMALL_SEGMENTS)) {
            for (Block block : chain.subList(0, 25)) {
                store.append(block);
            }
        }
        try (BlockStore store = BlockStore.open(dir, SMALL_SEGMENTS)) {
            assertThat(store.recovery().truncated()).isFalse();
            assertThat(store.height()).isEqualTo(25);
            for (Block block : chain.subList(25, 40)) {
                store.append(block);
            }
        }
        try (BlockStore store = BlockStore.open(dir, SMALL_SEGMENTS)) {
            assertThat(store.stream(0).toList()).containsExactlyElementsOf(chain);
            assertThat(ChainVerifier.verifyFromGenesis(store.stream(0).toList())).isInstanceOf(ChainVerdict.Intact.class);
        }
    }

    @Test
    void recoveryTruncatesABlockTornMidRecord() throws IOException {
        List<Block> chain = TestChains.chain(12, 5, 300);
        Path lastSegment;
        try (BlockStore store = BlockStore.open(dir, SMALL_SEGMENTS)) {
            for (Block block : chain.subList(0, 10)) {
                store.append(block);
            }
            lastSegment = store.segmentFiles().getLast();
        }
        long size = Files.size(lastSegment);
        int lastRecord = BlockStore.RECORD_HEADER_BYTES + chain.get(9).getSerializedSize();
        try (RandomAccessFile file = new RandomAccessFile(lastSegment.toFile(), "rw")) {
            file.setLength(size - lastRecord / 2); // the crash tore the last block in half
        }
        try (BlockStore store = BlockStore.open(dir, SMALL_SEGMENTS)) {
            assertThat(store.recovery().truncated()).isTrue();
            assertThat(store.height()).isEqualTo(9);
            assertThat(store.lastBlock()).contains(chain.get(8));
            assertThat(Files.size(lastSegment)).isEqualTo(size - lastRecord);
            store.append(chain.get(9));
            store.append(chain.get(10));
        }
        try (BlockStore store = BlockStore.open(dir, SMALL_SEGMENTS)) {
            assertThat(store.recovery().truncated()).isFalse();
            assertThat(store.stream(0).toList()).containsExactlyElementsOf(chain.subList(0, 11));
        }
    }

    @Test
    void recoveryTruncatesALastRecordWhoseBytesWereFlipped() throws IOException {
        List<Block> chain = TestChains.chain(8, 6, 300);
        Path lastSegment;
        try (BlockStore store = BlockStore.open(dir, SMALL_SEGMENTS)) {
            for (Block block : chain.subList(0, 7)) {
                store.append(block);
            }
            lastSegment = store.segmentFiles().getLast();
        }
        long size = Files.size(lastSegment);
        try (RandomAccessFile file = new RandomAccessFile(lastSegment.toFile(), "rw")) {
            file.seek(size - 5);
            int b = file.read();
            file.seek(size - 5);
            file.write(b ^ 0xFF);
        }
        try (BlockStore store = BlockStore.open(dir, SMALL_SEGMENTS)) {
            assertThat(store.recovery().truncated()).isTrue();
            assertThat(store.recovery().reason()).contains("checksum");
            assertThat(store.height()).isEqualTo(6);
            store.append(chain.get(6));
            store.append(chain.get(7));
            assertThat(store.stream(0).toList()).containsExactlyElementsOf(chain);
        }
    }

    @Test
    void recoveryTruncatesAPartialRecordHeader() throws IOException {
        List<Block> chain = TestChains.chain(3, 7, 100);
        Path lastSegment;
        try (BlockStore store = BlockStore.open(dir, SMALL_SEGMENTS)) {
            for (Block block : chain) {
                store.append(block);
            }
            lastSegment = store.segmentFiles().getLast();
        }
        Files.write(lastSegment, new byte[] {0, 0, 1}, java.nio.file.StandardOpenOption.APPEND);
        try (BlockStore store = BlockStore.open(dir, SMALL_SEGMENTS)) {
            assertThat(store.recovery().truncatedBytes()).isEqualTo(3);
            assertThat(store.height()).isEqualTo(3);
        }
    }

    @Test
    void anyChainWrittenThenCutAnywhereReopensToItsLongestIntactPrefix() {
        qt().withExamples(40).forAll(integers().between(1, 25), longs().all(), integers().between(0, 100_000))
                .checkAssert((length, seed, cutPoint) -> {
                    try {
                        Path root = Files.createTempDirectory(dir, "prop");
                        List<Block> chain = TestChains.chain(length, seed, 700);
                        List<Long> ends = new ArrayList<>();
                        Path last;
                        try (BlockStore store = BlockStore.open(root, new BlockStoreOptions(2048, false))) {
                            for (Block block : chain) {
                                store.append(block);
                            }
                            last = store.segmentFiles().getLast();
                        }
                        long size = Files.size(last);
                        long cut = size == 0 ? 0 : cutPoint % (size + 1);
                        try (RandomAccessFile file = new RandomAccessFile(last.toFile(), "rw")) {
                            file.setLength(cut);
                        }
                        try (BlockStore store = BlockStore.open(root, new BlockStoreOptions(2048, false))) {
                            List<Block> kept = store.stream(0).toList();
                            assertThat(kept).containsExactlyElementsOf(chain.subList(0, kept.size()));
                            // only the last segment was cut, so at most its blocks are lost
                            assertThat(Files.size(last)).isLessThanOrEqualTo(cut);
                            if (cut == size) {
                                assertThat(kept).hasSize(length);
                            }
                            for (Block block : chain.subList(kept.size(), chain.size())) {
                                store.append(block);
                            }
                            assertThat(store.height()).isEqualTo((long) length);
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
    }
}
