package io.charter.peer.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.protocol.CollectionPrivateWrites;
import io.charter.protocol.KeyWrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The private data tables of the ledger ({@code V4__private_data.sql}): the SQL of {@link PostgresLedger}'s private
 * reads, of a block's private writes (inside the block's transaction) and of the transient store. Values are keyed
 * by the key in clear, hashes by the key's SHA-256, which PostgreSQL computes the same way
 * ({@code sha256(convert_to(key, 'UTF8'))}) to join the two.
 */
final class PrivateTables {

    /** The private state rows whose version is the committed hash's: values current on this peer. */
    private static final String CURRENT = """
            from private_state s join private_hash h
              on h.channel_id = s.channel_id and h.namespace = s.namespace and h.collection = s.collection
             and h.key_hash = sha256(convert_to(s.key, 'UTF8'))
             and h.block_number = s.block_number and h.tx_number = s.tx_number
            where s.channel_id = ? and s.namespace = ? and s.collection = ?""";

    private PrivateTables() {}

    static PrivateRead get(Connection c, String channelId, String namespace, String collection, String key, long height)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                select h.block_number, h.tx_number, h.expiry_block, s.value, s.block_number, s.tx_number
                from private_hash h left join private_state s
                  on s.channel_id = h.channel_id and s.namespace = h.namespace and s.collection = h.collection and s.key = ?
                where h.channel_id = ? and h.namespace = ? and h.collection = ? and h.key_hash = sha256(convert_to(?, 'UTF8'))""")) {
            s.setString(1, key);
            s.setString(2, channelId);
            s.setString(3, namespace);
            s.setString(4, collection);
            s.setString(5, key);
            try (ResultSet rows = s.executeQuery()) {
                if (!rows.next()) {
                    return new PrivateRead.Absent();
                }
                KeyVersion version = new KeyVersion(rows.getLong(1), rows.getInt(2));
                long expiry = rows.getLong(3);
                boolean expires = !rows.wasNull();
                byte[] value = rows.getBytes(4);
                if (value != null && rows.getLong(5) == version.blockNumber() && rows.getInt(6) == version.txNumber()) {
                    return new PrivateRead.Present(value, version);
                }
                if (expires && expiry < height) {
                    return new PrivateRead.Purged(version);
                }
                return new PrivateRead.NotHeld(version);
            }
        }
    }

    static Optional<VersionedHash> hash(Connection c, String channelId, HashedKey key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                select value_hash, block_number, tx_number, expiry_block from private_hash
                where channel_id = ? and namespace = ? and collection = ? and key_hash = ?""")) {
            s.setString(1, channelId);
            s.setString(2, key.namespace());
            s.setString(3, key.collection());
            s.setBytes(4, key.keyHash().toByteArray());
            try (ResultSet rows = s.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                long expiry = rows.getLong(4);
                Optional<Long> expiryBlock = rows.wasNull() ? Optional.empty() : Optional.of(expiry);
                return Optional.of(new VersionedHash(key, ByteString.copyFrom(rows.getBytes(1)),
                        new KeyVersion(rows.getLong(2), rows.getInt(3)), expiryBlock));
            }
        }
    }

    static Map<HashedKey, KeyVersion> hashedVersions(Connection c, String channelId, Collection<HashedKey> keys)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                select h.namespace, h.collection, h.key_hash, h.block_number, h.tx_number
                from private_hash h join unnest(?::text[], ?::text[], ?::bytea[]) as u(namespace, collection, key_hash)
                  on h.namespace = u.namespace and h.collection = u.collection and h.key_hash = u.key_hash
                where h.channel_id = ?""")) {
            s.setObject(1, keys.stream().map(HashedKey::namespace).toArray(String[]::new));
            s.setObject(2, keys.stream().map(HashedKey::collection).toArray(String[]::new));
            s.setObject(3, keys.stream().map(k -> k.keyHash().toByteArray()).toArray(byte[][]::new));
            s.setString(4, channelId);
            Map<HashedKey, KeyVersion> versions = new HashMap<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    versions.put(new HashedKey(rows.getString(1), rows.getString(2), ByteString.copyFrom(rows.getBytes(3))),
                            new KeyVersion(rows.getLong(4), rows.getInt(5)));
                }
            }
            return versions;
        }
    }

    /** The select of a private range (parameters: channel, namespace, collection, start[, end][, after], limit). */
    static String rangeSql(boolean bounded, boolean after) {
        return "select s.key, s.value, s.block_number, s.tx_number " + CURRENT + " and s.key >= ?"
                + (bounded ? " and s.key < ?" : "") + (after ? " and s.key > ?" : "") + " order by s.key limit ?";
    }

    /** The select of a private rich query; {@code condition} tests {@code s.value_json}. */
    static String querySql(String condition, boolean after) {
        return "select s.key, s.value, s.block_number, s.tx_number " + CURRENT + " and s.value_json is not null and "
                + condition + (after ? " and s.key > ?" : "") + " order by s.key limit ?";
    }

    static Optional<CollectionPrivateWrites> committedWrites(Connection c, String channelId, KeyVersion position,
                                                             String namespace, String collection) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                select writes from private_writes
                where channel_id = ? and block_number = ? and tx_number = ? and namespace = ? and collection = ?""")) {
            s.setString(1, channelId);
            s.setLong(2, position.blockNumber());
            s.setInt(3, position.txNumber());
            s.setString(4, namespace);
            s.setString(5, collection);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? Optional.of(parse(rows.getBytes(1))) : Optional.empty();
            }
        }
    }

    static List<MissingPrivateData> missing(Connection c, String channelId, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                select tx_id, block_number, tx_number, namespace, collection, expiry_block from private_missing
                where channel_id = ? order by block_number, tx_number, namespace, collection limit ?""")) {
            s.setString(1, channelId);
            s.setInt(2, limit);
            List<MissingPrivateData> missing = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    long expiry = rows.getLong(6);
                    Optional<Long> expiryBlock = rows.wasNull() ? Optional.empty() : Optional.of(expiry);
                    missing.add(new MissingPrivateData(rows.getString(1), new KeyVersion(rows.getLong(2), rows.getInt(3)),
                            rows.getString(4), rows.getString(5), expiryBlock));
                }
            }
            return missing;
        }
    }

    // ---- a block's private data, inside its transaction ----

    /** Writes a block's private data; the transient entries it deleted, by sender. */
    static Map<String, Integer> write(Connection c, String channelId, long number, PrivateCommit commit) throws SQLException {
        Map<String, Integer> transientDeleted = new HashMap<>();
        // hashes: the last write of each key in the block decides
        Map<HashedKey, PrivateCommit.HashWrite> lastHash = new LinkedHashMap<>();
        commit.hashes().forEach(w -> lastHash.put(w.key(), w));
        List<PrivateCommit.HashWrite> hashUpserts = lastHash.values().stream().filter(w -> w.valueHash().isPresent()).toList();
        List<PrivateCommit.HashWrite> hashDeletes = lastHash.values().stream().filter(w -> w.valueHash().isEmpty()).toList();
        if (!hashUpserts.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("""
                    insert into private_hash (channel_id, namespace, collection, key_hash, value_hash, block_number, tx_number,
                                              expiry_block)
                    select ?, u.namespace, u.collection, u.key_hash, u.value_hash, ?, u.tx_number, u.expiry
                    from unnest(?::text[], ?::text[], ?::bytea[], ?::bytea[], ?::int[], ?::bigint[])
                      as u(namespace, collection, key_hash, value_hash, tx_number, expiry)
                    on conflict (channel_id, namespace, collection, key_hash) do update
                    set value_hash = excluded.value_hash, block_number = excluded.block_number,
                        tx_number = excluded.tx_number, expiry_block = excluded.expiry_block""")) {
                s.setString(1, channelId);
                s.setLong(2, number);
                s.setObject(3, hashUpserts.stream().map(w -> w.key().namespace()).toArray(String[]::new));
                s.setObject(4, hashUpserts.stream().map(w -> w.key().collection()).toArray(String[]::new));
                s.setObject(5, hashUpserts.stream().map(w -> w.key().keyHash().toByteArray()).toArray(byte[][]::new));
                s.setObject(6, hashUpserts.stream().map(w -> w.valueHash().orElseThrow().toByteArray()).toArray(byte[][]::new));
                s.setObject(7, hashUpserts.stream().mapToInt(w -> w.version().txNumber()).toArray());
                s.setObject(8, hashUpserts.stream().map(w -> w.expiryBlock().orElse(null)).toArray(Long[]::new));
                s.executeUpdate();
            }
        }
        if (!hashDeletes.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("""
                    delete from private_hash h using unnest(?::text[], ?::text[], ?::bytea[]) as u(namespace, collection, key_hash)
                    where h.channel_id = ? and h.namespace = u.namespace and h.collection = u.collection
                      and h.key_hash = u.key_hash""")) {
                s.setObject(1, hashDeletes.stream().map(w -> w.key().namespace()).toArray(String[]::new));
                s.setObject(2, hashDeletes.stream().map(w -> w.key().collection()).toArray(String[]::new));
                s.setObject(3, hashDeletes.stream().map(w -> w.key().keyHash().toByteArray()).toArray(byte[][]::new));
                s.setString(4, channelId);
                s.executeUpdate();
            }
        }
        storeValues(c, channelId, commit.values(), false);
        if (!commit.missing().isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("""
                    insert into private_missing (channel_id, block_number, tx_number, namespace, collection, tx_id, expiry_block)
                    values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing""")) {
                for (MissingPrivateData missing : commit.missing()) {
                    s.setString(1, channelId);
                    s.setLong(2, missing.position().blockNumber());
                    s.setInt(3, missing.position().txNumber());
                    s.setString(4, missing.namespace());
                    s.setString(5, missing.collection());
                    s.setString(6, missing.txId());
                    setExpiry(s, 7, missing.expiryBlock());
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
        // purge after blockToLive: values and kept writes go, hashes stay
        for (String table : List.of("private_state", "private_writes", "private_missing")) {
            try (PreparedStatement s = c.prepareStatement("delete from " + table
                    + " where channel_id = ? and expiry_block is not null and expiry_block <= ?")) {
                s.setString(1, channelId);
                s.setLong(2, number);
                s.executeUpdate();
            }
        }
        if (!commit.committedTxIds().isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(
                    "delete from private_transient where channel_id = ? and tx_id = any(?::text[]) returning sender_msp")) {
                s.setString(1, channelId);
                s.setObject(2, commit.committedTxIds().toArray(String[]::new));
                countSenders(s, transientDeleted);
            }
        }
        if (commit.transientExpiredBelow() > 0) {
            try (PreparedStatement s = c.prepareStatement(
                    "delete from private_transient where channel_id = ? and received_height < ? returning sender_msp")) {
                s.setString(1, channelId);
                s.setLong(2, commit.transientExpiredBelow());
                countSenders(s, transientDeleted);
            }
        }
        return transientDeleted;
    }

    /**
     * Keeps each transaction's checked writes and applies its values to the private state. At commit the block's
     * writes are the newest; in reconciliation ({@code onlyIfCurrent}) a value is applied only where the key's
     * committed hash still has the writing transaction's version, and a delete only removes an older value.
     */
    static void storeValues(Connection c, String channelId, List<PrivateCommit.ValueWrites> values, boolean onlyIfCurrent)
            throws SQLException {
        if (values.isEmpty()) {
            return;
        }
        try (PreparedStatement keep = c.prepareStatement("""
                insert into private_writes (channel_id, block_number, tx_number, namespace, collection, writes, expiry_block)
                values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing""")) {
            for (PrivateCommit.ValueWrites value : values) {
                keep.setString(1, channelId);
                keep.setLong(2, value.version().blockNumber());
                keep.setInt(3, value.version().txNumber());
                keep.setString(4, value.writes().getNamespace());
                keep.setString(5, value.writes().getCollection());
                keep.setBytes(6, value.writes().toByteArray());
                setExpiry(keep, 7, value.expiryBlock());
                keep.addBatch();
            }
            keep.executeBatch();
        }
        // the last write of each key (in the order given: block order) decides
        record Target(String namespace, String collection, String key) {}
        record Last(KeyWrite write, KeyVersion version, Optional<Long> expiry) {}
        Map<Target, Last> last = new LinkedHashMap<>();
        for (PrivateCommit.ValueWrites value : values) {
            for (KeyWrite write : value.writes().getWritesList()) {
                last.put(new Target(value.writes().getNamespace(), value.writes().getCollection(), write.getKey()),
                        new Last(write, value.version(), value.expiryBlock()));
            }
        }
        String condition = onlyIfCurrent ? """
                 where exists (select 1 from private_hash h where h.channel_id = ? and h.namespace = ?
                   and h.collection = ? and h.key_hash = sha256(convert_to(?, 'UTF8'))
                   and h.block_number = ? and h.tx_number = ?)""" : "";
        try (PreparedStatement upsert = c.prepareStatement("""
                insert into private_state (channel_id, namespace, collection, key, value, value_json, block_number, tx_number,
                                           expiry_block)
                select ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?""" + " " + condition + """

                on conflict (channel_id, namespace, collection, key) do update
                set value = excluded.value, value_json = excluded.value_json, block_number = excluded.block_number,
                    tx_number = excluded.tx_number, expiry_block = excluded.expiry_block""");
             PreparedStatement delete = c.prepareStatement("""
                delete from private_state where channel_id = ? and namespace = ? and collection = ? and key = ?
                  and (block_number, tx_number) < (?, ?)""")) {
            boolean upserts = false;
            boolean deletes = false;
            for (Map.Entry<Target, Last> entry : last.entrySet()) {
                Target target = entry.getKey();
                Last write = entry.getValue();
                if (write.write().getIsDelete()) {
                    delete.setString(1, channelId);
                    delete.setString(2, target.namespace());
                    delete.setString(3, target.collection());
                    delete.setString(4, target.key());
                    delete.setLong(5, write.version().blockNumber());
                    delete.setInt(6, write.version().txNumber());
                    delete.addBatch();
                    deletes = true;
                } else {
                    byte[] bytes = write.write().getValue().toByteArray();
                    upsert.setString(1, channelId);
                    upsert.setString(2, target.namespace());
                    upsert.setString(3, target.collection());
                    upsert.setString(4, target.key());
                    upsert.setBytes(5, bytes);
                    upsert.setString(6, JsonValues.asJsonObject(bytes).orElse(null));
                    upsert.setLong(7, write.version().blockNumber());
                    upsert.setInt(8, write.version().txNumber());
                    setExpiry(upsert, 9, write.expiry());
                    if (onlyIfCurrent) {
                        upsert.setString(10, channelId);
                        upsert.setString(11, target.namespace());
                        upsert.setString(12, target.collection());
                        upsert.setString(13, target.key());
                        upsert.setLong(14, write.version().blockNumber());
                        upsert.setInt(15, write.version().txNumber());
                    }
                    upsert.addBatch();
                    upserts = true;
                }
            }
            if (deletes) {
                delete.executeBatch();
            }
            if (upserts) {
                upsert.executeBatch();
            }
        }
    }

    static void removeMissing(Connection c, String channelId, List<PrivateCommit.ValueWrites> found) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                delete from private_missing
                where channel_id = ? and block_number = ? and tx_number = ? and namespace = ? and collection = ?""")) {
            for (PrivateCommit.ValueWrites value : found) {
                s.setString(1, channelId);
                s.setLong(2, value.version().blockNumber());
                s.setInt(3, value.version().txNumber());
                s.setString(4, value.writes().getNamespace());
                s.setString(5, value.writes().getCollection());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    // ---- transient store ----

    /** Inserts (or, with {@code replace}, upserts) transient entries; the number of rows written. */
    static int putTransient(Connection c, String channelId, String txId, List<CollectionPrivateWrites> writes,
                            boolean replace, String sender, long receivedHeight) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                insert into private_transient (channel_id, tx_id, namespace, collection, writes, received_height, sender_msp)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (channel_id, tx_id, namespace, collection) do""" + (replace ? " " + """
                 update set writes = excluded.writes, received_height = excluded.received_height,
                           sender_msp = excluded.sender_msp""" : " nothing"))) {
            for (CollectionPrivateWrites w : writes) {
                s.setString(1, channelId);
                s.setString(2, txId);
                s.setString(3, w.getNamespace());
                s.setString(4, w.getCollection());
                s.setBytes(5, w.toByteArray());
                s.setLong(6, receivedHeight);
                s.setString(7, sender);
                s.addBatch();
            }
            int written = 0;
            for (int count : s.executeBatch()) {
                written += Math.max(0, count);
            }
            return written;
        }
    }

    static Map<String, List<CollectionPrivateWrites>> transientWrites(Connection c, String channelId,
                                                                     Collection<String> txIds) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                select tx_id, writes from private_transient where channel_id = ? and tx_id = any(?::text[])
                order by tx_id, namespace, collection""")) {
            s.setString(1, channelId);
            s.setObject(2, txIds.toArray(String[]::new));
            Map<String, List<CollectionPrivateWrites>> writes = new HashMap<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    writes.computeIfAbsent(rows.getString(1), t -> new ArrayList<>()).add(parse(rows.getBytes(2)));
                }
            }
            return writes;
        }
    }

    /** The transient store's entries of the channel, by sender. */
    static Map<String, Long> transientEntries(Connection c, String channelId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select sender_msp, count(*) from private_transient where channel_id = ? group by sender_msp")) {
            s.setString(1, channelId);
            Map<String, Long> counts = new HashMap<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
            return counts;
        }
    }

    private static void countSenders(PreparedStatement deleting, Map<String, Integer> counts) throws SQLException {
        try (ResultSet rows = deleting.executeQuery()) {
            while (rows.next()) {
                counts.merge(rows.getString(1), 1, Integer::sum);
            }
        }
    }

    private static void setExpiry(PreparedStatement s, int index, Optional<Long> expiry) throws SQLException {
        if (expiry.isPresent()) {
            s.setLong(index, expiry.get());
        } else {
            s.setNull(index, Types.BIGINT);
        }
    }

    private static CollectionPrivateWrites parse(byte[] bytes) {
        try {
            return CollectionPrivateWrites.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new LedgerException("stored private writes are corrupt", e);
        }
    }
}
