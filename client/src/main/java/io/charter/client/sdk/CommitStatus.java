package io.charter.client.sdk;

import java.util.Optional;

/**
 * Where a transaction was committed and whether it was valid.
 *
 * @param validationCode the peer's validation code name: {@code VALID}, {@code MVCC_READ_CONFLICT},
 *     {@code ENDORSEMENT_POLICY_FAILURE}, ... (charter.block.TxValidationCode)
 * @param conflict for MVCC and phantom read conflicts, the key that conflicted
 */
public record CommitStatus(String txId, long blockNumber, int txNumber, String validationCode,
                           Optional<ReadConflict> conflict) {

    public boolean isValid() {
        return "VALID".equals(validationCode);
    }
}
