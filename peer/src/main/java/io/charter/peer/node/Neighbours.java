package io.charter.peer.node;

import io.charter.peer.delivery.Endpoint;
import java.util.List;

/**
 * The other peers of this peer's organization and the orderers of one channel.
 *
 * @param source where they come from: "configuration", "index" or "last known" (the index was down)
 */
public record Neighbours(List<Endpoint> organizationPeers, List<Endpoint> orderers, String source) {

    public Neighbours {
        organizationPeers = List.copyOf(organizationPeers);
        orderers = List.copyOf(orderers);
    }

    /**
     * Parses {@code host:port} (orderers; the id is {@code host:port}) and {@code id@host:port}
     * (organization peers).
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static Endpoint parse(String text, boolean withId) {
        String id = null;
        String address = text.trim();
        if (withId) {
            int at = address.indexOf('@');
            if (at <= 0) {
                throw new IllegalArgumentException("'" + text + "' is not id@host:port");
            }
            id = address.substring(0, at);
            address = address.substring(at + 1);
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not " + (withId ? "id@" : "") + "host:port");
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no numeric port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "': port out of range");
        }
        return new Endpoint(id == null ? address : id, address.substring(0, colon), port);
    }
}
