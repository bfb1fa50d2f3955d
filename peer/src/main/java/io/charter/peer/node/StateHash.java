package io.charter.peer.node;

import io.charter.peer.ledger.LedgerException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import javax.sql.DataSource;

/**
 * A digest of one channel's world state, equal on two peers exactly when they hold the same state:
 * SHA-256 over the rows (namespace, key, value, block number, tx number) in bytewise order of
 * (namespace, key), each field length-prefixed (4-byte big-endian) so that no two row lists collide
 * by concatenation.
 */
public final class StateHash {

    private StateHash() {}

    public static String of(DataSource dataSource, String channelId) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String sql = "select namespace, key, value, block_number, tx_number from state where channel_id = ?"
                + " order by namespace collate \"C\", key collate \"C\"";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // lets the driver stream with a fetch size
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setFetchSize(1_000);
                s.setString(1, channelId);
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        field(digest, rows.getString(1).getBytes(StandardCharsets.UTF_8));
                        field(digest, rows.getString(2).getBytes(StandardCharsets.UTF_8));
                        field(digest, rows.getBytes(3));
                        digest.update(ByteBuffer.allocate(12).putLong(rows.getLong(4)).putInt(rows.getInt(5)).array());
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new LedgerException("cannot read the state of " + channelId + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void field(MessageDigest digest, byte[] bytes) {
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }
}
