package io.charter.orderer.channel;

import java.util.Objects;

/**
 * The answer to one submitted envelope.
 *
 * <p>The guarantee: {@link Status#COMMITTED} is given only once the envelope is in a block that Raft
 * committed and this orderer stored, so it can no longer be lost. Every other outcome means the
 * envelope is in no block known to this orderer; after {@link Status#UNAVAILABLE} or
 * {@link Status#TIMEOUT} it may still be ordered (e.g. it was in a block being replicated when the
 * leader changed), so a client resubmits the same envelope: the transaction id is not ordered twice
 * (see {@link Status#DUPLICATE_TXID}).
 *
 * @param blockNumber the block holding the transaction, for COMMITTED and for DUPLICATE_TXID when
 *     known; -1 otherwise
 */
public record SubmitResult(Status status, String txId, long blockNumber, String detail) {

    /**
     * The outcomes. Each has a code that is what travels between orderers (the leader's answer to a
     * forwarded envelope, see {@code RaftMessages.SubmitReply}): codes are never reused or renumbered,
     * so orderers of different versions understand each other; a new status takes a new code. The
     * codes happen to equal the order of declaration up to now; nothing depends on that order. Code
     * 0xFF is no status: it is the leader's "taken" ({@code BlockProducer.ACCEPTED}).
     */
    public enum Status {
        /** In a committed, stored block: {@code blockNumber}. */
        COMMITTED(0),
        /** This transaction id was already ordered (in {@code blockNumber}); nothing new was ordered. */
        DUPLICATE_TXID(1),
        /** Larger than the channel's maximum envelope size. */
        TOO_LARGE(2),
        /** Not a well-formed envelope (unparseable, no header, no tx id, wrong channel...). */
        MALFORMED(3),
        /** Refused by an envelope validator for a reason without a status of its own. */
        REJECTED(4),
        /** No leader could take it now (election in progress, leader unreachable); resubmit. */
        UNAVAILABLE(5),
        /** Not seen in a committed block within the commit timeout; resubmit. */
        TIMEOUT(6),
        // The validator's reasons.
        /** No such channel on this orderer (answered by the broadcast layer). */
        UNKNOWN_CHANNEL(7),
        /** The creator's organization is not in the channel or did not issue its certificate. */
        UNKNOWN_CREATOR(8),
        /** The creator's certificate, or a CA of its chain, is revoked. */
        REVOKED_CREATOR(9),
        /** The creator's certificate, or a CA of its chain, is expired or not yet valid. */
        EXPIRED_CREATOR(10),
        /** The creator's certificate is not a usable identity for another reason (malformed, CA, no role). */
        BAD_CREATOR(11),
        /** No signature, or one that does not verify over the payload bytes. */
        BAD_SIGNATURE(12),
        /** The creator does not satisfy the channel's Writers policy. */
        FORBIDDEN(13),
        /** The tx id is not lower-case hex SHA-256(nonce || creator). */
        BAD_TXID(14),
        // Config update reasons.
        /** The proposed configuration's sequence is not the current sequence + 1. */
        CONFIG_SEQUENCE_MISMATCH(15),
        /** The admin signatures do not satisfy the current configuration's Admins policy. */
        CONFIG_UNAUTHORIZED(16),
        /** The update or the proposed configuration is malformed or not well-formed. */
        CONFIG_INVALID(17),
        /** The update, or the configuration it proposes, is for another channel. */
        CONFIG_WRONG_CHANNEL(18);

        private static final Status[] BY_CODE = byCode();

        private final byte code;

        Status(int code) {
            this.code = (byte) code;
        }

        /** The stable code of this status on the wire between orderers. */
        public byte code() {
            return code;
        }

        /**
         * The status with this wire code.
         *
         * @throws IllegalArgumentException for a code no status has (an orderer of another version)
         */
        public static Status fromCode(byte code) {
            int index = Byte.toUnsignedInt(code);
            if (index >= BY_CODE.length || BY_CODE[index] == null) {
                throw new IllegalArgumentException("unknown submit status code " + index);
            }
            return BY_CODE[index];
        }

        private static Status[] byCode() {
            Status[] table = new Status[256];
            for (Status status : values()) {
                int index = Byte.toUnsignedInt(status.code);
                if (table[index] != null) {
                    throw new IllegalStateException("submit status code " + index + " is given twice");
                }
                table[index] = status;
            }
            return table;
        }

        public boolean ordered() {
            return this == COMMITTED || this == DUPLICATE_TXID;
        }

        /** The status of a config update refused by common's {@code ConfigUpdateChecker}. */
        public static Status of(io.charter.common.config.ConfigUpdateChecker.Refusal refusal) {
            return switch (refusal) {
                case INVALID -> CONFIG_INVALID;
                case WRONG_CHANNEL -> CONFIG_WRONG_CHANNEL;
                case SEQUENCE_MISMATCH -> CONFIG_SEQUENCE_MISMATCH;
                case UNAUTHORIZED -> CONFIG_UNAUTHORIZED;
            };
        }
    }

    public SubmitResult {
        Objects.requireNonNull(status, "status");
        txId = txId == null ? "" : txId;
        detail = detail == null ? "" : detail;
    }

    public static SubmitResult committed(String txId, long block) {
        return new SubmitResult(Status.COMMITTED, txId, block, "");
    }

    public static SubmitResult of(Status status, String txId, String detail) {
        return new SubmitResult(status, txId, -1, detail);
    }
}
