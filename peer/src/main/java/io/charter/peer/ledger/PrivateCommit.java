package io.charter.peer.ledger;

import io.charter.protocol.CollectionPrivateWrites;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one block writes of private data, in the block's database transaction: the hashes of every valid
 * transaction's private writes (every peer), the values this peer has and checked (member peers), what it should
 * have and does not (for reconciliation), the transient entries the block's transactions leave behind, and what
 * the block purges.
 *
 * @param hashes the hashed writes of valid transactions, in block order (a later write of a key wins)
 * @param values the private writes of valid transactions whose values this peer holds and checked against the
 *     hashes, in block order
 * @param missing what this member peer should hold and does not
 * @param committedTxIds the block's transaction ids, whose transient entries are deleted
 * @param transientExpiredBelow transient entries received below this height are deleted (never committed)
 */
public record PrivateCommit(List<HashWrite> hashes, List<ValueWrites> values, List<MissingPrivateData> missing,
                            List<String> committedTxIds, long transientExpiredBelow) {

    public static final PrivateCommit NONE = new PrivateCommit(List.of(), List.of(), List.of(), List.of(), 0);

    public PrivateCommit {
        hashes = List.copyOf(hashes);
        values = List.copyOf(values);
        missing = List.copyOf(missing);
        committedTxIds = List.copyOf(committedTxIds);
    }

    /**
     * A hashed write: the value's hash, or a delete (empty).
     *
     * @param expiryBlock when the value is purged; empty when never
     */
    public record HashWrite(HashedKey key, Optional<com.google.protobuf.ByteString> valueHash, KeyVersion version,
                            Optional<Long> expiryBlock) {
        public HashWrite {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(valueHash, "valueHash");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(expiryBlock, "expiryBlock");
        }
    }

    /** One transaction's checked private writes of one collection. */
    public record ValueWrites(CollectionPrivateWrites writes, KeyVersion version, Optional<Long> expiryBlock) {
        public ValueWrites {
            Objects.requireNonNull(writes, "writes");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(expiryBlock, "expiryBlock");
        }
    }
}
