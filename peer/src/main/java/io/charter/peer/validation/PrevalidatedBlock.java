package io.charter.peer.validation;

import io.charter.protocol.Block;
import java.util.List;

/**
 * A block after the checks that do not depend on the ledger: data hash, orderer signatures and,
 * per transaction, everything but duplicates and MVCC. Either refused whole ({@link #refusal} set)
 * or with one {@link TxCheck} per envelope.
 *
 * @param policyEpoch the {@link EndorsementPolicies#epoch} the endorsement policies were taken at
 */
public record PrevalidatedBlock(Block block, List<TxCheck> transactions, BlockRefusal refusal, String refusalDetail,
                                long policyEpoch) {

    public PrevalidatedBlock {
        transactions = List.copyOf(transactions);
    }

    static PrevalidatedBlock refused(Block block, BlockRefusal reason, String detail) {
        return new PrevalidatedBlock(block, List.of(), reason, detail, 0);
    }

    public boolean isRefused() {
        return refusal != null;
    }

    public long number() {
        return block.getHeader().getNumber();
    }
}
