package io.charter.membership.identity;

import io.charter.common.identity.Role;
import java.util.Map;
import java.util.Objects;

/**
 * What an admin registers. The enrollment id is unique across the whole service (it is the
 * certificate's CN and the HTTP Basic user name at enrollment).
 *
 * @param type the role its certificates will carry (client, peer, orderer, admin)
 * @param maxEnrollments how many times the secret may enroll, counted per profile (signing, TLS); at least 1
 */
public record RegistrationRequest(
        String enrollmentId, Role type, String mspId, Map<String, String> attributes, int maxEnrollments) {

    public RegistrationRequest {
        Objects.requireNonNull(type, "type");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** A registration with no attributes and the default of one enrollment per profile. */
    public static RegistrationRequest of(String enrollmentId, Role type, String mspId) {
        return new RegistrationRequest(enrollmentId, type, mspId, Map.of(), 1);
    }

    public RegistrationRequest withAttributes(Map<String, String> newAttributes) {
        return new RegistrationRequest(enrollmentId, type, mspId, newAttributes, maxEnrollments);
    }

    public RegistrationRequest withMaxEnrollments(int newMax) {
        return new RegistrationRequest(enrollmentId, type, mspId, attributes, newMax);
    }
}
