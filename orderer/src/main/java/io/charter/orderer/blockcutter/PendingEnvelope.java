package io.charter.orderer.blockcutter;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * An envelope waiting to be ordered.
 *
 * @param bytes the serialized Envelope exactly as received
 * @param txId its transaction id (from its header)
 * @param config whether it is a config transaction, which goes in a block of its own
 */
public record PendingEnvelope(ByteString bytes, String txId, boolean config) {

    public PendingEnvelope {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(txId, "txId");
    }

    public int size() {
        return bytes.size();
    }
}
