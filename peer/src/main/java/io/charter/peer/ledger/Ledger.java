package io.charter.peer.ledger;

import io.charter.protocol.Block;
import io.charter.protocol.BlockHeader;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The ledger of one channel on this peer: the committed blocks, the transaction index, the world
 * state and the key history. Reads see whole blocks only: {@link #commit} applies a block in one
 * database transaction. Thread-safe; commits of one channel must come from one thread at a time
 * (the {@code BlockCommitter}'s), which {@link #commit} checks with the block number. The key versions that
 * MVCC compares reads with are its {@link StateVersions}.
 */
public interface Ledger extends StateVersions {

    String channelId();

    /** Number of committed blocks (the next block's number); 0 before the genesis block. */
    long height();

    /**
     * Deletes everything of this channel from the ledger (blocks, transaction index and claims, world state, key
     * history, MVCC conflicts, committed configurations), in one transaction: for a peer that left the channel and
     * was asked to remove its data. The ledger's height is 0 afterwards; nothing may commit to it meanwhile.
     */
    void deleteAll();

    Optional<Block> block(long number);

    /** The header of the last committed block, which the next block must link to. */
    Optional<BlockHeader> lastHeader();

    Optional<TxRecord> transaction(String txId);

    /**
     * Transactions of committed blocks that claim {@code txId} but are not in the index (their creator was not
     * verified, or they repeated a committed id), in block order, at most {@code limit}.
     */
    List<TxRecord> claims(String txId, int limit);

    /** Of {@code txIds}, those already in the transaction index. */
    Set<String> existingTransactions(Collection<String> txIds);

    Optional<VersionedValue> get(String namespace, String key);

    /**
     * Keys of {@code namespace} from {@code startKey} (inclusive) to {@code endKey} (exclusive; empty
     * for no end), in {@link KeyOrder} (bytewise UTF-8), at most {@code pageSize} per page.
     *
     * @param bookmark null for the first page, else the bookmark of the previous page
     */
    StatePage range(String namespace, String startKey, String endKey, int pageSize, String bookmark);

    /** JSON values of {@code namespace} matching {@code query}, in key order, paginated as {@link #range}. */
    StatePage query(String namespace, RichQuery query, int pageSize, String bookmark);

    /** Every write of the key by a valid transaction, oldest first. */
    List<HistoryEntry> history(String namespace, String key);

    /**
     * The latest channel configuration committed with a block (the genesis block's, then each valid config
     * block's), with the number of that block; empty before the genesis block, and for a ledger whose genesis
     * was committed before configurations were recorded (then the genesis block's configuration is in force).
     */
    Optional<CommittedConfig> latestConfig();

    /** The MVCC conflict that made {@code txId} invalid, if it failed MVCC. */
    Optional<MvccConflictRecord> conflict(String txId);

    /**
     * Applies one block atomically: block row, transaction index, state writes, history and
     * conflicts, or nothing.
     *
     * @throws LedgerException when the block is not the next one (number != height) or the database fails;
     *     then nothing of the block is committed
     */
    void commit(BlockCommit commit);
}
