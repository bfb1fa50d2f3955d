package io.charter.peer.node;

import io.charter.peer.delivery.Endpoint;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The other peers of this peer's organization and the orderers of one channel, and the peers of the channel's other
 * organizations when the index lists them (where private data of their collections can be sent and asked for,
 * besides their anchor peers).
 *
 * @param source where they come from: "configuration", "index" or "last known" (the index was down)
 * @param otherOrganizations the peers of the other organizations, by MSP id; empty with fixed lists
 */
public record Neighbours(List<Endpoint> organizationPeers, List<Endpoint> orderers, String source,
                         Map<String, List<Endpoint>> otherOrganizations) {

    public Neighbours {
        organizationPeers = List.copyOf(organizationPeers);
        orderers = List.copyOf(orderers);
        Map<String, List<Endpoint>> copy = new TreeMap<>();
        otherOrganizations.forEach((mspId, peers) -> copy.put(mspId, List.copyOf(peers)));
        otherOrganizations = Collections.unmodifiableMap(copy);
    }

    /** Neighbours without other organizations' peers (fixed lists). */
    public Neighbours(List<Endpoint> organizationPeers, List<Endpoint> orderers, String source) {
        this(organizationPeers, orderers, source, Map.of());
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
