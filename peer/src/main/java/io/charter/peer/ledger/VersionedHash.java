package io.charter.peer.ledger;

import com.google.protobuf.ByteString;
import java.util.Objects;
import java.util.Optional;

/**
 * The committed hash of a private key's value, with the version of the transaction that wrote it.
 *
 * @param expiryBlock the block at whose commit the value is purged (the hash stays); empty when never
 */
public record VersionedHash(HashedKey key, ByteString valueHash, KeyVersion version, Optional<Long> expiryBlock) {

    public VersionedHash {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(valueHash, "valueHash");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(expiryBlock, "expiryBlock");
    }

    /** Whether the value was purged by the time the ledger reached {@code height}. */
    public boolean purgedAt(long height) {
        return expiryBlock.isPresent() && expiryBlock.get() < height;
    }
}
