package io.charter.peer.ledger;

import java.util.Objects;

/** A world-state value with the version of the transaction that wrote it. */
public record VersionedValue(String namespace, String key, byte[] value, KeyVersion version) {

    public VersionedValue {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(version, "version");
    }

    public StateKey stateKey() {
        return new StateKey(namespace, key);
    }

    @Override
    public String toString() {
        return "VersionedValue[" + namespace + "/" + key + " @" + version + ", " + value.length + " bytes]";
    }
}
