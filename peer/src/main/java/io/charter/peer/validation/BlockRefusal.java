package io.charter.peer.validation;

/** Why a whole block was refused; nothing of a refused block is committed. */
public enum BlockRefusal {
    /** No header, no data or no metadata. */
    MALFORMED_BLOCK,
    /** The block's previous_hash is not the hash of the ledger's last block, or its data hash does not match its envelopes. */
    BROKEN_CHAIN,
    /** The orderer signatures do not satisfy the channel's BlockValidation policy. */
    BAD_ORDERER_SIGNATURES,
    /** The block is beyond the next one (height + 1 or later): a gap. */
    OUT_OF_SEQUENCE,
    /** A block of that number is committed with another hash: a fork, never applied. */
    CONFLICTS_WITH_LEDGER,
    /**
     * A config block after genesis that may not be applied: a CONFIG envelope beside others, not written by
     * an orderer of the channel, or whose update the current configuration does not accept (sequence, channel,
     * well-formedness, Admins signatures), or whose configuration is not the one its update proposes.
     */
    INVALID_CONFIG_UPDATE
}
