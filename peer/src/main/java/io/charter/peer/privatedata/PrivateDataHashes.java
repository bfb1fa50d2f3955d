package io.charter.peer.privatedata;

import com.google.protobuf.ByteString;
import io.charter.protocol.CollectionHashedReadWriteSet;
import io.charter.protocol.CollectionPrivateWrites;
import io.charter.protocol.KeyWrite;
import io.charter.protocol.KeyWriteHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * How private keys and values become what the ledger carries: SHA-256 of the key's UTF-8 bytes, SHA-256 of the
 * value; and the check a peer makes before it keeps private writes it received: they are exactly the hashed writes
 * of the committed transaction (same keys in the same order, same values, same deletes).
 */
public final class PrivateDataHashes {

    private PrivateDataHashes() {}

    public static ByteString keyHash(String key) {
        return sha256(key.getBytes(StandardCharsets.UTF_8));
    }

    public static ByteString valueHash(byte[] value) {
        return sha256(value);
    }

    public static ByteString valueHash(ByteString value) {
        return sha256(value.toByteArray());
    }

    /** The hashed form of one private write. */
    public static KeyWriteHash hashed(KeyWrite write) {
        KeyWriteHash.Builder hashed = KeyWriteHash.newBuilder().setKeyHash(keyHash(write.getKey()));
        if (write.getIsDelete()) {
            hashed.setIsDelete(true);
        } else {
            hashed.setValueHash(valueHash(write.getValue()));
        }
        return hashed.build();
    }

    /**
     * Why {@code clear} is not the private writes whose hashes {@code hashed} carries; empty when it is. The message
     * names positions and counts only, never a key or a value.
     */
    public static Optional<String> mismatch(CollectionPrivateWrites clear, CollectionHashedReadWriteSet hashed) {
        if (!clear.getCollection().equals(hashed.getCollection())) {
            return Optional.of("writes of collection '" + clear.getCollection() + "' for collection '"
                    + hashed.getCollection() + "'");
        }
        if (clear.getWritesCount() != hashed.getWritesCount()) {
            return Optional.of(clear.getWritesCount() + " private writes for " + hashed.getWritesCount() + " hashed writes");
        }
        for (int i = 0; i < clear.getWritesCount(); i++) {
            if (!hashed(clear.getWrites(i)).equals(hashed.getWrites(i))) {
                return Optional.of("private write " + i + " does not match its hash in the transaction");
            }
        }
        return Optional.empty();
    }

    private static ByteString sha256(byte[] bytes) {
        try {
            return ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
