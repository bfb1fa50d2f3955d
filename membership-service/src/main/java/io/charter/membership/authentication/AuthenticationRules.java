package io.charter.membership.authentication;

import io.charter.common.pki.Role;
import io.charter.membership.Caller;
import io.charter.membership.Checks;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What authentication decides from the record of a presented certificate, apart from the database: the
 * certificate must be one this service issued (same bytes), neither it nor its identity revoked, and now
 * within its validity; the caller then has its identity's current type. {@link CertificateAuthenticator}
 * reads the record; kept apart so that every refusal is tested, and mutated, without PostgreSQL.
 */
final class AuthenticationRules {

    private AuthenticationRules() {}

    /** A certificate this service issued, with its identity and organization, as recorded. */
    record Issued(byte[] der, String enrollmentId, String mspId, Role type, boolean consortium, Instant notBefore,
                  Instant notAfter, boolean revoked, boolean identityRevoked) {}

    /**
     * The caller's certificate: the first presented; the rest of a chain plays no part (the leaf is compared
     * byte for byte with what this service issued).
     *
     * @throws MembershipException INVALID_REQUEST when none was presented
     */
    static X509Certificate leaf(List<X509Certificate> presented) {
        if (presented == null || presented.isEmpty() || presented.getFirst() == null) {
            throw Checks.invalid("no client certificate was presented; authenticate with your enrolled certificate");
        }
        return presented.getFirst();
    }

    /** @throws MembershipException CERTIFICATE_UNKNOWN when the certificate cannot be encoded */
    static byte[] presentedBytes(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw unknown();
        }
    }

    /**
     * The caller a certificate authenticates, from its record ({@code found} by the certificate's serial).
     * A revoked identity revokes every certificate it holds. A consortium admin is an admin of the consortium's
     * own organization.
     *
     * @param presented the certificate's DER bytes
     * @throws MembershipException CERTIFICATE_UNKNOWN, CERTIFICATE_REVOKED, CERTIFICATE_EXPIRED
     */
    static Caller caller(X509Certificate certificate, byte[] presented, Optional<Issued> found, Instant now) {
        Issued issued = found.filter(record -> Arrays.equals(record.der(), presented))
                .orElseThrow(AuthenticationRules::unknown);
        if (issued.revoked() || issued.identityRevoked()) {
            throw new MembershipException(ErrorCode.CERTIFICATE_REVOKED, "certificate "
                    + certificate.getSerialNumber().toString(16) + " of " + issued.enrollmentId() + " is revoked"
                    + (issued.identityRevoked() ? " (its identity is revoked)" : "; re-enroll or ask an admin"));
        }
        if (now.isBefore(issued.notBefore()) || now.isAfter(issued.notAfter())) {
            throw new MembershipException(ErrorCode.CERTIFICATE_EXPIRED, "certificate "
                    + certificate.getSerialNumber().toString(16) + " of " + issued.enrollmentId() + " is valid from "
                    + issued.notBefore() + " to " + issued.notAfter()
                    + ", not now; re-enroll (allowed within the grace period after expiry)");
        }
        return new Caller(issued.enrollmentId(), issued.mspId(), issued.type(), certificate,
                issued.consortium() && issued.type() == Role.ADMIN);
    }

    private static MembershipException unknown() {
        return new MembershipException(ErrorCode.CERTIFICATE_UNKNOWN,
                "the presented certificate was not issued by this membership service; enroll first");
    }
}
