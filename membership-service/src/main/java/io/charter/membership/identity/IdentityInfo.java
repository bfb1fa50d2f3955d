package io.charter.membership.identity;

import io.charter.common.pki.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A registered identity; never includes its secret or secret hash. */
public record IdentityInfo(
        String enrollmentId,
        String mspId,
        Role type,
        Map<String, String> attributes,
        int maxEnrollments,
        int signingEnrollments,
        int tlsEnrollments,
        Optional<Instant> revokedAt,
        String registeredBy,
        Instant registeredAt,
        List<CertificateInfo> certificates,
        List<String> hosts) {

    /** @param hosts the approved hosts of a node, canonical and sorted; empty for clients and admins */
    public IdentityInfo {
        attributes = Map.copyOf(attributes);
        certificates = List.copyOf(certificates);
        hosts = List.copyOf(hosts);
    }

    public boolean revoked() {
        return revokedAt.isPresent();
    }
}
