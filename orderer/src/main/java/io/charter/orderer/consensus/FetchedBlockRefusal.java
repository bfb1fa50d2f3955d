package io.charter.orderer.consensus;

import java.util.Objects;

/**
 * Why a block fetched from another member while catching up was not appended. Nothing from that block
 * on is appended; the follower tries another member.
 *
 * @param reason which check failed (a metric tag)
 * @param detail what was wrong, for the log
 */
public record FetchedBlockRefusal(Reason reason, String detail) {

    public FetchedBlockRefusal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    /** The checks, in the order they run. */
    public enum Reason {
        /** The block has no header. */
        MISSING_HEADER,
        /** Its number is not the follower's height. */
        NUMBER_OUT_OF_SEQUENCE,
        /** Its previous hash is not the hash of the follower's last block header. */
        PREVIOUS_HASH_MISMATCH,
        /** Its data hash does not match its envelopes. */
        DATA_HASH_MISMATCH,
        /** Its last_config_block names neither itself (a config block) nor the config block in force. */
        LAST_CONFIG_MISMATCH,
        /** Its orderer signatures do not satisfy BlockValidation under the configuration in force at it. */
        BAD_ORDERER_SIGNATURES,
        /** A config block whose configuration is unusable or does not follow the sequence in force. */
        BAD_CONFIG;

        /** The metric tag: lower case. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
