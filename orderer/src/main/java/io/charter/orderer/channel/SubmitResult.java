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

    public enum Status {
        /** In a committed, stored block: {@code blockNumber}. */
        COMMITTED,
        /** This transaction id was already ordered (in {@code blockNumber}); nothing new was ordered. */
        DUPLICATE_TXID,
        /** Larger than the channel's maximum envelope size. */
        TOO_LARGE,
        /** Not a well-formed envelope (unparseable, no header, no tx id, wrong channel...). */
        MALFORMED,
        /** Refused by an envelope validator for a reason without a status of its own. */
        REJECTED,
        /** No leader could take it now (election in progress, leader unreachable); resubmit. */
        UNAVAILABLE,
        /** Not seen in a committed block within the commit timeout; resubmit. */
        TIMEOUT,
        // The validator's reasons (appended: the ordinals above travel in Raft SUBMIT replies).
        /** No such channel on this orderer (answered by the broadcast layer). */
        UNKNOWN_CHANNEL,
        /** The creator's organization is not in the channel or did not issue its certificate. */
        UNKNOWN_CREATOR,
        /** The creator's certificate, or a CA of its chain, is revoked. */
        REVOKED_CREATOR,
        /** The creator's certificate, or a CA of its chain, is expired or not yet valid. */
        EXPIRED_CREATOR,
        /** The creator's certificate is not a usable identity for another reason (malformed, CA, no role). */
        BAD_CREATOR,
        /** No signature, or one that does not verify over the payload bytes. */
        BAD_SIGNATURE,
        /** The creator does not satisfy the channel's Writers policy. */
        FORBIDDEN,
        /** The tx id is not lower-case hex SHA-256(nonce || creator). */
        BAD_TXID,
        // Config update reasons.
        /** The proposed configuration's sequence is not the current sequence + 1. */
        CONFIG_SEQUENCE_MISMATCH,
        /** The admin signatures do not satisfy the current configuration's Admins policy. */
        CONFIG_UNAUTHORIZED,
        /** The update or the proposed configuration is malformed or not well-formed. */
        CONFIG_INVALID,
        /** The update, or the configuration it proposes, is for another channel. */
        CONFIG_WRONG_CHANNEL;

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
