package io.charter.peer.ledger;

import java.util.Objects;

/**
 * Why a transaction failed MVCC: the first key whose read is no longer current.
 *
 * @param phantom true for PHANTOM_READ_CONFLICT (a range read changed), false for MVCC_READ_CONFLICT
 * @param readVersion the version the endorser read; null when it read the key as absent
 * @param committedVersion the version current at validation; null when the key did not exist then
 */
public record MvccConflictRecord(String txId, long blockNumber, int txNumber, boolean phantom, String namespace,
                                 String key, KeyVersion readVersion, KeyVersion committedVersion) {

    public MvccConflictRecord {
        Objects.requireNonNull(txId, "txId");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return (phantom ? "phantom read" : "read") + " conflict of " + txId + " (block " + blockNumber + ", tx "
                + txNumber + ") on " + namespace + "/" + key + ": read "
                + (readVersion == null ? "absent" : readVersion) + ", committed "
                + (committedVersion == null ? "absent" : committedVersion);
    }
}
