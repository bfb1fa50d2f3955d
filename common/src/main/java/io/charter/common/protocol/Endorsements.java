package io.charter.common.protocol;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.SignatureVerifier;
import io.charter.common.crypto.Signer;
import io.charter.protocol.Endorsement;
import java.security.PublicKey;

/**
 * Endorsement signatures: an endorser signs
 * {@code 4-byte big-endian length of payload || payload || endorser}, both as carried, where payload
 * is the serialized ProposalResponsePayload and endorser the serialized SerializedIdentity.
 *
 * <p>The length prefix is what Fabric's plain {@code payload || endorser} lacks: without it, the
 * trailing fields of the payload (e.g. the events) could be moved into the endorser bytes, which
 * protobuf would still parse as the same identity (unknown fields are skipped), and the signature
 * would still verify over a payload without them.
 */
public final class Endorsements {

    private Endorsements() {}

    public static Endorsement endorse(ByteString responsePayload, Signer signer, ByteString endorserIdentity) {
        byte[] signature = signer.sign(signedBytes(responsePayload, endorserIdentity));
        return Endorsement.newBuilder()
                .setEndorser(endorserIdentity)
                .setSignature(ByteString.copyFrom(signature))
                .build();
    }

    public static byte[] signedBytes(ByteString responsePayload, ByteString endorser) {
        return CanonicalBytes.withCapacity(Integer.BYTES + responsePayload.size() + endorser.size())
                .lengthPrefixed(responsePayload)
                .raw(endorser)
                .toByteArray();
    }

    /** Checks {@code endorsement} over {@code responsePayload} against the key of its endorser. */
    public static boolean verify(
            ByteString responsePayload, Endorsement endorsement, SignatureVerifier verifier, PublicKey endorserKey) {
        return verifier.verify(
                endorserKey,
                signedBytes(responsePayload, endorsement.getEndorser()),
                endorsement.getSignature().toByteArray());
    }
}
