package io.charter.peer.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.protocol.BlockHashing;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.BlockHeader;
import io.charter.protocol.TxValidationCode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * The ledger of one channel in the peer's PostgreSQL database (schema {@code V1__ledger.sql}, every
 * table keyed by channel first). A block commits in one transaction of six statements, one per
 * table, each writing all its rows at once by {@code unnest} over array parameters (one round trip
 * per table whatever the block size). The arrays are bound as typed Java arrays ({@code String[]},
 * {@code int[]}, {@code short[]}, {@code byte[][]}), which the driver sends in PostgreSQL's binary
 * array format: values travel as raw bytes instead of hex-escaped text that both sides would have to
 * encode and decode (measured as the larger part of the commit's CPU, see docs/peer.md#benchmark). The data source should not auto-commit-per-statement any
 * differently from the JDBC default; this class manages the transaction itself.
 */
public final class PostgresLedger implements Ledger {

    private static final String INSERT_BLOCK = """
            insert into block (channel_id, number, header_hash, previous_hash, data_hash, tx_count, valid_count, raw)
            values (?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String INSERT_TX_INDEX = """
            insert into tx_index (channel_id, tx_id, block_number, tx_number, validation_code)
            select ?, u.tx_id, ?, u.tx_number, u.code
            from unnest(?::text[], ?::int[], ?::smallint[]) as u(tx_id, tx_number, code)""";
    private static final String INSERT_TX_CLAIM = """
            insert into tx_claim (channel_id, tx_id, block_number, tx_number, validation_code)
            select ?, u.tx_id, ?, u.tx_number, u.code
            from unnest(?::text[], ?::int[], ?::smallint[]) as u(tx_id, tx_number, code)""";
    private static final String UPSERT_STATE = """
            insert into state (channel_id, namespace, key, value, value_json, block_number, tx_number)
            select ?, u.namespace, u.key, u.value, u.json::jsonb, ?, u.tx_number
            from unnest(?::text[], ?::text[], ?::bytea[], ?::text[], ?::int[]) as u(namespace, key, value, json, tx_number)
            on conflict (channel_id, namespace, key) do update
            set value = excluded.value, value_json = excluded.value_json,
                block_number = excluded.block_number, tx_number = excluded.tx_number""";
    private static final String DELETE_STATE = """
            delete from state s using unnest(?::text[], ?::text[]) as u(namespace, key)
            where s.channel_id = ? and s.namespace = u.namespace and s.key = u.key""";
    private static final String INSERT_HISTORY = """
            insert into key_history (channel_id, namespace, key, block_number, tx_number, tx_id, is_delete, value)
            select ?, u.namespace, u.key, ?, u.tx_number, u.tx_id, u.value is null, u.value
            from unnest(?::text[], ?::text[], ?::int[], ?::text[], ?::bytea[]) as u(namespace, key, tx_number, tx_id, value)""";
    private static final String INSERT_CONFLICT = """
            insert into mvcc_conflict (channel_id, tx_id, block_number, tx_number, phantom, namespace, key,
                                       read_block, read_tx, committed_block, committed_tx)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String INSERT_CONFIG = """
            insert into channel_config (channel_id, sequence, block_number, config) values (?, ?, ?, ?)""";

    private final DataSource dataSource;
    private final String channelId;
    private final CommitHook hook;
    /** Height and last header, updated only after a commit succeeded. */
    private final AtomicReference<Tip> tip = new AtomicReference<>();

    private record Tip(long height, BlockHeader lastHeader) {}

    /**
     * Entries of this channel's transient store by sender, counted once, then kept with the writes and deletes; null
     * until counted.
     */
    private Map<String, Long> transientBySender;
    private final Object transientLock = new Object();
    /** Transient entries the block being committed deletes, by sender (set in its transaction, applied once it commits). */
    private Map<String, Integer> transientDeletedByCommit = Map.of();

    public PostgresLedger(DataSource dataSource, String channelId) {
        this(dataSource, channelId, CommitHook.NONE);
    }

    /** A ledger whose commits call {@code hook} after each statement (failure injection in tests). */
    public PostgresLedger(DataSource dataSource, String channelId, CommitHook hook) {
        if (channelId == null || channelId.isEmpty()) {
            throw new IllegalArgumentException("a ledger needs a channel id");
        }
        this.dataSource = dataSource;
        this.channelId = channelId;
        this.hook = hook;
        this.tip.set(loadTip());
    }

    /** The channels that have a ledger in this database (at least their genesis block). */
    public static List<String> channels(DataSource dataSource) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select distinct channel_id from block order by 1");
             ResultSet rows = s.executeQuery()) {
            List<String> channels = new ArrayList<>();
            while (rows.next()) {
                channels.add(rows.getString(1));
            }
            return channels;
        } catch (SQLException e) {
            throw new LedgerException("cannot list the channels: " + e.getMessage(), e);
        }
    }

    @Override
    public String channelId() {
        return channelId;
    }

    @Override
    public long height() {
        return tip.get().height();
    }

    @Override
    public Optional<BlockHeader> lastHeader() {
        return Optional.ofNullable(tip.get().lastHeader());
    }

    private Tip loadTip() {
        return read("read the ledger height", c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    select number, previous_hash, data_hash from block
                    where channel_id = ? order by number desc limit 1""")) {
                s.setString(1, channelId);
                try (ResultSet rows = s.executeQuery()) {
                    if (!rows.next()) {
                        return new Tip(0, null);
                    }
                    BlockHeader header = BlockHeader.newBuilder()
                            .setNumber(rows.getLong(1))
                            .setPreviousHash(ByteString.copyFrom(rows.getBytes(2)))
                            .setDataHash(ByteString.copyFrom(rows.getBytes(3)))
                            .build();
                    return new Tip(header.getNumber() + 1, header);
                }
            }
        });
    }

    @Override
    public Optional<Block> block(long number) {
        return read("read block " + number, c -> {
            try (PreparedStatement s = c.prepareStatement("select raw from block where channel_id = ? and number = ?")) {
                s.setString(1, channelId);
                s.setLong(2, number);
                try (ResultSet rows = s.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    try {
                        return Optional.of(Block.parseFrom(rows.getBytes(1)));
                    } catch (InvalidProtocolBufferException e) {
                        throw new LedgerException("block " + number + " of " + channelId + " is corrupt in the database", e);
                    }
                }
            }
        });
    }

    @Override
    public Optional<TxRecord> transaction(String txId) {
        return read("read transaction " + txId, c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    select block_number, tx_number, validation_code from tx_index where channel_id = ? and tx_id = ?""")) {
                s.setString(1, channelId);
                s.setString(2, txId);
                try (ResultSet rows = s.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(txRecord(txId, rows));
                }
            }
        });
    }

    @Override
    public List<TxRecord> claims(String txId, int limit) {
        return read("read the claims of transaction id " + txId, c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    select block_number, tx_number, validation_code from tx_claim where channel_id = ? and tx_id = ?
                    order by block_number, tx_number limit ?""")) {
                s.setString(1, channelId);
                s.setString(2, txId);
                s.setInt(3, limit);
                List<TxRecord> claims = new ArrayList<>();
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        claims.add(txRecord(txId, rows));
                    }
                }
                return claims;
            }
        });
    }

    /** A row of {@code block_number, tx_number, validation_code} (tx_index or tx_claim). */
    private static TxRecord txRecord(String txId, ResultSet rows) throws SQLException {
        TxValidationCode code = TxValidationCode.forNumber(rows.getInt(3));
        return new TxRecord(txId, rows.getLong(1), rows.getInt(2), code == null ? TxValidationCode.INVALID_OTHER_REASON : code);
    }

    /** One statement for a block's rows of {@code sql} (the index, or the claims). */
    private void insertTransactions(Connection c, String sql, long number, List<TxRecord> transactions) throws SQLException {
        if (transactions.isEmpty()) {
            return;
        }
        int n = transactions.size();
        String[] ids = new String[n];
        int[] positions = new int[n];
        short[] codes = new short[n];
        for (int i = 0; i < n; i++) {
            TxRecord tx = transactions.get(i);
            ids[i] = tx.txId();
            positions[i] = tx.txNumber();
            codes[i] = (short) tx.code().getNumber();
        }
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, channelId);
            s.setLong(2, number);
            s.setObject(3, ids);
            s.setObject(4, positions);
            s.setObject(5, codes);
            s.executeUpdate();
        }
    }

    @Override
    public Set<String> existingTransactions(Collection<String> txIds) {
        if (txIds.isEmpty()) {
            return Set.of();
        }
        return read("look up transaction ids", c -> {
            try (PreparedStatement s = c.prepareStatement("select tx_id from tx_index where channel_id = ? and tx_id = any(?::text[])")) {
                s.setString(1, channelId);
                s.setObject(2, txIds.toArray(String[]::new));
                Set<String> found = new HashSet<>();
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        found.add(rows.getString(1));
                    }
                }
                return found;
            }
        });
    }

    @Override
    public Optional<VersionedValue> get(String namespace, String key) {
        return read("read " + namespace + "/" + key, c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    select value, block_number, tx_number from state where channel_id = ? and namespace = ? and key = ?""")) {
                s.setString(1, channelId);
                s.setString(2, namespace);
                s.setString(3, key);
                try (ResultSet rows = s.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new VersionedValue(namespace, key, rows.getBytes(1),
                            new KeyVersion(rows.getLong(2), rows.getInt(3))));
                }
            }
        });
    }

    @Override
    public Map<StateKey, KeyVersion> versions(Collection<StateKey> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        return read("read key versions", c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    select s.namespace, s.key, s.block_number, s.tx_number
                    from state s join unnest(?::text[], ?::text[]) as u(namespace, key)
                      on s.namespace = u.namespace and s.key = u.key
                    where s.channel_id = ?""")) {
                List<String> namespaces = new ArrayList<>(keys.size());
                List<String> names = new ArrayList<>(keys.size());
                for (StateKey key : keys) {
                    namespaces.add(key.namespace());
                    names.add(key.key());
                }
                s.setObject(1, namespaces.toArray(String[]::new));
                s.setObject(2, names.toArray(String[]::new));
                s.setString(3, channelId);
                Map<StateKey, KeyVersion> versions = new HashMap<>();
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        versions.put(new StateKey(rows.getString(1), rows.getString(2)),
                                new KeyVersion(rows.getLong(3), rows.getInt(4)));
                    }
                }
                return versions;
            }
        });
    }

    @Override
    public StatePage range(String namespace, String startKey, String endKey, int pageSize, String bookmark) {
        requirePageSize(pageSize);
        String after = decodeBookmark(bookmark);
        StringBuilder sql = new StringBuilder("""
                select key, value, block_number, tx_number from state
                where channel_id = ? and namespace = ? and key >= ?""");
        List<Object> parameters = new ArrayList<>(List.of(channelId, namespace, startKey == null ? "" : startKey));
        if (endKey != null && !endKey.isEmpty()) {
            sql.append(" and key < ?");
            parameters.add(endKey);
        }
        if (after != null) {
            sql.append(" and key > ?");
            parameters.add(after);
        }
        sql.append(" order by key limit ?");
        parameters.add(pageSize + 1);
        return page(namespace, sql.toString(), parameters, pageSize, "range over " + namespace);
    }

    @Override
    public List<Map.Entry<String, KeyVersion>> rangeVersions(String namespace, String startKey, String endKey, int limit) {
        StringBuilder sql = new StringBuilder("""
                select key, block_number, tx_number from state
                where channel_id = ? and namespace = ? and key >= ?""");
        List<Object> parameters = new ArrayList<>(List.of(channelId, namespace, startKey == null ? "" : startKey));
        if (endKey != null && !endKey.isEmpty()) {
            sql.append(" and key < ?");
            parameters.add(endKey);
        }
        sql.append(" order by key limit ?");
        parameters.add(limit);
        return read("read key versions of a range of " + namespace, c -> {
            try (PreparedStatement s = prepare(c, sql.toString(), parameters); ResultSet rows = s.executeQuery()) {
                List<Map.Entry<String, KeyVersion>> entries = new ArrayList<>();
                while (rows.next()) {
                    entries.add(Map.entry(rows.getString(1), new KeyVersion(rows.getLong(2), rows.getInt(3))));
                }
                return entries;
            }
        });
    }

    @Override
    public StatePage query(String namespace, RichQuery query, int pageSize, String bookmark) {
        requirePageSize(pageSize);
        String after = decodeBookmark(bookmark);
        StringBuilder sql = new StringBuilder("""
                select key, value, block_number, tx_number from state
                where channel_id = ? and namespace = ? and value_json is not null""").append(" and ");
        List<Object> parameters = new ArrayList<>(List.of(channelId, namespace));
        switch (query) {
            case RichQuery.Containment containment -> {
                sql.append("value_json @> ?::jsonb");
                parameters.add(containment.jsonDocument());
            }
            case RichQuery.JsonPath path when path.variables() == null || path.variables().isBlank() -> {
                sql.append("value_json @?? ?::jsonpath"); // pgjdbc writes the operator @? as @??
                parameters.add(path.path());
            }
            case RichQuery.JsonPath path -> {
                sql.append("jsonb_path_exists(value_json, ?::jsonpath, ?::jsonb)");
                parameters.add(path.path());
                parameters.add(path.variables());
            }
        }
        if (after != null) {
            sql.append(" and key > ?");
            parameters.add(after);
        }
        sql.append(" order by key limit ?");
        parameters.add(pageSize + 1);
        return page(namespace, sql.toString(), parameters, pageSize, "rich query " + query + " over " + namespace);
    }

    private StatePage page(String namespace, String sql, List<Object> parameters, int pageSize, String what) {
        return read(what, c -> {
            try (PreparedStatement s = prepare(c, sql, parameters); ResultSet rows = s.executeQuery()) {
                List<VersionedValue> entries = new ArrayList<>();
                boolean more = false;
                while (rows.next()) {
                    if (entries.size() == pageSize) {
                        more = true;
                        break;
                    }
                    entries.add(new VersionedValue(namespace, rows.getString(1), rows.getBytes(2),
                            new KeyVersion(rows.getLong(3), rows.getInt(4))));
                }
                Optional<String> next = more ? Optional.of(encodeBookmark(entries.getLast().key())) : Optional.empty();
                return new StatePage(entries, next);
            }
        });
    }

    @Override
    public List<HistoryEntry> history(String namespace, String key) {
        return read("read the history of " + namespace + "/" + key, c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    select block_number, tx_number, tx_id, is_delete, value from key_history
                    where channel_id = ? and namespace = ? and key = ? order by block_number, tx_number""")) {
                s.setString(1, channelId);
                s.setString(2, namespace);
                s.setString(3, key);
                List<HistoryEntry> entries = new ArrayList<>();
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        entries.add(new HistoryEntry(namespace, key, new KeyVersion(rows.getLong(1), rows.getInt(2)),
                                rows.getString(3), rows.getBoolean(4), rows.getBytes(5)));
                    }
                }
                return entries;
            }
        });
    }

    @Override
    public Optional<CommittedConfig> latestConfig() {
        return read("read the configuration of " + channelId, c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    select config, block_number from channel_config where channel_id = ?
                    order by sequence desc limit 1""")) {
                s.setString(1, channelId);
                try (ResultSet rows = s.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    try {
                        return Optional.of(new CommittedConfig(ChannelConfig.parseFrom(rows.getBytes(1)), rows.getLong(2)));
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new LedgerException("the committed configuration of " + channelId + " is corrupt", e);
                    }
                }
            }
        });
    }

    @Override
    public Optional<MvccConflictRecord> conflict(String txId) {
        return read("read the conflict of " + txId, c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    select block_number, tx_number, phantom, namespace, key, read_block, read_tx, committed_block, committed_tx
                    from mvcc_conflict where channel_id = ? and tx_id = ?""")) {
                s.setString(1, channelId);
                s.setString(2, txId);
                try (ResultSet rows = s.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new MvccConflictRecord(txId, rows.getLong(1), rows.getInt(2), rows.getBoolean(3),
                            rows.getString(4), rows.getString(5), version(rows, 6), version(rows, 8)));
                }
            }
        });
    }

    private static Optional<KeyVersion> version(ResultSet rows, int column) throws SQLException {
        long block = rows.getLong(column);
        if (rows.wasNull()) {
            return Optional.empty();
        }
        return Optional.of(new KeyVersion(block, rows.getInt(column + 1)));
    }

    // ---- private data ----

    @Override
    public Map<HashedKey, KeyVersion> hashedVersions(Collection<HashedKey> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        return read("read private key versions", c -> PrivateTables.hashedVersions(c, channelId, keys));
    }

    @Override
    public PrivateRead getPrivate(String namespace, String collection, String key) {
        long height = height();
        return read("read a private key of " + namespace + "/" + collection,
                c -> PrivateTables.get(c, channelId, namespace, collection, key, height));
    }

    @Override
    public Optional<VersionedHash> privateHash(HashedKey key) {
        return read("read a private hash of " + key.namespace() + "/" + key.collection(),
                c -> PrivateTables.hash(c, channelId, key));
    }

    @Override
    public StatePage privateRange(String namespace, String collection, String startKey, String endKey, int pageSize,
                                  String bookmark) {
        requirePageSize(pageSize);
        String after = decodeBookmark(bookmark);
        boolean bounded = endKey != null && !endKey.isEmpty();
        List<Object> parameters = new ArrayList<>(List.of(channelId, namespace, collection, startKey == null ? "" : startKey));
        if (bounded) {
            parameters.add(endKey);
        }
        if (after != null) {
            parameters.add(after);
        }
        parameters.add(pageSize + 1);
        return page(namespace, PrivateTables.rangeSql(bounded, after != null), parameters, pageSize,
                "range over " + namespace + "/" + collection);
    }

    @Override
    public StatePage privateQuery(String namespace, String collection, RichQuery query, int pageSize, String bookmark) {
        requirePageSize(pageSize);
        String after = decodeBookmark(bookmark);
        List<Object> parameters = new ArrayList<>(List.of(channelId, namespace, collection));
        String condition = switch (query) {
            case RichQuery.Containment containment -> {
                parameters.add(containment.jsonDocument());
                yield "s.value_json @> ?::jsonb";
            }
            case RichQuery.JsonPath path when path.variables() == null || path.variables().isBlank() -> {
                parameters.add(path.path());
                yield "s.value_json @?? ?::jsonpath";
            }
            case RichQuery.JsonPath path -> {
                parameters.add(path.path());
                parameters.add(path.variables());
                yield "jsonb_path_exists(s.value_json, ?::jsonpath, ?::jsonb)";
            }
        };
        if (after != null) {
            parameters.add(after);
        }
        parameters.add(pageSize + 1);
        return page(namespace, PrivateTables.querySql(condition, after != null), parameters, pageSize,
                "rich query " + query + " over " + namespace + "/" + collection);
    }

    @Override
    public Optional<io.charter.protocol.CollectionPrivateWrites> committedPrivateWrites(KeyVersion position, String namespace,
                                                                                        String collection) {
        return read("read committed private writes", c -> PrivateTables.committedWrites(c, channelId, position, namespace,
                collection));
    }

    @Override
    public List<MissingPrivateData> missingPrivateData(int limit) {
        return read("read the missing private data", c -> PrivateTables.missing(c, channelId, limit));
    }

    @Override
    public void reconcile(List<PrivateCommit.ValueWrites> found) {
        if (found.isEmpty()) {
            return;
        }
        inTransaction("store reconciled private data", c -> {
            PrivateTables.storeValues(c, channelId, found, true);
            PrivateTables.removeMissing(c, channelId, found);
            return null;
        });
    }

    @Override
    public boolean putTransient(String txId, List<io.charter.protocol.CollectionPrivateWrites> writes, boolean replace,
                                String sender, long receivedHeight, int maxEntries, int maxPerSender) {
        synchronized (transientLock) {
            if (transientBySender == null) {
                transientBySender = new HashMap<>(read("count the transient store",
                        c -> PrivateTables.transientEntries(c, channelId)));
            }
            long total = transientBySender.values().stream().mapToLong(Long::longValue).sum();
            long own = transientBySender.getOrDefault(sender, 0L);
            if (total + writes.size() > maxEntries || own + writes.size() > maxPerSender) {
                return false;
            }
            // reserved before the write, so that concurrent writers cannot pass the bounds together
            transientBySender.merge(sender, (long) writes.size(), Long::sum);
        }
        int written;
        try {
            written = read("keep private writes in the transient store",
                    c -> PrivateTables.putTransient(c, channelId, txId, writes, replace, sender, receivedHeight));
        } catch (RuntimeException e) {
            adjustTransient(Map.of(sender, writes.size()));
            throw e;
        }
        adjustTransient(Map.of(sender, writes.size() - written));
        return true;
    }

    /** Takes {@code released} entries per sender off the kept counts (when counted). */
    private void adjustTransient(Map<String, Integer> released) {
        synchronized (transientLock) {
            if (transientBySender != null) {
                released.forEach((sender, count) -> transientBySender.computeIfPresent(sender,
                        (s, kept) -> Math.max(0, kept - count)));
            }
        }
    }

    @Override
    public Map<String, List<io.charter.protocol.CollectionPrivateWrites>> transientWrites(Collection<String> txIds) {
        if (txIds.isEmpty()) {
            return Map.of();
        }
        return read("read the transient store", c -> PrivateTables.transientWrites(c, channelId, txIds));
    }

    @Override
    public long transientEntries() {
        Map<String, Long> counts = read("count the transient store", c -> PrivateTables.transientEntries(c, channelId));
        synchronized (transientLock) {
            transientBySender = new HashMap<>(counts);
        }
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private <T> T inTransaction(String what, Read<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new LedgerException("cannot " + what + " of channel " + channelId + ": " + e.getMessage(), e);
        }
    }

    // ---- commit ----

    @Override
    public void commit(BlockCommit commit, Runnable beforeHeightShows) {
        Tip current = tip.get();
        long number = commit.number();
        if (number != current.height()) {
            throw new LedgerException("block " + number + " of " + channelId + " cannot be committed at height "
                    + current.height() + "; blocks commit in order");
        }
        Block block = commit.block();
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                writeBlock(c, commit, block);
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(autoCommit);
                } catch (SQLException ignored) {
                    // the connection is broken; the pool will discard it
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("block " + number + " of " + channelId + " was not committed: " + e.getMessage(), e);
        }
        try {
            beforeHeightShows.run();
        } finally {
            tip.set(new Tip(number + 1, block.getHeader()));
            adjustTransient(transientDeletedByCommit);
        }
    }

    private void writeBlock(Connection c, BlockCommit commit, Block block) throws SQLException {
        long number = commit.number();
        BlockHeader header = block.getHeader();
        int validCount = (int) commit.transactions().stream().filter(TxRecord::isValid).count();
        try (PreparedStatement s = c.prepareStatement(INSERT_BLOCK)) {
            s.setString(1, channelId);
            s.setLong(2, number);
            s.setBytes(3, BlockHashing.headerHash(header).toByteArray());
            s.setBytes(4, header.getPreviousHash().toByteArray());
            s.setBytes(5, header.getDataHash().toByteArray());
            s.setInt(6, block.getData().getEnvelopesCount());
            s.setInt(7, validCount);
            s.setBytes(8, block.toByteArray());
            s.executeUpdate();
        }
        hook.afterStep(CommitHook.Step.BLOCK, number, c);

        insertTransactions(c, INSERT_TX_INDEX, number, commit.transactions());
        insertTransactions(c, INSERT_TX_CLAIM, number, commit.claims());
        hook.afterStep(CommitHook.Step.TX_INDEX, number, c);

        // The final write of each key decides the state; every write goes to the history.
        Map<StateKey, StateWrite> last = new LinkedHashMap<>();
        for (StateWrite write : commit.writes()) {
            if (write.version().blockNumber() != number) {
                throw new IllegalArgumentException("write " + write.stateKey() + " has version " + write.version()
                        + " in block " + number);
            }
            last.put(write.stateKey(), write);
        }
        List<StateWrite> upserts = new ArrayList<>();
        List<StateWrite> deletes = new ArrayList<>();
        last.values().forEach(w -> (w.isDelete() ? deletes : upserts).add(w));

        if (!upserts.isEmpty()) {
            int n = upserts.size();
            String[] namespaces = new String[n];
            String[] keys = new String[n];
            byte[][] values = new byte[n][];
            String[] json = new String[n];
            int[] txNumbers = new int[n];
            for (int i = 0; i < n; i++) {
                StateWrite w = upserts.get(i);
                namespaces[i] = w.namespace();
                keys[i] = w.key();
                values[i] = w.value();
                json[i] = JsonValues.asJsonObject(w.value()).orElse(null);
                txNumbers[i] = w.version().txNumber();
            }
            try (PreparedStatement s = c.prepareStatement(UPSERT_STATE)) {
                s.setString(1, channelId);
                s.setLong(2, number);
                s.setObject(3, namespaces);
                s.setObject(4, keys);
                s.setObject(5, values);
                s.setObject(6, json);
                s.setObject(7, txNumbers);
                s.executeUpdate();
            }
        }
        hook.afterStep(CommitHook.Step.STATE_UPSERTS, number, c);

        if (!deletes.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(DELETE_STATE)) {
                s.setObject(1, deletes.stream().map(StateWrite::namespace).toArray(String[]::new));
                s.setObject(2, deletes.stream().map(StateWrite::key).toArray(String[]::new));
                s.setString(3, channelId);
                s.executeUpdate();
            }
        }
        hook.afterStep(CommitHook.Step.STATE_DELETES, number, c);

        List<StateWrite> writes = commit.writes();
        if (!writes.isEmpty()) {
            // One history row per key and transaction: a transaction's own later write of a key wins.
            Map<String, StateWrite> perTx = new LinkedHashMap<>();
            for (StateWrite w : writes) {
                perTx.put(w.version().txNumber() + "\u0000" + w.namespace() + "\u0000" + w.key(), w);
            }
            List<StateWrite> rows = new ArrayList<>(perTx.values());
            int n = rows.size();
            String[] namespaces = new String[n];
            String[] keys = new String[n];
            int[] txNumbers = new int[n];
            String[] txIds = new String[n];
            byte[][] values = new byte[n][];
            for (int i = 0; i < n; i++) {
                StateWrite w = rows.get(i);
                namespaces[i] = w.namespace();
                keys[i] = w.key();
                txNumbers[i] = w.version().txNumber();
                txIds[i] = w.txId();
                values[i] = w.value();
            }
            try (PreparedStatement s = c.prepareStatement(INSERT_HISTORY)) {
                s.setString(1, channelId);
                s.setLong(2, number);
                s.setObject(3, namespaces);
                s.setObject(4, keys);
                s.setObject(5, txNumbers);
                s.setObject(6, txIds);
                s.setObject(7, values);
                s.executeUpdate();
            }
        }
        hook.afterStep(CommitHook.Step.HISTORY, number, c);

        if (!commit.conflicts().isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(INSERT_CONFLICT)) {
                for (MvccConflictRecord conflict : commit.conflicts()) {
                    s.setString(1, channelId);
                    s.setString(2, conflict.txId());
                    s.setLong(3, number);
                    s.setInt(4, conflict.txNumber());
                    s.setBoolean(5, conflict.phantom());
                    s.setString(6, conflict.namespace());
                    s.setString(7, conflict.key());
                    setVersion(s, 8, conflict.readVersion());
                    setVersion(s, 10, conflict.committedVersion());
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
        hook.afterStep(CommitHook.Step.CONFLICTS, number, c);

        if (commit.config().isPresent()) {
            try (PreparedStatement s = c.prepareStatement(INSERT_CONFIG)) {
                s.setString(1, channelId);
                s.setLong(2, commit.config().get().getSequence());
                s.setLong(3, number);
                s.setBytes(4, commit.config().get().toByteArray());
                s.executeUpdate();
            }
        }
        hook.afterStep(CommitHook.Step.CONFIG, number, c);

        transientDeletedByCommit = PrivateTables.write(c, channelId, number, commit.privateData());
        hook.afterStep(CommitHook.Step.PRIVATE_DATA, number, c);
    }

    private static void setVersion(PreparedStatement s, int index, Optional<KeyVersion> version) throws SQLException {
        if (version.isEmpty()) {
            s.setNull(index, java.sql.Types.BIGINT);
            s.setNull(index + 1, java.sql.Types.INTEGER);
        } else {
            s.setLong(index, version.get().blockNumber());
            s.setInt(index + 1, version.get().txNumber());
        }
    }

    // ---- helpers ----

    /** The tables that hold a channel's rows, those referencing others first. */
    private static final List<String> CHANNEL_TABLES =
            List.of("private_transient", "private_missing", "private_writes", "private_state", "private_hash",
                    "channel_config", "tx_claim", "mvcc_conflict", "key_history", "state", "tx_index", "block");

    @Override
    public void deleteAll() {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                for (String table : CHANNEL_TABLES) {
                    try (PreparedStatement s = c.prepareStatement("delete from " + table + " where channel_id = ?")) {
                        s.setString(1, channelId);
                        s.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new LedgerException("cannot delete the ledger of channel " + channelId + ": " + e.getMessage(), e);
        }
        tip.set(loadTip());
        synchronized (transientLock) {
            transientBySender = null;
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T read(String what, Read<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new LedgerException("cannot " + what + " of channel " + channelId + ": " + e.getMessage(), e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> parameters) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < parameters.size(); i++) {
            s.setObject(i + 1, parameters.get(i));
        }
        return s;
    }

    private static void requirePageSize(int pageSize) {
        if (pageSize < 1 || pageSize > 10_000) {
            throw new IllegalArgumentException("a page holds 1 to 10000 entries, not " + pageSize);
        }
    }

    private static String encodeBookmark(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeBookmark(String bookmark) {
        if (bookmark == null || bookmark.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(bookmark), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a bookmark of this ledger: '" + bookmark + "'", e);
        }
    }
}
