package io.charter.membership.authentication;

import io.charter.common.pki.Role;
import io.charter.membership.Caller;
import io.charter.membership.CoreContext;
import io.charter.membership.db.Database;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Turns a presented certificate (chain) into a {@link Caller}, against this service's own records: the
 * leaf must be a certificate this service issued (same bytes), within its validity period, not
 * revoked, and its identity not revoked. Signing and TLS certificates both authenticate.
 *
 * <p>The caller's role is its identity's current type: a type change by an admin takes effect here at
 * once (other nodes see it after re-enrollment, from the new certificate). The decisions are
 * {@link AuthenticationRules}'; this class reads the certificate's record.
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
        X509Certificate certificate = AuthenticationRules.leaf(presented);
        return context.db().transaction(c -> authenticate(c, certificate, context.clock().instant()));
    }

    public Caller authenticate(X509Certificate certificate) {
        return authenticate(List.of(certificate));
    }

    /** Authentication inside an existing transaction. Internal use. */
    public static Caller authenticate(Connection c, X509Certificate certificate, Instant now) throws SQLException {
        byte[] der = AuthenticationRules.presentedBytes(certificate);
        Optional<AuthenticationRules.Issued> found = Database.queryOne(c, """
                select c.der, i.enrollment_id, i.msp_id, i.type, o.consortium, c.not_before, c.not_after,
                       c.revoked_at as cert_revoked, i.revoked_at as identity_revoked
                from certificate c
                join identity i on i.enrollment_id = c.enrollment_id
                join organization o on o.msp_id = i.msp_id
                where c.serial = ?""",
                r -> new AuthenticationRules.Issued(r.getBytes(1), r.getString(2), r.getString(3),
                        Role.fromLabel(r.getString(4)).orElseThrow(), r.getBoolean(5), Database.instant(r, "not_before"),
                        Database.instant(r, "not_after"), Database.instant(r, "cert_revoked") != null,
                        Database.instant(r, "identity_revoked") != null),
                certificate.getSerialNumber());
        return AuthenticationRules.caller(certificate, der, found, now);
    }
}
