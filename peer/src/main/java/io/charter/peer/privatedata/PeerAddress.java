package io.charter.peer.privatedata;

import java.util.Objects;

/** A peer that private data may be sent to or asked of: its id (for logs) and its transport address. */
public record PeerAddress(String id, String host, int port) {

    public PeerAddress {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
    }
}
