package io.charter.common.protocol;

import com.google.protobuf.ByteString;
import io.charter.protocol.BlockData;
import io.charter.protocol.BlockHeader;
import java.util.List;

/**
 * The hashes that chain blocks. They are taken over fixed encodings defined here, not over
 * protobuf serializations, because protobuf allows several encodings of one message and two
 * implementations must agree on every hash bit for bit.
 *
 * <ul>
 *   <li>Header encoding: {@code number} as 8 bytes big-endian, then the 4-byte big-endian length
 *       of {@code previous_hash} and its bytes, then the 4-byte big-endian length of
 *       {@code data_hash} and its bytes.
 *   <li>Header hash: SHA-256 of the header encoding. The next block's {@code previous_hash}.
 *   <li>Data hash: SHA-256 over, for each envelope in order, its length as 4 bytes big-endian
 *       followed by its exact bytes. The lengths keep entry boundaries part of what is hashed, so
 *       moving bytes between adjacent envelopes changes the hash. No envelopes hash the empty input.
 * </ul>
 */
public final class BlockHashing {

    private BlockHashing() {}

    public static byte[] headerEncoding(BlockHeader header) {
        return CanonicalBytes.withCapacity(Long.BYTES + 2 * (Integer.BYTES + Sha256.LENGTH))
                .uint64(header.getNumber())
                .lengthPrefixed(header.getPreviousHash())
                .lengthPrefixed(header.getDataHash())
                .toByteArray();
    }

    public static ByteString headerHash(BlockHeader header) {
        return ByteString.copyFrom(Sha256.digest(headerEncoding(header)));
    }

    public static ByteString dataHash(BlockData data) {
        return dataHash(data.getEnvelopesList());
    }

    public static ByteString dataHash(List<ByteString> envelopes) {
        var digest = Sha256.newDigest();
        byte[] length = new byte[Integer.BYTES];
        for (ByteString envelope : envelopes) {
            int size = envelope.size();
            length[0] = (byte) (size >>> 24);
            length[1] = (byte) (size >>> 16);
            length[2] = (byte) (size >>> 8);
            length[3] = (byte) size;
            digest.update(length);
            digest.update(envelope.asReadOnlyByteBuffer());
        }
        return ByteString.copyFrom(digest.digest());
    }
}
