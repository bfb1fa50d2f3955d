package io.charter.peer.ledger;

import java.util.Objects;

/**
 * A write of a valid transaction, to be applied at commit.
 *
 * @param value the new value; null for a delete
 */
public record StateWrite(String namespace, String key, byte[] value, KeyVersion version, String txId) {

    public StateWrite {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(txId, "txId");
    }

    public boolean isDelete() {
        return value == null;
    }

    public StateKey stateKey() {
        return new StateKey(namespace, key);
    }
}
