package io.charter.common.protocol;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Transaction ids as Fabric computes them: lower-case hex of SHA-256(nonce || creator), where
 * creator is the serialized {@code SerializedIdentity} exactly as carried in the header. Deriving
 * the id from the creator means nobody can claim another creator's id, and validators can
 * recompute it instead of trusting the header's {@code tx_id}.
 */
public final class TransactionIds {

    /** Nonce length: 192 bits makes collisions between honest clients negligible. */
    public static final int NONCE_LENGTH = 24;

    private static final SecureRandom RANDOM = new SecureRandom();

    private TransactionIds() {}

    public static String compute(ByteString nonce, ByteString creator) {
        var digest = Sha256.newDigest();
        digest.update(nonce.asReadOnlyByteBuffer());
        digest.update(creator.asReadOnlyByteBuffer());
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A fresh random nonce of {@link #NONCE_LENGTH} bytes. */
    public static ByteString newNonce() {
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        return ByteString.copyFrom(nonce);
    }
}
