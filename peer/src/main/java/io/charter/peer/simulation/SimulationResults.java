package io.charter.peer.simulation;

import io.charter.protocol.CollectionPrivateWrites;
import io.charter.protocol.ContractEvents;
import io.charter.protocol.TxReadWriteSet;
import java.util.List;
import java.util.Objects;

/**
 * The read-write set and the events of a simulated transaction, and its private writes in clear: these stay on
 * the endorsing peer and go to member peers only; the read-write set carries their hashes.
 */
public record SimulationResults(TxReadWriteSet rwset, ContractEvents events, List<CollectionPrivateWrites> privateWrites) {

    public SimulationResults {
        Objects.requireNonNull(rwset, "rwset");
        Objects.requireNonNull(events, "events");
        privateWrites = List.copyOf(privateWrites);
    }

    public SimulationResults(TxReadWriteSet rwset, ContractEvents events) {
        this(rwset, events, List.of());
    }
}
