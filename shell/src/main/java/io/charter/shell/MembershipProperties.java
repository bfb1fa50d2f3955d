package io.charter.shell;

import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A node's membership service (off unless {@code url} is set): enroll on first start, register, heartbeat, refresh
 * CRLs. Its TLS certificate is checked against the node's {@code tls.trusted-roots} (the consortium root).
 *
 * @param nodeId the id in the index (default: the enrollment id)
 * @param tlsHosts subject alternative names requested for the TLS certificate
 * @param advertisedHost the host registered for the transport endpoint (the default is each node's)
 * @param renewAt fraction of the certificates' lifetime after which they are re-enrolled (default 2/3); the node
 *     then exits with code 75 for its supervisor to restart it with the renewed identity
 */
public record MembershipProperties(
        URI url,
        String enrollmentId,
        String enrollmentSecret,
        String nodeId,
        @DefaultValue({"localhost", "127.0.0.1"}) List<String> tlsHosts,
        String advertisedHost,
        Double renewAt) {}
