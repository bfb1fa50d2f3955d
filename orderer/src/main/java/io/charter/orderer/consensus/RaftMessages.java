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
 * query         SUBMIT         0x13 || count u32 || (flags u8 || tx id len u16 || tx id UTF-8 || len u32 || envelope)*
 *                                                                -> count u32 || (status u8 || block u64 || len u16 || detail UTF-8)*
 *               FETCH_BLOCKS   0x11 || from u64 || max bytes u32 -> count u32 || (len u32 || block bytes)*
 *               SNAPSHOT_INFO  0x12                              -> term u64 || index u64 || height u64
 * </pre>
 */
public final class RaftMessages {

    public static final byte BLOCK = 0x01;
    /** A batch of envelopes a follower forwards to the leader (0x10 was the earlier one-envelope form). */
    public static final byte SUBMIT = 0x13;
    public static final byte FETCH_BLOCKS = 0x11;
    public static final byte SNAPSHOT_INFO = 0x12;

    private RaftMessages() {}

    public static Message block(Block block) {
        int size = block.getSerializedSize();
        byte[] bytes = new byte[1 + size];
        bytes[0] = BLOCK;
        try {
            com.google.protobuf.CodedOutputStream out = com.google.protobuf.CodedOutputStream.newInstance(bytes, 1, size);
            block.writeTo(out);
            out.checkNoSpaceLeft();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("serializing a block into an array of its size failed", e);
        }
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
    }

    /** An envelope forwarded to the leader, with what the receiving orderer read from its header. */
    public record Forwarded(com.google.protobuf.ByteString envelope, String txId, boolean config) {}

    private static final byte CONFIG_FLAG = 0x01;
    private static final int MAX_TX_ID_BYTES = 0xFFFF;

    /** One SUBMIT message for a batch of forwarded envelopes (one copy of each envelope's bytes). */
    public static Message submit(List<Forwarded> batch) {
        int size = 1 + 4;
        List<byte[]> ids = new ArrayList<>(batch.size());
        for (Forwarded forwarded : batch) {
            byte[] id = forwarded.txId().getBytes(StandardCharsets.UTF_8);
            if (id.length > MAX_TX_ID_BYTES) {
                throw new IllegalArgumentException("tx id of " + id.length + " bytes");
            }
            ids.add(id);
            size += 1 + 2 + id.length + 4 + forwarded.envelope().size();
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).put(SUBMIT).putInt(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Forwarded forwarded = batch.get(i);
            buffer.put(forwarded.config() ? CONFIG_FLAG : 0).putShort((short) ids.get(i).length).put(ids.get(i))
                    .putInt(forwarded.envelope().size());
            forwarded.envelope().copyTo(buffer);
        }
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(buffer.array()));
    }

    /**
     * The envelopes of a SUBMIT message, as views of its bytes (no copy).
     *
     * @throws IllegalArgumentException if the message is not a well-formed SUBMIT
     */
    public static List<Forwarded> parseSubmit(ByteString content) {
        try {
            ByteBuffer buffer = content.asReadOnlyByteBuffer();
            if (buffer.get() != SUBMIT) {
                throw new IllegalArgumentException("not a SUBMIT message");
            }
            int count = buffer.getInt();
            if (count < 0 || count > buffer.remaining()) {
                throw new IllegalArgumentException("SUBMIT message announcing " + count + " envelopes");
            }
            List<Forwarded> batch = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                boolean config = (buffer.get() & CONFIG_FLAG) != 0;
                byte[] id = new byte[Short.toUnsignedInt(buffer.getShort())];
                buffer.get(id);
                int length = buffer.getInt();
                if (length < 0 || length > buffer.remaining()) {
                    throw new IllegalArgumentException("SUBMIT envelope " + i + " of " + length + " bytes overruns the message");
                }
                ByteBuffer envelope = buffer.slice(buffer.position(), length);
                buffer.position(buffer.position() + length);
                batch.add(new Forwarded(com.google.protobuf.UnsafeByteOperations.unsafeWrap(envelope),
                        new String(id, StandardCharsets.UTF_8), config));
            }
            if (buffer.hasRemaining()) {
                throw new IllegalArgumentException("SUBMIT message has " + buffer.remaining() + " trailing bytes");
            }
            return batch;
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated SUBMIT message", e);
        }
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

    public static ByteBuffer bodyBuffer(ByteString content) {
        return content.substring(1).asReadOnlyByteBuffer();
    }

    // ---- replies

    /**
     * The leader's answer for one forwarded envelope.
     *
     * @param status a stable wire code, which the channel gives and reads (never an enum ordinal): 0xFF
     *     for "taken", else the code of the channel's {@code SubmitResult.Status} refusing it
     */
    public record SubmitReply(byte status, long blockNumber, String detail) {

        /** The reply to a SUBMIT message: one answer per envelope, in order (details cut to 64 KB). */
        public static Message toMessage(List<SubmitReply> replies) {
            List<byte[]> texts = new ArrayList<>(replies.size());
            int size = 4;
            for (SubmitReply reply : replies) {
                byte[] text = reply.detail().getBytes(StandardCharsets.UTF_8);
                if (text.length > 0xFFFF) {
                    text = java.util.Arrays.copyOf(text, 0xFFFF);
                }
                texts.add(text);
                size += 1 + 8 + 2 + text.length;
            }
            ByteBuffer buffer = ByteBuffer.allocate(size).putInt(replies.size());
            for (int i = 0; i < replies.size(); i++) {
                SubmitReply reply = replies.get(i);
                buffer.put(reply.status()).putLong(reply.blockNumber()).putShort((short) texts.get(i).length).put(texts.get(i));
            }
            return Message.valueOf(UnsafeByteOperations.unsafeWrap(buffer.array()));
        }

        /** @throws IllegalArgumentException if the content is not a reply to a SUBMIT message */
        public static List<SubmitReply> parseAll(ByteString content) {
            try {
                ByteBuffer buffer = content.asReadOnlyByteBuffer();
                int count = buffer.getInt();
                if (count < 0 || count > buffer.remaining()) {
                    throw new IllegalArgumentException("SUBMIT reply announcing " + count + " answers");
                }
                List<SubmitReply> replies = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    byte status = buffer.get();
                    long block = buffer.getLong();
                    byte[] text = new byte[Short.toUnsignedInt(buffer.getShort())];
                    buffer.get(text);
                    replies.add(new SubmitReply(status, block, new String(text, StandardCharsets.UTF_8)));
                }
                return replies;
            } catch (java.nio.BufferUnderflowException e) {
                throw new IllegalArgumentException("truncated SUBMIT reply", e);
            }
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
