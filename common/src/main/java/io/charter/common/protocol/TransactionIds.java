package io.charter.common.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.protocol.Envelope;
import io.charter.protocol.Payload;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

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

    /**
     * The id an envelope's header claims, unchecked: who sent it may have written anyone's id there. Empty when the
     * envelope or its payload does not parse, or names no id.
     */
    public static Optional<String> claimedBy(ByteString envelopeBytes) {
        try {
            String txId = Payload.parseFrom(Envelope.parseFrom(envelopeBytes).getPayload()).getHeader().getTxId();
            return txId.isEmpty() ? Optional.empty() : Optional.of(txId);
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    /** A fresh random nonce of {@link #NONCE_LENGTH} bytes. */
    public static ByteString newNonce() {
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        return ByteString.copyFrom(nonce);
    }
}
