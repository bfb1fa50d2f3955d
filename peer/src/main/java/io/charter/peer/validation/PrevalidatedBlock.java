package io.charter.peer.validation;

import io.charter.protocol.Block;
import java.util.List;

/**
 * A block after the checks that do not depend on the ledger: data hash, orderer signatures and,
 * per transaction, everything but duplicates and MVCC. Either refused whole ({@link #refusal} set)
 * or with one {@link TxCheck} per envelope.
 *
 * @param policyEpoch the {@link EndorsementPolicies#epoch} the endorsement policies were taken at
 * @param context the channel configuration the block was checked against; the committer checks it again
 *     when another one is in force by the time it commits (a config block committed meanwhile)
 */
public record PrevalidatedBlock(Block block, List<TxCheck> transactions, BlockRefusal refusal, String refusalDetail,
                                long policyEpoch, ChannelContext context) {

    public PrevalidatedBlock {
        transactions = List.copyOf(transactions);
    }

    static PrevalidatedBlock refused(Block block, BlockRefusal reason, String detail, ChannelContext context) {
        return new PrevalidatedBlock(block, List.of(), reason, detail, 0, context);
    }

    public boolean isRefused() {
        return refusal != null;
    }

    public long number() {
        return block.getHeader().getNumber();
    }

    /** The configuration carried by this block when it is a valid config block, else empty. */
    public java.util.Optional<io.charter.protocol.ChannelConfig> newConfig() {
        if (isRefused() || transactions.size() != 1) {
            return java.util.Optional.empty();
        }
        return transactions.getFirst() instanceof TxCheck.Passed passed ? passed.config() : java.util.Optional.empty();
    }
}
