package io.charter.common.protocol;

import java.util.Objects;

/** The outcome of {@link ChainVerifier}: the chain holds, or where it first breaks and why. */
public sealed interface ChainVerdict {

    /** Every block checked links to its predecessor and matches its own data. */
    record Intact(int blocksVerified) implements ChainVerdict {}

    /**
     * The first block that does not continue the chain. Blocks before {@code position} are intact;
     * nothing is claimed about blocks after it.
     *
     * @param position index of the offending block in the list given to the verifier
     * @param expectedNumber the number a block at that position must have
     * @param reason which check failed
     * @param detail a message for logs and operators
     */
    record Broken(int position, long expectedNumber, ChainBreakReason reason, String detail) implements ChainVerdict {
        public Broken {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    default boolean isIntact() {
        return this instanceof Intact;
    }
}
