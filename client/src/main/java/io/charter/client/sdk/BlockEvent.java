package io.charter.client.sdk;

import io.charter.protocol.Block;
import io.charter.protocol.TxValidationCode;
import java.util.List;

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

    public int transactionCount() {
        return block.getData().getEnvelopesCount();
    }
}
