package io.charter.peer.ledger;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a transaction failed MVCC: the first key whose read is no longer current.
 *
 * @param phantom true for PHANTOM_READ_CONFLICT (a range read changed), false for MVCC_READ_CONFLICT
 * @param readVersion the version the endorser read; empty when it read the key as absent
 * @param committedVersion the version current at validation; empty when the key did not exist then
 */
public record MvccConflictRecord(String txId, long blockNumber, int txNumber, boolean phantom, String namespace,
                                 String key, Optional<KeyVersion> readVersion, Optional<KeyVersion> committedVersion) {

    public MvccConflictRecord {
        Objects.requireNonNull(txId, "txId");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(readVersion, "readVersion");
        Objects.requireNonNull(committedVersion, "committedVersion");
    }

    @Override
    public String toString() {
        return (phantom ? "phantom read" : "read") + " conflict of " + txId + " (block " + blockNumber + ", tx "
                + txNumber + ") on " + namespace + "/" + key + ": read "
                + readVersion.map(KeyVersion::toString).orElse("absent") + ", committed "
                + committedVersion.map(KeyVersion::toString).orElse("absent");
    }
}
