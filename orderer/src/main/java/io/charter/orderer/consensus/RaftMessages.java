package io.charter.orderer.consensus;

import io.charter.protocol.Block;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The bytes the orderer puts in Ratis log entries and read-only requests. Each starts with a kind
 * byte; integers are big-endian.
 *
 * <pre>
 * log entry     BLOCK          0x01 || block bytes (a complete, signed Block)
 * query         SUBMIT         0x10 || envelope bytes           -> status u8 || block u64 || detail UTF-8
 *               FETCH_BLOCKS   0x11 || from u64 || max bytes u32 -> count u32 || (len u32 || block bytes)*
 *               SNAPSHOT_INFO  0x12                              -> term u64 || index u64 || height u64
 * </pre>
 */
public final class RaftMessages {

    public static final byte BLOCK = 0x01;
    public static final byte SUBMIT = 0x10;
    public static final byte FETCH_BLOCKS = 0x11;
    public static final byte SNAPSHOT_INFO = 0x12;

    private RaftMessages() {}

    public static Message block(Block block) {
        byte[] bytes = block.toByteArray();
        ByteBuffer buffer = ByteBuffer.allocate(1 + bytes.length).put(BLOCK).put(bytes);
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(buffer.array()));
    }

    public static Message submit(com.google.protobuf.ByteString envelope) {
        ByteBuffer buffer = ByteBuffer.allocate(1 + envelope.size()).put(SUBMIT);
        envelope.copyTo(buffer);
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(buffer.array()));
    }

    public static Message fetchBlocks(long from, int maxBytes) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(
                ByteBuffer.allocate(13).put(FETCH_BLOCKS).putLong(from).putInt(maxBytes).array()));
    }

    public static Message snapshotInfo() {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(new byte[] {SNAPSHOT_INFO}));
    }

    public static byte kind(ByteString content) {
        if (content.isEmpty()) {
            throw new IllegalArgumentException("empty orderer message");
        }
        return content.byteAt(0);
    }

    /** The bytes after the kind byte, as a Charter (unshaded) protobuf ByteString. */
    public static com.google.protobuf.ByteString body(ByteString content) {
        return com.google.protobuf.UnsafeByteOperations.unsafeWrap(content.substring(1).asReadOnlyByteBuffer());
    }

    public static ByteBuffer bodyBuffer(ByteString content) {
        return content.substring(1).asReadOnlyByteBuffer();
    }

    // ---- replies

    /** A reply to SUBMIT. */
    public record SubmitReply(byte status, long blockNumber, String detail) {

        public Message toMessage() {
            byte[] text = detail.getBytes(StandardCharsets.UTF_8);
            return Message.valueOf(UnsafeByteOperations.unsafeWrap(
                    ByteBuffer.allocate(9 + text.length).put(status).putLong(blockNumber).put(text).array()));
        }

        public static SubmitReply parse(ByteString content) {
            ByteBuffer buffer = content.asReadOnlyByteBuffer();
            byte status = buffer.get();
            long block = buffer.getLong();
            byte[] text = new byte[buffer.remaining()];
            buffer.get(text);
            return new SubmitReply(status, block, new String(text, StandardCharsets.UTF_8));
        }
    }

    public static Message blocksReply(List<byte[]> blocks) {
        int size = 4;
        for (byte[] block : blocks) {
            size += 4 + block.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).putInt(blocks.size());
        for (byte[] block : blocks) {
            buffer.putInt(block.length).put(block);
        }
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(buffer.array()));
    }

    public static List<Block> parseBlocksReply(ByteString content) throws java.io.IOException {
        ByteBuffer buffer = content.asReadOnlyByteBuffer();
        int count = buffer.getInt();
        List<Block> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = buffer.getInt();
            ByteBuffer slice = buffer.slice(buffer.position(), length);
            buffer.position(buffer.position() + length);
            blocks.add(Block.parseFrom(slice));
        }
        return blocks;
    }

    /** The latest snapshot of a member: its log position and the block height it covers. */
    public record SnapshotPosition(long term, long index, long height) {

        public Message toMessage() {
            return Message.valueOf(UnsafeByteOperations.unsafeWrap(
                    ByteBuffer.allocate(24).putLong(term).putLong(index).putLong(height).array()));
        }

        public static SnapshotPosition parse(ByteString content) {
            ByteBuffer buffer = content.asReadOnlyByteBuffer();
            return new SnapshotPosition(buffer.getLong(), buffer.getLong(), buffer.getLong());
        }
    }
}
