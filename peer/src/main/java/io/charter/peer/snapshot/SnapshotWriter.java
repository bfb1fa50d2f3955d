package io.charter.peer.snapshot;

import io.charter.peer.ledger.LedgerException;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Writes a snapshot of one channel's ledger as it stands: every file is read in one read-only
 * REPEATABLE READ transaction, so the files and the height agree even while blocks keep committing, and
 * in a fixed order with a fixed encoding, so two peers holding the same ledger at the same height write
 * byte-identical files. Files, in this order:
 *
 * <ul>
 *   <li>{@code public-state.data}: namespace, key, value, block number, tx number of every key, by
 *       (namespace, key) bytewise;
 *   <li>{@code private-hashes.data}: namespace, collection, key hash, value hash, block number, tx number,
 *       expiry block (-1: never) of every private key's hash, in that order (values are not in snapshots:
 *       a peer joined from one reconciles them from member peers);
 *   <li>{@code transaction-ids.data}: tx id, block number, tx number and validation code of every
 *       transaction, by tx id: what a peer joined from the snapshot refuses as duplicates;
 *   <li>{@code config.pb}: the channel configuration in force (as committed).
 * </ul>
 *
 * Strings and byte strings are written as a 4-byte big-endian length and the bytes (UTF-8 for strings),
 * numbers as 8-byte (block numbers) or 4-byte (tx numbers, codes) big-endian. Contract definitions are
 * state of the lifecycle namespace and travel in {@code public-state.data}. The snapshot goes to a
 * temporary folder first and is renamed into place only when complete: a failure leaves nothing.
 */
public final class SnapshotWriter {

    public static final String PUBLIC_STATE = "public-state.data";
    public static final String PRIVATE_HASHES = "private-hashes.data";
    public static final String TRANSACTION_IDS = "transaction-ids.data";
    public static final String CONFIG = "config.pb";
    public static final String MANIFEST = "manifest.txt";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SnapshotWriter.class);

    private final DataSource dataSource;

    public SnapshotWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Writes the snapshot of {@code channelId} at its current height to {@code <folder>/<height>/}.
     *
     * @throws SnapshotException SNAPSHOT_EXISTS when a snapshot at that height is there already; CHANNEL_EMPTY
     *     when the channel has no block; SNAPSHOT_FAILED when the database or the disk fails (nothing is left)
     */
    public SnapshotManifest write(String channelId, Path folder) {
        Path temporary = null;
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            try {
                Tip tip = tip(c, channelId);
                Path target = folder.resolve(Long.toString(tip.height()));
                if (Files.exists(target)) {
                    throw new SnapshotException("SNAPSHOT_EXISTS", "a snapshot of " + channelId + " at height "
                            + tip.height() + " exists already in " + target);
                }
                Files.createDirectories(folder);
                temporary = Files.createTempDirectory(folder, ".writing-" + tip.height() + "-");
                List<SnapshotManifest.SnapshotFile> files = new ArrayList<>();
                files.add(publicState(c, channelId, temporary.resolve(PUBLIC_STATE)));
                files.add(privateHashes(c, channelId, temporary.resolve(PRIVATE_HASHES)));
                files.add(transactionIds(c, channelId, temporary.resolve(TRANSACTION_IDS)));
                ConfigRow config = config(c, channelId);
                files.add(config(config, temporary.resolve(CONFIG)));
                c.commit();
                SnapshotManifest manifest = new SnapshotManifest(channelId, tip.height(), tip.lastBlockHash(),
                        config.sequence(), files);
                Files.writeString(temporary.resolve(MANIFEST), manifest.canonicalText() + "snapshot-hash "
                        + manifest.snapshotHash() + "\n", StandardCharsets.UTF_8);
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                temporary = null;
                return manifest;
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
                c.setAutoCommit(true);
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        } catch (SQLException e) {
            throw new SnapshotException("SNAPSHOT_FAILED", "cannot read the ledger of " + channelId + " for a snapshot: "
                    + e.getMessage(), e);
        } catch (IOException | UncheckedIOException e) {
            throw new SnapshotException("SNAPSHOT_FAILED", "cannot write the snapshot of " + channelId + " under " + folder
                    + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    private record Tip(long height, String lastBlockHash) {}

    private record ConfigRow(long sequence, byte[] bytes) {}

    private static Tip tip(Connection c, String channelId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select number, header_hash from block where channel_id = ? order by number desc limit 1")) {
            s.setString(1, channelId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SnapshotException("CHANNEL_EMPTY", "channel " + channelId + " has no block on this peer");
                }
                return new Tip(r.getLong(1) + 1, HexFormat.of().formatHex(r.getBytes(2)));
            }
        }
    }

    private static ConfigRow config(Connection c, String channelId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select sequence, config from channel_config where channel_id = ? order by sequence desc limit 1")) {
            s.setString(1, channelId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SnapshotException("SNAPSHOT_FAILED", "channel " + channelId
                            + " has no recorded configuration (a ledger from before configurations were recorded)");
                }
                return new ConfigRow(r.getLong(1), r.getBytes(2));
            }
        }
    }

    private static SnapshotManifest.SnapshotFile publicState(Connection c, String channelId, Path file)
            throws SQLException, IOException {
        String sql = "select namespace, key, value, block_number, tx_number from state where channel_id = ?"
                + " order by namespace collate \"C\", key collate \"C\"";
        return rows(c, sql, channelId, file, (r, out) -> {
            out.string(r.getString(1));
            out.string(r.getString(2));
            out.bytes(r.getBytes(3));
            out.out.writeLong(r.getLong(4));
            out.out.writeInt(r.getInt(5));
        });
    }

    private static SnapshotManifest.SnapshotFile privateHashes(Connection c, String channelId, Path file)
            throws SQLException, IOException {
        String sql = "select namespace, collection, key_hash, value_hash, block_number, tx_number, expiry_block"
                + " from private_hash where channel_id = ? order by namespace collate \"C\", collection collate \"C\", key_hash";
        return rows(c, sql, channelId, file, (r, out) -> {
            out.string(r.getString(1));
            out.string(r.getString(2));
            out.bytes(r.getBytes(3));
            out.bytes(r.getBytes(4));
            out.out.writeLong(r.getLong(5));
            out.out.writeInt(r.getInt(6));
            long expiry = r.getLong(7);
            out.out.writeLong(r.wasNull() ? -1 : expiry);
        });
    }

    private static SnapshotManifest.SnapshotFile transactionIds(Connection c, String channelId, Path file)
            throws SQLException, IOException {
        String sql = "select tx_id, block_number, tx_number, validation_code from tx_index where channel_id = ?"
                + " order by tx_id collate \"C\"";
        return rows(c, sql, channelId, file, (r, out) -> {
            out.string(r.getString(1));
            out.out.writeLong(r.getLong(2));
            out.out.writeInt(r.getInt(3));
            out.out.writeInt(r.getShort(4));
        });
    }

    private static SnapshotManifest.SnapshotFile config(ConfigRow config, Path file) throws IOException {
        try (Records out = new Records(file)) {
            out.out.write(config.bytes());
            out.count++;
            return out.finish(file);
        }
    }

    private interface RowWriter {
        void write(ResultSet row, Records out) throws SQLException, IOException;
    }

    private static SnapshotManifest.SnapshotFile rows(Connection c, String sql, String channelId, Path file, RowWriter writer)
            throws SQLException, IOException {
        try (PreparedStatement s = c.prepareStatement(sql); Records out = new Records(file)) {
            s.setFetchSize(1_000);
            s.setString(1, channelId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    writer.write(r, out);
                    out.count++;
                }
            }
            return out.finish(file);
        }
    }

    /** A file being written: its records, hashed as they are written. */
    private static final class Records implements AutoCloseable {
        private final MessageDigest digest;
        private final DataOutputStream out;
        private long count;

        Records(Path file) throws IOException {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            OutputStream stream = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            out = new DataOutputStream(new DigestOutputStream(stream, digest));
        }

        void string(String value) throws IOException {
            bytes(value.getBytes(StandardCharsets.UTF_8));
        }

        void bytes(byte[] value) throws IOException {
            out.writeInt(value.length);
            out.write(value);
        }

        SnapshotManifest.SnapshotFile finish(Path file) throws IOException {
            out.flush();
            return new SnapshotManifest.SnapshotFile(file.getFileName().toString(), count, Files.size(file),
                    HexFormat.of().formatHex(digest.digest()));
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Removes an unfinished snapshot; a failure to do so is logged (the failure that stopped it is what is thrown). */
    private static void deleteQuietly(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot remove the unfinished snapshot {}: {}; remove it by hand", folder, e.getMessage());
        }
    }
}
