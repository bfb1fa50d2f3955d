package io.charter.membership.authentication;

import io.charter.common.pki.Role;
import io.charter.membership.Caller;
import io.charter.membership.Checks;
import io.charter.membership.CoreContext;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import io.charter.membership.db.Database;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a presented certificate (chain) into a {@link Caller}, against this service's own records: the
 * leaf must be a certificate this service issued (same bytes), within its validity period, not
 * revoked, and its identity not revoked. Signing and TLS certificates both authenticate.
 *
 * <p>The caller's role is its identity's current type: a type change by an admin takes effect here at
 * once (other nodes see it after re-enrollment, from the new certificate).
 */
public final class CertificateAuthenticator {

    private final CoreContext context;

    public CertificateAuthenticator(CoreContext context) {
        this.context = context;
    }

    /**
     * @param presented the caller's certificate first; any further certificates are ignored (the leaf
     *     is looked up by serial and compared byte for byte with what this service issued)
     * @throws io.charter.membership.MembershipException CERTIFICATE_UNKNOWN, CERTIFICATE_EXPIRED,
     *     CERTIFICATE_REVOKED (also when its identity is revoked), INVALID_REQUEST when empty
     */
    public Caller authenticate(List<X509Certificate> presented) {
        if (presented == null || presented.isEmpty() || presented.getFirst() == null) {
            throw Checks.invalid("no client certificate was presented; authenticate with your enrolled certificate");
        }
        X509Certificate certificate = presented.getFirst();
        return context.db().transaction(c -> authenticate(c, certificate, context.clock().instant()));
    }

    public Caller authenticate(X509Certificate certificate) {
        return authenticate(List.of(certificate));
    }

    /** Authentication inside an existing transaction. Internal use. */
    public static Caller authenticate(Connection c, X509Certificate certificate, Instant now) throws SQLException {
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw unknown();
        }
        record Row(byte[] der, String id, String mspId, Role type, boolean consortium, Instant notBefore,
                   Instant notAfter, Instant certRevoked, Instant identityRevoked) {}
        Row row = Database.queryOne(c, """
                select c.der, i.enrollment_id, i.msp_id, i.type, o.consortium, c.not_before, c.not_after,
                       c.revoked_at as cert_revoked, i.revoked_at as identity_revoked
                from certificate c
                join identity i on i.enrollment_id = c.enrollment_id
                join organization o on o.msp_id = i.msp_id
                where c.serial = ?""",
                r -> new Row(r.getBytes(1), r.getString(2), r.getString(3), Role.fromLabel(r.getString(4)).orElseThrow(),
                        r.getBoolean(5), Database.instant(r, "not_before"), Database.instant(r, "not_after"),
                        Database.instant(r, "cert_revoked"), Database.instant(r, "identity_revoked")),
                certificate.getSerialNumber())
                .filter(r -> Arrays.equals(r.der(), der))
                .orElseThrow(CertificateAuthenticator::unknown);
        if (row.certRevoked() != null || row.identityRevoked() != null) {
            throw new MembershipException(ErrorCode.CERTIFICATE_REVOKED, "certificate "
                    + certificate.getSerialNumber().toString(16) + " of " + row.id() + " is revoked"
                    + (row.identityRevoked() != null ? " (its identity is revoked)" : "; re-enroll or ask an admin"));
        }
        if (now.isBefore(row.notBefore()) || now.isAfter(row.notAfter())) {
            throw new MembershipException(ErrorCode.CERTIFICATE_EXPIRED, "certificate "
                    + certificate.getSerialNumber().toString(16) + " of " + row.id() + " is valid from " + row.notBefore()
                    + " to " + row.notAfter() + ", not now; re-enroll (allowed within the grace period after expiry)");
        }
        return new Caller(row.id(), row.mspId(), row.type(), certificate, row.consortium() && row.type() == Role.ADMIN);
    }

    private static MembershipException unknown() {
        return new MembershipException(ErrorCode.CERTIFICATE_UNKNOWN,
                "the presented certificate was not issued by this membership service; enroll first");
    }
}
