package io.charter.common.protocol;

import com.google.protobuf.ByteString;
import io.charter.protocol.SignatureHeader;

final class SignatureHeaders {

    private SignatureHeaders() {}

    /** A header naming {@code creator}, with a fresh nonce so no two detached signatures sign the same bytes. */
    static ByteString fresh(ByteString creator) {
        return SignatureHeader.newBuilder()
                .setCreator(creator)
                .setNonce(TransactionIds.newNonce())
                .build()
                .toByteString();
    }
}
