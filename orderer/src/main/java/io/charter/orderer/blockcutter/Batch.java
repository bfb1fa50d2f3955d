package io.charter.orderer.blockcutter;

import java.util.List;

/** Envelopes cut into one block, in order, with the reason for the cut. */
public record Batch(List<PendingEnvelope> envelopes, CutCause cause) {

    public Batch {
        envelopes = List.copyOf(envelopes);
        if (envelopes.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one envelope");
        }
    }

    public long bytes() {
        long total = 0;
        for (PendingEnvelope envelope : envelopes) {
            total += envelope.size();
        }
        return total;
    }
}
