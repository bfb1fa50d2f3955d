package io.charter.peer.simulation;

import io.charter.protocol.ContractEvents;
import io.charter.protocol.TxReadWriteSet;
import java.util.Objects;

/** The read-write set and the events of a simulated transaction. */
public record SimulationResults(TxReadWriteSet rwset, ContractEvents events) {

    public SimulationResults {
        Objects.requireNonNull(rwset, "rwset");
        Objects.requireNonNull(events, "events");
    }
}
