package io.charter.peer.endorsement;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.Signer;
import java.util.Objects;

/**
 * The peer's own signing identity: its key and its serialized {@code SerializedIdentity} (MSP id and
 * signing certificate), which endorsements carry as the endorser.
 */
public record SigningIdentity(Signer signer, ByteString serializedIdentity) {

    public SigningIdentity {
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(serializedIdentity, "serializedIdentity");
    }
}
