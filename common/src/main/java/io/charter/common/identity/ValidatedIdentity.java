package io.charter.common.identity;

import io.charter.common.pki.Role;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Objects;

/**
 * A signer whose certificate has passed validation: it chains to the roots of {@code mspId}, is
 * within its validity period, is not revoked, and names {@code role} in its subject. Only values of
 * this type take part in policy evaluation.
 *
 * @param mspId the organization's MSP id, from the subject's {@code O}
 * @param role the role from the subject's {@code OU}
 * @param enrollmentId the subject's {@code CN}
 * @param certificate the validated certificate
 * @param attributes attributes from the Charter attribute extension, for attribute-based access control
 */
public record ValidatedIdentity(
        String mspId, Role role, String enrollmentId, X509Certificate certificate, Map<String, String> attributes) {

    public ValidatedIdentity {
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(enrollmentId, "enrollmentId");
        Objects.requireNonNull(certificate, "certificate");
        attributes = Map.copyOf(attributes);
    }
}
