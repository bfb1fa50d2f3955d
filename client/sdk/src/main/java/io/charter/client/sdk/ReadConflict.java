package io.charter.client.sdk;

import java.util.Optional;

/**
 * The key that made a transaction fail MVCC validation, as the committing peer recorded it.
 *
 * @param namespace the contract whose state the key belongs to
 * @param key the key read at endorsement that was no longer at that version at validation
 * @param readVersion the version the endorsers read; empty when they read the key as absent
 * @param committedVersion the version current at validation; empty when the key no longer existed
 * @param phantom true when a range read changed (PHANTOM_READ_CONFLICT) rather than a single key
 */
public record ReadConflict(String namespace, String key, Optional<KeyVersion> readVersion,
                           Optional<KeyVersion> committedVersion, boolean phantom) {

    /** A ledger position: the block and the transaction's index in it that last wrote a key. */
    public record KeyVersion(long blockNumber, long txNumber) {
        @Override
        public String toString() {
            return blockNumber + ":" + txNumber;
        }
    }

    @Override
    public String toString() {
        return namespace + "/" + key + " (read " + readVersion.map(KeyVersion::toString).orElse("absent")
                + ", committed " + committedVersion.map(KeyVersion::toString).orElse("absent") + ")";
    }
}
