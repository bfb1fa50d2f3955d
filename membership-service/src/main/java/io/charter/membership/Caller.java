package io.charter.membership;

import io.charter.common.pki.Role;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * An authenticated caller, as {@link io.charter.membership.authentication.CertificateAuthenticator}
 * returns it: the certificate was issued by this service, is within its validity and is not revoked.
 *
 * @param consortiumAdmin an admin of the consortium's own organization: may create organizations and
 *     administer every organization's identities
 */
public record Caller(String enrollmentId, String mspId, Role role, X509Certificate certificate, boolean consortiumAdmin) {

    public Caller {
        Objects.requireNonNull(enrollmentId, "enrollmentId");
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(certificate, "certificate");
    }

    /** Whether this caller administers {@code organization}'s identities. */
    public boolean administers(String organization) {
        return consortiumAdmin || (role == Role.ADMIN && mspId.equals(organization));
    }
}
