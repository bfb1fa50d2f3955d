package io.charter.orderer.blockstore;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.protocol.BlockHashing;
import io.charter.protocol.Block;
import io.charter.protocol.BlockHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only store of one channel's blocks.
 *
 * <p>On disk, a directory of segment files {@code segment-<first block number, 20 digits>.blk}, each a
 * sequence of records {@code [u32 length][u32 CRC32C of the block bytes][block bytes]} (big-endian),
 * block numbers consecutive across segments. A segment is rolled when the next record would take it
 * past {@link BlockStoreOptions#segmentMaxBytes()}. The index from block number to (segment, offset)
 * lives in memory and is rebuilt on open from the record headers.
 *
 * <p>Crash safety: a record is written in one positional write at the end of the last segment and
 * (by default) forced to disk before {@link #append} returns. On open, sealed segments must be intact
 * (whole records, first block numbered as the file name says); the last segment is read record by
 * record, checking length, checksum, that the bytes parse as a block, and that the block continues
 * the chain (number and previous hash). The first record that fails, and everything after it, is a
 * torn or corrupt tail and is truncated; {@link #recovery()} reports what was cut.
 *
 * <p>Thread-safe: one writer at a time, readers concurrently.
 */
public final class BlockStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BlockStore.class);
    private static final Pattern SEGMENT_NAME = Pattern.compile("segment-(\\d{20})\\.blk");
    static final int RECORD_HEADER_BYTES = 8;

    private final Path directory;
    private final BlockStoreOptions options;
    private final List<Segment> segments = new ArrayList<>();
    private final Recovery recovery;

    private int[] segmentOf = new int[1024];
    private long[] offsetOf = new long[1024];
    private long height;
    private Block last;
    private boolean closed;

    private BlockStore(Path directory, BlockStoreOptions options) throws IOException {
        this.directory = directory;
        this.options = options;
        this.recovery = load();
    }

    public static BlockStore open(Path directory, BlockStoreOptions options) throws IOException {
        Files.createDirectories(directory);
        return new BlockStore(directory, options);
    }

    public static BlockStore open(Path directory) throws IOException {
        return open(directory, BlockStoreOptions.DEFAULTS);
    }

    public Path directory() {
        return directory;
    }

    /** What recovery found when the store was opened. */
    public Recovery recovery() {
        return recovery;
    }

    /** The number of blocks stored, which is also the number the next block must have. */
    public synchronized long height() {
        return height;
    }

    public synchronized Optional<Block> lastBlock() {
        return Optional.ofNullable(last);
    }

    /**
     * Appends {@code block}, which must continue the chain: number = {@link #height()} and, after
     * block 0, previous hash = header hash of the last block.
     */
    public synchronized void append(Block block) throws IOException {
        ensureOpen();
        checkContinues(block, last, height);
        byte[] bytes = block.toByteArray();
        ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER_BYTES + bytes.length);
        record.putInt(bytes.length).putInt(crc(bytes, 0, bytes.length)).put(bytes).flip();

        Segment segment = segments.isEmpty() ? null : segments.getLast();
        if (segment == null || (segment.size > 0 && segment.size + record.remaining() > options.segmentMaxBytes())) {
            if (segment != null) {
                segment.seal();
            }
            segment = Segment.create(directory, height);
            segments.add(segment);
        }
        long offset = segment.size;
        while (record.hasRemaining()) {
            segment.channel.write(record, segment.size + (record.position()));
        }
        if (options.fsync()) {
            segment.channel.force(false);
        }
        segment.size += RECORD_HEADER_BYTES + bytes.length;
        index(height, segments.size() - 1, offset);
        height++;
        last = block;
    }

    /** Block {@code number}; throws {@link NoSuchElementException} if it is not stored. */
    public Block get(long number) throws IOException {
        Segment segment;
        long offset;
        synchronized (this) {
            ensureOpen();
            if (number < 0 || number >= height) {
                throw new NoSuchElementException("block " + number + " is not stored (height " + height + ")");
            }
            segment = segments.get(segmentOf[(int) number]);
            offset = offsetOf[(int) number];
        }
        return parse(readRecord(segment.channel, offset, segment.path), segment.path, offset);
    }

    /** The blocks from {@code from} up to the height at each step (blocks appended meanwhile are included). */
    public Iterator<Block> iterator(long from) {
        return new Iterator<>() {
            private long next = from;

            @Override
            public boolean hasNext() {
                return next < height();
            }

            @Override
            public Block next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    return get(next++);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }

    public Stream<Block> stream(long from) {
        Iterable<Block> iterable = () -> iterator(from);
        return java.util.stream.StreamSupport.stream(iterable.spliterator(), false);
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        for (Segment segment : segments) {
            segment.channel.close();
        }
    }

    /** The segment files, in order (for tests and operators). */
    public synchronized List<Path> segmentFiles() {
        return segments.stream().map(s -> s.path).toList();
    }

    // ---- loading and recovery

    private Recovery load() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(p -> SEGMENT_NAME.matcher(p.getFileName().toString()).matches())
                    .sorted()
                    .toList();
        }
        Recovery result = Recovery.CLEAN;
        for (int i = 0; i < files.size(); i++) {
            Path path = files.get(i);
            Matcher m = SEGMENT_NAME.matcher(path.getFileName().toString());
            m.matches();
            long firstNumber = Long.parseLong(m.group(1));
            if (firstNumber != height) {
                throw new CorruptBlockStoreException(path + " should start at block " + height);
            }
            boolean isLast = i == files.size() - 1;
            FileChannel channel = isLast
                    ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(path, StandardOpenOption.READ);
            Segment segment = new Segment(path, channel, 0);
            segments.add(segment);
            if (isLast) {
                result = recoverLast(segment);
            } else {
                scanSealed(segment);
            }
        }
        return result;
    }

    private void scanSealed(Segment segment) throws IOException {
        long size = segment.channel.size();
        long offset = 0;
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_BYTES);
        boolean first = true;
        while (offset < size) {
            if (size - offset < RECORD_HEADER_BYTES) {
                throw new CorruptBlockStoreException(segment.path + " has a partial record at " + offset);
            }
            header.clear();
            readFully(segment.channel, header, offset);
            long length = Integer.toUnsignedLong(header.getInt(0));
            if (length > size - offset - RECORD_HEADER_BYTES) {
                throw new CorruptBlockStoreException(segment.path + " has a partial record at " + offset);
            }
            if (first) {
                Block block = parse(readRecord(segment.channel, offset, segment.path), segment.path, offset);
                checkContinues(block, last, height);
                first = false;
            }
            index(height++, segments.size() - 1, offset);
            offset += RECORD_HEADER_BYTES + length;
        }
        segment.size = offset;
        if (height > 0) {
            last = get(height - 1);
        }
    }

    private Recovery recoverLast(Segment segment) throws IOException {
        long size = segment.channel.size();
        long offset = 0;
        String problem = null;
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_BYTES);
        while (offset < size) {
            if (size - offset < RECORD_HEADER_BYTES) {
                problem = "partial record header at offset " + offset;
                break;
            }
            header.clear();
            readFully(segment.channel, header, offset);
            long length = Integer.toUnsignedLong(header.getInt(0));
            int expectedCrc = header.getInt(4);
            if (length > size - offset - RECORD_HEADER_BYTES) {
                problem = "record at offset " + offset + " declares " + length + " bytes but the file ends first";
                break;
            }
            ByteBuffer body = ByteBuffer.allocate((int) length);
            readFully(segment.channel, body, offset + RECORD_HEADER_BYTES);
            byte[] bytes = body.array();
            if (crc(bytes, 0, bytes.length) != expectedCrc) {
                problem = "checksum mismatch in the record at offset " + offset;
                break;
            }
            Block block;
            try {
                block = Block.parseFrom(bytes);
                checkContinues(block, last, height);
            } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
                problem = "record at offset " + offset + " is not the next block: " + e.getMessage();
                break;
            }
            index(height++, segments.size() - 1, offset);
            last = block;
            offset += RECORD_HEADER_BYTES + length;
        }
        segment.size = offset;
        if (problem == null) {
            return Recovery.CLEAN;
        }
        long cut = size - offset;
        LOG.warn("{}: truncating {} bytes after block {}: {}", segment.path, cut, height - 1, problem);
        segment.channel.truncate(offset);
        segment.channel.force(true);
        return new Recovery(cut, problem);
    }

    // ---- helpers

    private static void checkContinues(Block block, Block previous, long expectedNumber) {
        BlockHeader header = block.getHeader();
        if (header.getNumber() != expectedNumber) {
            throw new IllegalArgumentException(
                    "expected block " + expectedNumber + " but got block " + header.getNumber());
        }
        ByteString expectedPrevious = previous == null ? ByteString.EMPTY : BlockHashing.headerHash(previous.getHeader());
        if (previous != null && !header.getPreviousHash().equals(expectedPrevious)) {
            throw new IllegalArgumentException("block " + expectedNumber + " does not link to block " + (expectedNumber - 1));
        }
    }

    private void index(long number, int segment, long offset) {
        if (number >= Integer.MAX_VALUE) {
            throw new IllegalStateException("the in-memory index holds at most " + Integer.MAX_VALUE + " blocks");
        }
        int n = (int) number;
        if (n >= segmentOf.length) {
            int capacity = Math.max(n + 1, segmentOf.length * 2);
            segmentOf = Arrays.copyOf(segmentOf, capacity);
            offsetOf = Arrays.copyOf(offsetOf, capacity);
        }
        segmentOf[n] = segment;
        offsetOf[n] = offset;
    }

    private static byte[] readRecord(FileChannel channel, long offset, Path path) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_BYTES);
        readFully(channel, header, offset);
        int length = header.getInt(0);
        int expectedCrc = header.getInt(4);
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(channel, body, offset + RECORD_HEADER_BYTES);
        byte[] bytes = body.array();
        if (crc(bytes, 0, length) != expectedCrc) {
            throw new CorruptBlockStoreException(path + ": checksum mismatch in the record at offset " + offset);
        }
        return bytes;
    }

    private static Block parse(byte[] bytes, Path path, long offset) throws CorruptBlockStoreException {
        try {
            return Block.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptBlockStoreException(path + ": the record at offset " + offset + " is not a block");
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position + buffer.position());
            if (read < 0) {
                throw new CorruptBlockStoreException("unexpected end of segment at " + (position + buffer.position()));
            }
        }
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("block store " + directory + " is closed");
        }
    }

    private static final class Segment {
        final Path path;
        FileChannel channel;
        long size;

        Segment(Path path, FileChannel channel, long size) {
            this.path = path;
            this.channel = channel;
            this.size = size;
        }

        static Segment create(Path directory, long firstNumber) throws IOException {
            Path path = directory.resolve(String.format("segment-%020d.blk", firstNumber));
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            channel.truncate(0);
            return new Segment(path, channel, 0);
        }

        void seal() throws IOException {
            channel.force(true);
        }
    }
}
