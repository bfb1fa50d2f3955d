package io.charter.peer.ledger;

import io.charter.protocol.Version;

/**
 * The ledger position of the transaction that wrote a key: block number and transaction number
 * (the envelope's position in its block). Ordered by block, then transaction.
 */
public record KeyVersion(long blockNumber, int txNumber) implements Comparable<KeyVersion> {

    public KeyVersion {
        if (blockNumber < 0 || txNumber < 0) {
            throw new IllegalArgumentException("a version is never negative: " + blockNumber + ":" + txNumber);
        }
    }

    public static KeyVersion of(Version version) {
        return new KeyVersion(version.getBlockNumber(), Math.toIntExact(version.getTxNumber()));
    }

    public Version toProto() {
        return Version.newBuilder().setBlockNumber(blockNumber).setTxNumber(txNumber).build();
    }

    /** Whether {@code version} (as an endorser recorded it) names this version. */
    public boolean matches(Version version) {
        return version.getBlockNumber() == blockNumber && version.getTxNumber() == txNumber;
    }

    @Override
    public int compareTo(KeyVersion other) {
        int byBlock = Long.compare(blockNumber, other.blockNumber);
        return byBlock != 0 ? byBlock : Integer.compare(txNumber, other.txNumber);
    }

    @Override
    public String toString() {
        return blockNumber + ":" + txNumber;
    }
}
