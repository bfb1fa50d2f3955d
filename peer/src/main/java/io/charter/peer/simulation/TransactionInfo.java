package io.charter.peer.simulation;

import io.charter.contract.ClientIdentity;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** What a simulated transaction knows of itself, from the signed proposal. */
public record TransactionInfo(String txId, Instant timestamp, String function, ClientIdentity caller,
                              Map<String, byte[]> transientData) {

    public TransactionInfo {
        Objects.requireNonNull(txId, "txId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(caller, "caller");
        transientData = Map.copyOf(transientData);
    }
}
