package io.charter.peer.ledger;

import java.util.List;
import java.util.Optional;

/**
 * One page of a range scan or rich query, in key order.
 *
 * @param bookmark where the next page starts (pass it back to get it); absent on the last page
 */
public record StatePage(List<VersionedValue> entries, Optional<String> bookmark) {

    public StatePage {
        entries = List.copyOf(entries);
    }
}
