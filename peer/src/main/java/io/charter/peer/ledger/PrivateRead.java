package io.charter.peer.ledger;

import java.util.Objects;

/** What this peer can say about a private key: every peer knows whether it exists (by its hash), members its value. */
public sealed interface PrivateRead {

    /** No transaction wrote the key, or the last one deleted it. */
    record Absent() implements PrivateRead {}

    /** The value at the version of the key's committed hash. */
    record Present(byte[] value, KeyVersion version) implements PrivateRead {
        public Present {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(version, "version");
        }
    }

    /** The key exists, its value was purged after its collection's blockToLive. */
    record Purged(KeyVersion version) implements PrivateRead {}

    /**
     * The key exists at {@code version} and this peer does not hold that value: it is not a member, or the value
     * has not arrived yet (reconciliation pending).
     */
    record NotHeld(KeyVersion version) implements PrivateRead {}
}
