package io.charter.contract;

import java.util.Objects;

/**
 * One committed write of a key, from {@link Context#history}.
 *
 * @param txId the transaction that wrote it
 * @param blockNumber the block that committed it
 * @param txNumber the transaction's position in that block
 * @param deleted whether the write was a delete (then {@code value} is empty)
 */
public record KeyModification(String txId, long blockNumber, int txNumber, boolean deleted, byte[] value) {

    public KeyModification {
        Objects.requireNonNull(txId, "txId");
        value = value == null ? new byte[0] : value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    public String valueAsString() {
        return new String(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyModification other && txId.equals(other.txId) && blockNumber == other.blockNumber
                && txNumber == other.txNumber && deleted == other.deleted && java.util.Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(txId, blockNumber, txNumber, deleted, java.util.Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return "KeyModification[" + txId + " @" + blockNumber + ":" + txNumber + (deleted ? ", deleted" : "") + "]";
    }
}
