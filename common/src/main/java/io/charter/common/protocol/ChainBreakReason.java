package io.charter.common.protocol;

/** Why a block does not continue the chain before it. */
public enum ChainBreakReason {
    /** The block has no header, so it cannot be linked at all. */
    MISSING_HEADER,
    /** The number is not the predecessor's + 1 (or 0 for a chain from genesis): a gap, a repeat or a reordering. */
    NUMBER_OUT_OF_SEQUENCE,
    /** {@code previous_hash} is not the predecessor's header hash (or not empty for block 0). */
    PREVIOUS_HASH_MISMATCH,
    /** {@code data_hash} does not match the envelopes the block carries. */
    DATA_HASH_MISMATCH
}
