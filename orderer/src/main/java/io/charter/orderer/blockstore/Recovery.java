package io.charter.orderer.blockstore;

/**
 * What opening the store found at the end of its last segment.
 *
 * @param truncatedBytes bytes cut off the last segment (0 when it ended cleanly)
 * @param reason why they were cut, or empty
 */
public record Recovery(long truncatedBytes, String reason) {

    public static final Recovery CLEAN = new Recovery(0, "");

    public boolean truncated() {
        return truncatedBytes > 0;
    }
}
