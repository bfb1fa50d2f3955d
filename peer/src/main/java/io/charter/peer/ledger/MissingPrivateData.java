package io.charter.peer.ledger;

import java.util.Objects;
import java.util.Optional;

/**
 * Private writes of a committed valid transaction that this member peer should hold and does not.
 *
 * @param expiryBlock when they would be purged anyway (then they are no longer looked for); empty when never
 */
public record MissingPrivateData(String txId, KeyVersion position, String namespace, String collection,
                                 Optional<Long> expiryBlock) {

    public MissingPrivateData {
        Objects.requireNonNull(txId, "txId");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(expiryBlock, "expiryBlock");
    }
}
