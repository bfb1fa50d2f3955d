package io.charter.client.sdk;

import io.charter.protocol.Block;
import io.charter.protocol.MvccConflict;
import io.charter.protocol.TxValidationCode;
import java.util.List;
import java.util.Optional;

/**
 * A block as committed by a peer, with the peer's metadata (validation codes, MVCC conflicts).
 *
 * @param blockNumber the block's number; resume a stream from {@code blockNumber + 1}
 */
public record BlockEvent(long blockNumber, Block block) {

    /** The validation code of each transaction, in order. */
    public List<TxValidationCode> validationCodes() {
        return block.getMetadata().getValidationCodesList();
    }

    /**
     * Why the transaction at {@code txIndex} failed MVCC (or phantom read) validation, as the committing peer
     * recorded it; empty for any other transaction.
     */
    public Optional<ReadConflict> conflict(int txIndex) {
        List<TxValidationCode> codes = validationCodes();
        for (MvccConflict conflict : block.getMetadata().getMvccConflictsList()) {
            if (conflict.getTxIndex() == txIndex) {
                boolean phantom = txIndex < codes.size() && codes.get(txIndex) == TxValidationCode.PHANTOM_READ_CONFLICT;
                return Optional.of(Network.conflict(conflict, phantom));
            }
        }
        return Optional.empty();
    }

    public int transactionCount() {
        return block.getData().getEnvelopesCount();
    }
}
