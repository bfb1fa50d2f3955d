package io.charter.contract;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a range or rich query, in key order (bytewise UTF-8).
 *
 * @param entries at most the page size asked for
 * @param bookmark pass it back to get the next page; empty on the last page
 */
public record Page(List<KeyValue> entries, Optional<String> bookmark) {

    public Page {
        entries = List.copyOf(entries);
        Objects.requireNonNull(bookmark, "bookmark");
    }

    public boolean hasMore() {
        return bookmark.isPresent();
    }
}
