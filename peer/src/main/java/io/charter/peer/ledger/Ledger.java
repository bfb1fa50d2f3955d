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

    // ---- private data (docs/private-data.md) ----

    /** A private key of a collection: its value when this peer holds it at the committed hash's version. */
    PrivateRead getPrivate(String namespace, String collection, String key);

    /** The committed hash of a private key's value; empty when the key does not exist. */
    Optional<VersionedHash> privateHash(HashedKey key);

    /**
     * The private keys of a collection this peer holds at their committed version, as {@link #range} (keys whose
     * newer value has not arrived are left out).
     */
    StatePage privateRange(String namespace, String collection, String startKey, String endKey, int pageSize,
                           String bookmark);

    /** JSON values of a collection this peer holds at their committed version, as {@link #query}. */
    StatePage privateQuery(String namespace, String collection, RichQuery query, int pageSize, String bookmark);

    /** The private writes of a committed transaction to one collection, as this peer keeps them (not purged). */
    Optional<io.charter.protocol.CollectionPrivateWrites> committedPrivateWrites(KeyVersion position, String namespace,
                                                                                 String collection);

    /** Private writes this member peer should hold and does not, oldest block first, at most {@code limit}. */
    List<MissingPrivateData> missingPrivateData(int limit);

    /**
     * Stores private writes that arrived after their block (reconciliation), each checked by the caller against
     * the block's hashes, in one transaction: the writes are kept for other member peers, each value goes to the
     * private state unless a later transaction has written the key since, and their missing entries are removed.
     */
    void reconcile(List<PrivateCommit.ValueWrites> found);

    /**
     * Keeps a transaction's private writes until its block commits (the transient store).
     *
     * @param replace whether to replace what is kept for the same transaction and collection (this peer's own
     *     simulation) or keep it (writes pushed by another peer: a second push cannot displace the first)
     * @param sender the organization the entries come from (this peer's own for its own endorsements)
     * @param receivedHeight the ledger height when they arrived; they are deleted once the channel is far past it
     * @return false, keeping nothing, when the store already holds {@code maxEntries} entries of this channel, or
     *     {@code maxPerSender} of {@code sender}'s
     */
    boolean putTransient(String txId, List<io.charter.protocol.CollectionPrivateWrites> writes, boolean replace,
                         String sender, long receivedHeight, int maxEntries, int maxPerSender);

    /** The private writes the transient store keeps for {@code txId}, by namespace and collection. */
    default List<io.charter.protocol.CollectionPrivateWrites> transientWrites(String txId) {
        return transientWrites(List.of(txId)).getOrDefault(txId, List.of());
    }

    /** The private writes the transient store keeps for each of {@code txIds} that has some (one query). */
    java.util.Map<String, List<io.charter.protocol.CollectionPrivateWrites>> transientWrites(Collection<String> txIds);

    /**
     * How many entries the transient store keeps for this channel. {@link #putTransient}'s bounds use counts per
     * sender kept with the writes and deletes (read from the database once).
     */
    long transientEntries();

    /**
     * Applies one block atomically: block row, transaction index, state writes, history and
     * conflicts, or nothing.
     *
     * @throws LedgerException when the block is not the next one (number != height) or the database fails;
     *     then nothing of the block is committed
     */
    default void commit(BlockCommit commit) {
        commit(commit, () -> {});
    }

    /**
     * As {@link #commit(BlockCommit)}, running {@code beforeHeightShows} once the block is durably committed and
     * before {@link #height()} shows it: what readers of the height rely on (the configuration in force, the
     * contract definitions) is switched by then. The height shows the block even when {@code beforeHeightShows}
     * throws (the block is committed); its exception is then thrown.
     */
    void commit(BlockCommit commit, Runnable beforeHeightShows);
}
