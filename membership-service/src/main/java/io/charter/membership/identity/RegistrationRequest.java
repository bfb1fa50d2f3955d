package io.charter.membership.identity;

import io.charter.common.pki.Role;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an admin registers. The enrollment id is unique across the whole service (it is the
 * certificate's CN and the HTTP Basic user name at enrollment).
 *
 * @param type the role its certificates will carry (client, peer, orderer, admin)
 * @param maxEnrollments how many times the secret may enroll, counted per profile (signing, TLS); at least 1
 * @param hosts for a node (peer, orderer), the DNS names and IP addresses its TLS certificates may name;
 *     a wildcard ({@code *.example.com}) only when given here. Must be empty for clients and admins.
 */
public record RegistrationRequest(
        String enrollmentId, Role type, String mspId, Map<String, String> attributes, int maxEnrollments,
        List<String> hosts) {

    public RegistrationRequest {
        Objects.requireNonNull(type, "type");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        hosts = hosts == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(hosts));
    }

    /** A registration with no attributes, no hosts and the default of one enrollment per profile. */
    public static RegistrationRequest of(String enrollmentId, Role type, String mspId) {
        return new RegistrationRequest(enrollmentId, type, mspId, Map.of(), 1, List.of());
    }

    public RegistrationRequest withAttributes(Map<String, String> newAttributes) {
        return new RegistrationRequest(enrollmentId, type, mspId, newAttributes, maxEnrollments, hosts);
    }

    public RegistrationRequest withMaxEnrollments(int newMax) {
        return new RegistrationRequest(enrollmentId, type, mspId, attributes, newMax, hosts);
    }

    public RegistrationRequest withHosts(List<String> newHosts) {
        return new RegistrationRequest(enrollmentId, type, mspId, attributes, maxEnrollments, newHosts);
    }
}
