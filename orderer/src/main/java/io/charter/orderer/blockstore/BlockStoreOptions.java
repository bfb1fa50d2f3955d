package io.charter.orderer.blockstore;

/**
 * @param segmentMaxBytes a segment file is rolled when the next record would take it past this size
 *     (a single larger record still goes in a segment of its own)
 * @param fsync whether {@code append} forces each record to disk before returning
 */
public record BlockStoreOptions(long segmentMaxBytes, boolean fsync) {

    public static final long DEFAULT_SEGMENT_MAX_BYTES = 64L * 1024 * 1024;

    public static final BlockStoreOptions DEFAULTS = new BlockStoreOptions(DEFAULT_SEGMENT_MAX_BYTES, true);

    public BlockStoreOptions {
        if (segmentMaxBytes < 1) {
            throw new IllegalArgumentException("segment max bytes must be positive, not " + segmentMaxBytes);
        }
    }
}
