package io.charter.peer.delivery;

/** A node reachable over the transport: an id for logs and elections, host and port. */
public record Endpoint(String id, String host, int port) {

    @Override
    public String toString() {
        return id + "@" + host + ":" + port;
    }
}
