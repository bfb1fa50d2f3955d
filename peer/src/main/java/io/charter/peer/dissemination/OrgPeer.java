package io.charter.peer.dissemination;

import io.charter.common.transport.TransportClient;
import io.charter.peer.delivery.Endpoint;

/** Another peer of this peer's organization and the transport client to it. */
public record OrgPeer(Endpoint endpoint, TransportClient client) {

    public String id() {
        return endpoint.id();
    }
}
