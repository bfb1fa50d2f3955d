package io.charter.client.sdk;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Objects;

/**
 * A transaction endorsed and signed, ready to broadcast ({@link Network#submit(EndorsedTransaction)}).
 * Building it is the expensive part of a submit (endorsement, signatures), so load generators make these
 * ahead of time.
 *
 * @param txId the transaction id
 * @param channel the channel it is for
 * @param envelope the signed envelope, exactly as the orderers receive it
 * @param endorsers the peers whose endorsements it carries
 */
public record EndorsedTransaction(String txId, String channel, ByteString envelope, ByteString result,
                                  List<NodeEndpoint> endorsers) {

    public EndorsedTransaction {
        Objects.requireNonNull(txId, "txId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(result, "result");
        endorsers = List.copyOf(endorsers);
    }

    /** What the contract function returned (the endorsers' response payload). */
    public byte[] resultBytes() {
        return result.toByteArray();
    }
}
