package io.charter.membership.index;

import io.charter.common.pki.Role;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered node, as discovery returns it: enough to open an mTLS connection straight away.
 *
 * @param channelHeights ledger height per channel served
 */
public record NodeView(
        String nodeId,
        String mspId,
        Role role,
        List<Endpoint> endpoints,
        Map<String, Long> channelHeights,
        boolean anchor,
        X509Certificate signingCertificate,
        X509Certificate tlsCertificate,
        Instant registeredAt,
        Instant lastHeartbeat,
        NodeState state) {

    public NodeView {
        endpoints = List.copyOf(endpoints);
        channelHeights = Map.copyOf(channelHeights);
    }

    /** The TLS certificate, PEM encoded. */
    public String tlsCertificatePem() {
        return io.charter.membership.ca.Pem.certificate(tlsCertificate);
    }
}
