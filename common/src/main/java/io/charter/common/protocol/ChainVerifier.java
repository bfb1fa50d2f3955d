package io.charter.common.protocol;

import com.google.protobuf.ByteString;
import io.charter.protocol.Block;
import io.charter.protocol.BlockHeader;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks that blocks form a hash chain. A broken chain is an expected finding (a corrupt store, a
 * lying peer), so it is reported as a {@link ChainVerdict}, not thrown. Checks run per block in the
 * order number, previous hash, data hash, so a verdict names the field that was tampered with.
 * Signatures and metadata are not checked here: metadata is outside the chain by design.
 */
public final class ChainVerifier {

    private ChainVerifier() {}

    /** Verifies blocks that must start at block 0, whose {@code previous_hash} must be empty. */
    public static ChainVerdict verifyFromGenesis(List<Block> blocks) {
        return verify(0, ByteString.EMPTY, blocks);
    }

    /** Verifies blocks that must continue a header already trusted (e.g. the store's last block). */
    public static ChainVerdict verifyAfter(BlockHeader trustedPrevious, List<Block> blocks) {
        return verify(trustedPrevious.getNumber() + 1, BlockHashing.headerHash(trustedPrevious), blocks);
    }

    private static ChainVerdict verify(long firstNumber, ByteString firstPreviousHash, List<Block> blocks) {
        long expectedNumber = firstNumber;
        ByteString expectedPreviousHash = firstPreviousHash;
        for (int position = 0; position < blocks.size(); position++, expectedNumber++) {
            Block block = blocks.get(position);
            if (!block.hasHeader()) {
                return new ChainVerdict.Broken(
                        position, expectedNumber, ChainBreakReason.MISSING_HEADER, "block has no header");
            }
            BlockHeader header = block.getHeader();
            if (header.getNumber() != expectedNumber) {
                return new ChainVerdict.Broken(position, expectedNumber, ChainBreakReason.NUMBER_OUT_OF_SEQUENCE,
                        "expected block " + Long.toUnsignedString(expectedNumber) + " but found block "
                                + Long.toUnsignedString(header.getNumber()));
            }
            if (!header.getPreviousHash().equals(expectedPreviousHash)) {
                return new ChainVerdict.Broken(position, expectedNumber, ChainBreakReason.PREVIOUS_HASH_MISMATCH,
                        "block " + Long.toUnsignedString(expectedNumber) + " links to " + hex(header.getPreviousHash())
                                + " but its predecessor hashes to " + hex(expectedPreviousHash));
            }
            ByteString actualDataHash = BlockHashing.dataHash(block.getData());
            if (!header.getDataHash().equals(actualDataHash)) {
                return new ChainVerdict.Broken(position, expectedNumber, ChainBreakReason.DATA_HASH_MISMATCH,
                        "block " + Long.toUnsignedString(expectedNumber) + " declares data hash "
                                + hex(header.getDataHash()) + " but its envelopes hash to " + hex(actualDataHash));
            }
            expectedPreviousHash = BlockHashing.headerHash(header);
        }
        return new ChainVerdict.Intact(blocks.size());
    }

    private static String hex(ByteString bytes) {
        return bytes.isEmpty() ? "(empty)" : HexFormat.of().formatHex(bytes.toByteArray());
    }
}
