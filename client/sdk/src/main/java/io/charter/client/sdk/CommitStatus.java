package io.charter.client.sdk;

import java.util.Optional;

/**
 * Where a transaction was committed and whether it was valid.
 *
 * @param validationCode the peer's validation code name: {@code VALID}, {@code MVCC_READ_CONFLICT},
 *     {@code ENDORSEMENT_POLICY_FAILURE}, ... (charter.block.TxValidationCode)
 * @param conflict for MVCC and phantom read conflicts, the key that conflicted
 * @param claim true when no verified transaction has the id and this is a committed envelope that only claims it (its
 *     creator could not be verified, or it repeated a committed id): only {@link Network#transactionStatus} reports
 *     one, never {@link Network#commitStatus}
 */
public record CommitStatus(String txId, long blockNumber, int txNumber, String validationCode,
                           Optional<ReadConflict> conflict, boolean claim) {

    public CommitStatus(String txId, long blockNumber, int txNumber, String validationCode, Optional<ReadConflict> conflict) {
        this(txId, blockNumber, txNumber, validationCode, conflict, false);
    }

    public boolean isValid() {
        return "VALID".equals(validationCode);
    }
}
