package io.charter.membership.enrollment;

import java.security.cert.X509Certificate;

/** Enrollment with a secret, and re-enrollment with a current (or recently expired) certificate. */
public final class EnrollmentService {

    EnrollmentService() {}

    /**
     * Enrolls with the enrollment id and secret (HTTP Basic at the shell). A wrong secret increments the
     * identity's failure counter, the only write a failed enrollment makes; after too many the identity
     * is locked for an exponentially growing period.
     *
     * @throws io.charter.membership.MembershipException AUTHENTICATION_FAILED, TOO_MANY_ATTEMPTS,
     *     IDENTITY_REVOKED, ENROLLMENT_LIMIT_REACHED, CSR_MALFORMED, CSR_BAD_SIGNATURE, CSR_MISMATCH,
     *     CSR_UNSUPPORTED_KEY, INVALID_REQUEST
     */
    public Enrollment enroll(String enrollmentId, String secret, EnrollmentRequest request) {
        throw new UnsupportedOperationException();
    }

    /**
     * Issues a new certificate to the holder of {@code current} (the shell has checked possession of its
     * key, by the TLS handshake or a signed token). {@code current} must have been issued by this service,
     * must not be revoked, nor its identity, and must not have expired longer ago than the grace period.
     * Does not count against max enrollments.
     *
     * @throws io.charter.membership.MembershipException CERTIFICATE_UNKNOWN, CERTIFICATE_EXPIRED,
     *     CERTIFICATE_REVOKED, IDENTITY_REVOKED, CSR_* codes, INVALID_REQUEST
     */
    public Enrollment reenroll(X509Certificate current, EnrollmentRequest request) {
        throw new UnsupportedOperationException();
    }
}
