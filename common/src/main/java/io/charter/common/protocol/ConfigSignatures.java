package io.charter.common.protocol;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.SignatureVerifier;
import io.charter.common.crypto.Signer;
import io.charter.protocol.ConfigSignature;
import java.security.PublicKey;

/**
 * Admin signatures on a configuration update: an admin signs
 * {@code 4-byte big-endian length of signature_header || signature_header || config_update}, all as
 * carried (config_update being ConfigUpdateEnvelope.config_update, a serialized ConfigUpdate).
 */
public final class ConfigSignatures {

    private ConfigSignatures() {}

    public static ConfigSignature sign(ByteString configUpdate, Signer signer, ByteString signerIdentity) {
        ByteString signatureHeader = SignatureHeaders.fresh(signerIdentity);
        byte[] signature = signer.sign(signedBytes(signatureHeader, configUpdate));
        return ConfigSignature.newBuilder()
                .setSignatureHeader(signatureHeader)
                .setSignature(ByteString.copyFrom(signature))
                .build();
    }

    public static byte[] signedBytes(ByteString signatureHeader, ByteString configUpdate) {
        return CanonicalBytes.withCapacity(Integer.BYTES + signatureHeader.size() + configUpdate.size())
                .lengthPrefixed(signatureHeader)
                .raw(configUpdate)
                .toByteArray();
    }

    public static boolean verify(
            ByteString configUpdate, ConfigSignature signature, SignatureVerifier verifier, PublicKey signerKey) {
        return verifier.verify(
                signerKey,
                signedBytes(signature.getSignatureHeader(), configUpdate),
                signature.getSignature().toByteArray());
    }
}
