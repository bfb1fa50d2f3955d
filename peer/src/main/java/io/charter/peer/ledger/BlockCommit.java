package io.charter.peer.ledger;

import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one block writes to the ledger, applied in one database transaction.
 *
 * @param block the block with its peer metadata (validation codes, MVCC conflicts) filled in
 * @param transactions index rows, for transactions whose id is trusted (see the schema)
 * @param writes the writes of the valid transactions, in block order (a later write of a key wins)
 * @param conflicts MVCC conflict details of the transactions that failed MVCC
 * @param config the channel configuration this block puts in force (a genesis or valid config block), else empty
 * @param claims the transactions left out of the index whose header names a well-formed id: unauthenticated ones
 *     (the id is only the sender's claim) and repeats of a committed id, with their codes
 * @param privateData the block's private data: hashes, the values this peer holds, what it misses, purges
 */
public record BlockCommit(Block block, List<TxRecord> transactions, List<StateWrite> writes,
                          List<MvccConflictRecord> conflicts, Optional<ChannelConfig> config, List<TxRecord> claims,
                          PrivateCommit privateData) {

    public BlockCommit(Block block, List<TxRecord> transactions, List<StateWrite> writes, List<MvccConflictRecord> conflicts,
            Optional<ChannelConfig> config, List<TxRecord> claims) {
        this(block, transactions, writes, conflicts, config, claims, PrivateCommit.NONE);
    }

    public BlockCommit(Block block, List<TxRecord> transactions, List<StateWrite> writes, List<MvccConflictRecord> conflicts) {
        this(block, transactions, writes, conflicts, Optional.empty(), List.of());
    }

    public BlockCommit(Block block, List<TxRecord> transactions, List<StateWrite> writes, List<MvccConflictRecord> conflicts,
            Optional<ChannelConfig> config) {
        this(block, transactions, writes, conflicts, config, List.of());
    }

    public BlockCommit {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(privateData, "privateData");
        transactions = List.copyOf(transactions);
        writes = List.copyOf(writes);
        conflicts = List.copyOf(conflicts);
        claims = List.copyOf(claims);
    }

    public long number() {
        return block.getHeader().getNumber();
    }
}
