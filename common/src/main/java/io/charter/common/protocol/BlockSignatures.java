package io.charter.common.protocol;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.SignatureVerifier;
import io.charter.common.crypto.Signer;
import io.charter.protocol.Block;
import io.charter.protocol.BlockHeader;
import io.charter.protocol.BlockSignature;
import java.security.PublicKey;

/**
 * Orderer signatures on blocks. An orderer signs:
 *
 * <pre>
 *   4-byte big-endian length of signature_header || signature_header (as carried)
 *   || header encoding (see {@link BlockHashing#headerEncoding})
 *   || last_config_block as 8 bytes big-endian
 * </pre>
 *
 * The header encoding is signed directly rather than its hash: it is only 80 bytes, and ECDSA hashes
 * its input anyway. Since the header binds the data hash and the previous block, the signature
 * covers the whole chain up to this block. {@code last_config_block} is signed because peers use it
 * to pick the configuration that validates the block, while it lives in unhashed metadata.
 */
public final class BlockSignatures {

    private BlockSignatures() {}

    /**
     * Signs {@code header} as the orderer {@code signerIdentity} (a serialized SerializedIdentity
     * whose certificate holds {@code signer}'s public key).
     */
    public static BlockSignature sign(
            BlockHeader header, long lastConfigBlock, Signer signer, ByteString signerIdentity) {
        ByteString signatureHeader = SignatureHeaders.fresh(signerIdentity);
        byte[] signature = signer.sign(signedBytes(header, lastConfigBlock, signatureHeader));
        return BlockSignature.newBuilder()
                .setSignatureHeader(signatureHeader)
                .setSignature(ByteString.copyFrom(signature))
                .build();
    }

    /** The exact bytes {@code signature} must verify over, taking the block's own header and metadata. */
    public static byte[] signedBytes(Block block, BlockSignature signature) {
        return signedBytes(
                block.getHeader(), block.getMetadata().getLastConfigBlock(), signature.getSignatureHeader());
    }

    public static byte[] signedBytes(BlockHeader header, long lastConfigBlock, ByteString signatureHeader) {
        byte[] headerEncoding = BlockHashing.headerEncoding(header);
        return CanonicalBytes.withCapacity(Integer.BYTES + signatureHeader.size() + headerEncoding.length + Long.BYTES)
                .lengthPrefixed(signatureHeader)
                .raw(headerEncoding)
                .uint64(lastConfigBlock)
                .toByteArray();
    }

    /**
     * Checks one signature against {@code signerKey}. Finding the key (parsing the signature header's
     * creator, checking it is a consenter of the channel) is the caller's part.
     */
    public static boolean verify(Block block, BlockSignature signature, SignatureVerifier verifier, PublicKey signerKey) {
        return verifier.verify(signerKey, signedBytes(block, signature), signature.getSignature().toByteArray());
    }
}
