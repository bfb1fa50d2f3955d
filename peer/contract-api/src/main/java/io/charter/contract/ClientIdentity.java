package io.charter.contract;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who submitted the proposal, as the peer validated it: the certificate chains to the organization's
 * CA, is not revoked or expired, and may write to the channel.
 *
 * @param mspId the organization, e.g. {@code Org1}
 * @param role {@code client}, {@code peer}, {@code orderer} or {@code admin}
 * @param enrollmentId the certificate subject's common name, e.g. {@code alice}
 * @param attributes attributes from the certificate, for attribute-based access control
 * @param certificate the DER-encoded X.509 certificate
 */
public record ClientIdentity(String mspId, String role, String enrollmentId, Map<String, String> attributes,
                             byte[] certificate) {

    public ClientIdentity {
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(enrollmentId, "enrollmentId");
        attributes = Map.copyOf(attributes);
        certificate = certificate.clone();
    }

    @Override
    public byte[] certificate() {
        return certificate.clone();
    }

    public Optional<String> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    /** {@code enrollmentId@mspId}, a convenient owner name. */
    public String qualifiedName() {
        return enrollmentId + "@" + mspId;
    }

    public boolean isAdmin() {
        return "admin".equals(role);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientIdentity other && mspId.equals(other.mspId) && role.equals(other.role)
                && enrollmentId.equals(other.enrollmentId) && attributes.equals(other.attributes)
                && java.util.Arrays.equals(certificate, other.certificate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mspId, role, enrollmentId, attributes, java.util.Arrays.hashCode(certificate));
    }

    @Override
    public String toString() {
        return "ClientIdentity[" + qualifiedName() + ", " + role + ", attributes=" + attributes + "]";
    }
}
