package io.charter.membership.revocation;

import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.RevokedCertificate;
import io.charter.common.pki.Role;
import io.charter.membership.Caller;
import io.charter.membership.Checks;
import io.charter.membership.CoreContext;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import io.charter.membership.audit.Audit;
import io.charter.membership.ca.CertificateAuthorities;
import io.charter.membership.db.Database;
import io.charter.membership.identity.IdentityService;
import io.charter.membership.organization.OrganizationService;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Revocation and CRLs. Every revocation bumps the global CRL version and regenerates the affected CRLs. */
public final class RevocationService {

    private final CoreContext context;

    public RevocationService(CoreContext context) {
        this.context = context;
    }

    /**
     * Revokes an identity and every certificate it holds, and removes it from the index. Admins of its
     * organization or consortium admins.
     *
     * @throws io.charter.membership.MembershipException FORBIDDEN, IDENTITY_NOT_FOUND, IDENTITY_REVOKED, INVALID_REQUEST
     */
    public RevocationResult revokeIdentity(Caller caller, String enrollmentId, RevocationReason reason) {
        requireSomeAdmin(caller, "revoke identities");
        checkReason(reason);
        return context.db().transaction(c -> {
            Instant now = context.clock().instant();
            record Row(String mspId, Instant revokedAt) {}
            Row row = Database.queryOne(c, "select msp_id, revoked_at from identity where enrollment_id = ? for update",
                    r -> new Row(r.getString(1), Database.instant(r, "revoked_at")), enrollmentId)
                    .orElseThrow(() -> IdentityService.notFound(enrollmentId));
            if (!caller.administers(row.mspId())) {
                throw Checks.forbidden(caller, "revoke identity " + enrollmentId);
            }
            if (row.revokedAt() != null) {
                throw new MembershipException(ErrorCode.IDENTITY_REVOKED,
                        "identity " + enrollmentId + " was already revoked at " + row.revokedAt());
            }
            Database.update(c, "update identity set revoked_at = ?, revocation_reason = ? where enrollment_id = ?",
                    now, reason.code(), enrollmentId);
            List<BigInteger> serials = Database.query(c, """
                    update certificate set revoked_at = ?, revocation_reason = ?
                    where enrollment_id = ? and revoked_at is null returning serial""",
                    r -> Database.bigInteger(r, "serial"), now, reason.code(), enrollmentId);
            long version = bumpVersion(c);
            for (CertificatePurpose profile : CertificatePurpose.values()) {
                regenerate(c, row.mspId(), profile, version, now);
            }
            removeFromIndex(c, now, caller, enrollmentId);
            Audit.record(c, now, caller, "identity.revoke", enrollmentId,
                    "reason=" + reason + " certificates=" + serials.stream().map(s -> s.toString(16)).toList()
                            + " crlVersion=" + version);
            return new RevocationResult(enrollmentId, serials, version);
        });
    }

    /**
     * Revokes one certificate by serial number (the identity stays usable: it can enroll or re-enroll).
     *
     * @throws io.charter.membership.MembershipException FORBIDDEN, CERTIFICATE_NOT_FOUND, CERTIFICATE_REVOKED, INVALID_REQUEST
     */
    public RevocationResult revokeCertificate(Caller caller, BigInteger serialNumber, RevocationReason reason) {
        requireSomeAdmin(caller, "revoke certificates");
        checkReason(reason);
        Objects.requireNonNull(serialNumber, "serialNumber");
        return context.db().transaction(c -> {
            Instant now = context.clock().instant();
            record Row(String id, String mspId, String profile, Instant revokedAt) {}
            Optional<String> owner = Database.queryOne(c, "select enrollment_id from certificate where serial = ?",
                    r -> r.getString(1), serialNumber);
            if (owner.isEmpty()) {
                throw notFound(serialNumber);
            }
            // Lock the identity first, as enrollment and identity revocation do.
            Database.queryOne(c, "select 1 from identity where enrollment_id = ? for update", r -> 1, owner.get());
            Row row = Database.queryOne(c, """
                    select c.enrollment_id, i.msp_id, c.profile, c.revoked_at
                    from certificate c join identity i on i.enrollment_id = c.enrollment_id where c.serial = ?""",
                    r -> new Row(r.getString(1), r.getString(2), r.getString(3), Database.instant(r, "revoked_at")),
                    serialNumber).orElseThrow(() -> notFound(serialNumber));
            if (!caller.administers(row.mspId())) {
                throw Checks.forbidden(caller, "revoke certificates of " + row.mspId());
            }
            if (row.revokedAt() != null) {
                throw new MembershipException(ErrorCode.CERTIFICATE_REVOKED,
                        "certificate " + serialNumber.toString(16) + " was already revoked at " + row.revokedAt());
            }
            Database.update(c, "update certificate set revoked_at = ?, revocation_reason = ? where serial = ?",
                    now, reason.code(), serialNumber);
            long version = bumpVersion(c);
            regenerate(c, row.mspId(), CertificateAuthorities.profileOf(row.profile()), version, now);
            int nodes = Database.query(c, "select node_id from node where signing_serial = ? or tls_serial = ?",
                    r -> r.getString(1), serialNumber, serialNumber).size();
            if (nodes > 0) {
                removeFromIndex(c, now, caller, row.id());
            }
            Audit.record(c, now, caller, "certificate.revoke", serialNumber.toString(16),
                    "owner=" + row.id() + " reason=" + reason + " crlVersion=" + version);
            return new RevocationResult(row.id(), List.of(serialNumber), version);
        });
    }

    /**
     * The current CRL of an organization's issuing CA, regenerated first if half its next-update
     * distance has passed. Public: needs no caller.
     *
     * @throws io.charter.membership.MembershipException ORGANIZATION_NOT_FOUND
     */
    public Crl crl(String mspId, CertificatePurpose profile) {
        Objects.requireNonNull(profile, "profile");
        return context.db().transaction(c -> {
            if (mspId == null || !OrganizationService.exists(c, mspId)) {
                throw OrganizationService.notFound(mspId);
            }
            Instant now = context.clock().instant();
            String caId = CertificateAuthorities.id(mspId, profile);
            Optional<Crl> current = stored(c, mspId, profile, false);
            if (current.isPresent() && fresh(current.get(), now)) {
                return current.get();
            }
            // Stale or missing: lock and check again, so concurrent readers regenerate once.
            Database.update(c, """
                    insert into crl (ca_id, crl_number, crl_version, der, this_update, next_update)
                    values (?, 0, 0, ''::bytea, ?, ?) on conflict do nothing""", caId, Instant.EPOCH, Instant.EPOCH);
            Optional<Crl> locked = stored(c, mspId, profile, true);
            if (locked.isPresent() && fresh(locked.get(), now)) {
                return locked.get();
            }
            return regenerate(c, mspId, profile, currentVersion(c), now);
        });
    }

    /** The global CRL version: increases with every revocation. */
    public long crlVersion() {
        return context.db().transaction(RevocationService::currentVersion);
    }

    public static long currentVersion(Connection c) throws SQLException {
        return Database.queryOne(c, "select version from crl_version where id = 1", r -> r.getLong(1)).orElseThrow();
    }

    private boolean fresh(Crl crl, Instant now) {
        Instant halfLife = crl.thisUpdate().plus(context.settings().crlNextUpdate().dividedBy(2));
        return crl.number() > 0 && now.isBefore(halfLife) && !now.isBefore(crl.thisUpdate());
    }

    private static long bumpVersion(Connection c) throws SQLException {
        return Database.queryOne(c, "update crl_version set version = version + 1 where id = 1 returning version",
                r -> r.getLong(1)).orElseThrow();
    }

    private Crl regenerate(Connection c, String mspId, CertificatePurpose profile, long version, Instant now)
            throws SQLException {
        String caId = CertificateAuthorities.id(mspId, profile);
        CertificateAuthority ca = context.cas().issuing(c, mspId, profile).orElseThrow();
        List<RevokedCertificate> revoked = Database.query(c, """
                select serial, revoked_at, revocation_reason from certificate
                where ca_id = ? and revoked_at is not null order by serial""",
                r -> new RevokedCertificate(Database.bigInteger(r, "serial"), Database.instant(r, "revoked_at"),
                        r.getInt("revocation_reason")), caId);
        long number = Database.queryOne(c, """
                insert into crl (ca_id, crl_number, crl_version, der, this_update, next_update)
                values (?, 0, 0, ''::bytea, ?, ?)
                on conflict (ca_id) do update set crl_number = crl.crl_number returning crl_number""",
                r -> r.getLong(1), caId, Instant.EPOCH, Instant.EPOCH).orElseThrow() + 1;
        Instant nextUpdate = now.plus(context.settings().crlNextUpdate());
        X509CRL crl = ca.issueCrl(revoked, BigInteger.valueOf(number), now, nextUpdate);
        try {
            Database.update(c, """
                    update crl set crl_number = ?, crl_version = ?, der = ?, this_update = ?, next_update = ?
                    where ca_id = ?""", number, version, crl.getEncoded(), now, nextUpdate, caId);
        } catch (CRLException e) {
            throw new IllegalStateException("cannot encode CRL", e);
        }
        return new Crl(mspId, profile, crl, number, crl.getThisUpdate().toInstant(), crl.getNextUpdate().toInstant(), version);
    }

    private Optional<Crl> stored(Connection c, String mspId, CertificatePurpose profile, boolean lock) throws SQLException {
        return Database.queryOne(c, "select crl_number, crl_version, der, this_update, next_update from crl where ca_id = ?"
                        + (lock ? " for update" : ""),
                r -> {
                    long number = r.getLong(1);
                    if (number == 0) {
                        return new Crl(mspId, profile, null, 0, Instant.EPOCH, Instant.EPOCH, 0);
                    }
                    return new Crl(mspId, profile, parseCrl(r.getBytes(3)), number, Database.instant(r, "this_update"),
                            Database.instant(r, "next_update"), r.getLong(2));
                },
                CertificateAuthorities.id(mspId, profile));
    }

    private static X509CRL parseCrl(byte[] der) {
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (CertificateException | CRLException e) {
            throw new IllegalStateException("stored CRL is not DER", e);
        }
    }

    /** A revoked identity leaves the index at once (and loses its leader leases). */
    private static void removeFromIndex(Connection c, Instant now, Caller caller, String enrollmentId) throws SQLException {
        int removed = Database.update(c, "delete from node where node_id = ?", enrollmentId);
        Database.update(c, "delete from leader_lease where holder = ?", enrollmentId);
        if (removed > 0) {
            Audit.record(c, now, caller, "node.evict", enrollmentId, "removed from the index: certificate revoked");
        }
    }

    private static void requireSomeAdmin(Caller caller, String what) {
        if (!caller.consortiumAdmin() && caller.role() != Role.ADMIN) {
            throw Checks.forbidden(caller, what);
        }
    }

    private static void checkReason(RevocationReason reason) {
        if (reason == null) {
            throw Checks.invalid("a revocation needs a reason code (RFC 5280), e.g. 0 unspecified or 1 keyCompromise");
        }
        if (reason == RevocationReason.CERTIFICATE_HOLD || reason == RevocationReason.REMOVE_FROM_CRL) {
            throw Checks.invalid("reason " + reason + " is not supported: revocation here is permanent");
        }
    }

    private static MembershipException notFound(BigInteger serial) {
        return new MembershipException(ErrorCode.CERTIFICATE_NOT_FOUND,
                "no certificate with serial " + serial.toString(16) + " was issued by this membership service");
    }
}
