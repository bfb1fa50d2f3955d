package io.charter.client.sdk;

import java.util.Objects;

/**
 * Where a peer or an orderer listens for the transport (mutual TLS 1.3). The node's TLS certificate
 * must name {@code host} among its subject alternative names.
 *
 * @param name how errors name the node (its node id, e.g. {@code peer0.org1})
 * @param mspId the node's organization; for peers it decides which organization's endorsement it gives
 */
public record NodeEndpoint(String name, String mspId, String host, int port) {

    public NodeEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return name + " (" + mspId + ", " + address() + ")";
    }
}
