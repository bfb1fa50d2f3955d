package io.charter.peer.ledger;

import com.google.protobuf.ByteString;
import java.util.Objects;

/** A key of a private data collection as every peer knows it: by the SHA-256 of the key. */
public record HashedKey(String namespace, String collection, ByteString keyHash) {

    public HashedKey {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(keyHash, "keyHash");
    }
}
