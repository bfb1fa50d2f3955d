package io.charter.peer.ledger;

import java.util.Objects;

/** A key of the world state: a contract's namespace and the key within it. */
public record StateKey(String namespace, String key) {

    public StateKey {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return namespace + "/" + key;
    }
}
