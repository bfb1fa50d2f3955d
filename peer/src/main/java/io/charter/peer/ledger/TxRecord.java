package io.charter.peer.ledger;

import io.charter.protocol.TxValidationCode;
import java.util.Objects;

/** Where a transaction is in the ledger and whether it was valid. */
public record TxRecord(String txId, long blockNumber, int txNumber, TxValidationCode code) {

    public TxRecord {
        Objects.requireNonNull(txId, "txId");
        Objects.requireNonNull(code, "code");
    }

    public boolean isValid() {
        return code == TxValidationCode.VALID;
    }
}
