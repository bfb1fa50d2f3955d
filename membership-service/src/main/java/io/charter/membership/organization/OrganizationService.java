package io.charter.membership.organization;

import io.charter.common.pki.CertificatePurpose;
import io.charter.membership.Caller;
import io.charter.membership.Checks;
import io.charter.membership.CoreContext;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import io.charter.membership.audit.Audit;
import io.charter.membership.ca.CertificateAuthorities;
import io.charter.membership.db.Database;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Organizations of the consortium, each with its own issuing CAs under the consortium root. */
public final class OrganizationService {

    private final CoreContext context;

    public OrganizationService(CoreContext context) {
        this.context = context;
    }

    /**
     * Creates an organization and its signing and TLS issuing CAs. Consortium admins only.
     *
     * @throws io.charter.membership.MembershipException FORBIDDEN, ORGANIZATION_EXISTS, INVALID_REQUEST
     */
    public OrganizationInfo create(Caller caller, String mspId) {
        if (!caller.consortiumAdmin()) {
            throw Checks.forbidden(caller, "create organizations");
        }
        Checks.mspId(mspId);
        return context.db().transaction(c -> {
            Instant now = context.clock().instant();
            int inserted = Database.update(c, """
                    insert into organization (msp_id, consortium, created_at, created_by) values (?, false, ?, ?)
                    on conflict do nothing""", mspId, now, caller.enrollmentId());
            if (inserted == 0) {
                throw new MembershipException(ErrorCode.ORGANIZATION_EXISTS,
                        "organization " + mspId + " already exists; choose another MSP id or use the existing one");
            }
            context.cas().createOrganizationCas(c, mspId);
            Audit.record(c, now, caller, "organization.create", mspId, "signing and TLS issuing CAs created");
            return load(c, mspId).orElseThrow();
        });
    }

    /** Every organization, ordered by MSP id. Any authenticated caller. */
    public List<OrganizationInfo> list(Caller caller) {
        return context.db().transaction(c -> {
            List<String> ids = Database.query(c, "select msp_id from organization order by msp_id", r -> r.getString(1));
            List<OrganizationInfo> result = new ArrayList<>();
            for (String id : ids) {
                load(c, id).ifPresent(result::add);
            }
            return result;
        });
    }

    /** @throws io.charter.membership.MembershipException ORGANIZATION_NOT_FOUND */
    public OrganizationInfo show(Caller caller, String mspId) {
        return context.db().transaction(c -> load(c, mspId)).orElseThrow(() -> notFound(mspId));
    }

    /** Whether the organization exists. Internal use by other services. */
    public static boolean exists(Connection c, String mspId) throws SQLException {
        return Database.queryOne(c, "select 1 from organization where msp_id = ?", r -> true, mspId).isPresent();
    }

    public static MembershipException notFound(String mspId) {
        return new MembershipException(ErrorCode.ORGANIZATION_NOT_FOUND,
                "organization " + mspId + " does not exist; a consortium admin must create it first");
    }

    private Optional<OrganizationInfo> load(Connection c, String mspId) throws SQLException {
        record Row(boolean consortium, Instant createdAt, String createdBy) {}
        Optional<Row> row = Database.queryOne(c,
                "select consortium, created_at, created_by from organization where msp_id = ?",
                r -> new Row(r.getBoolean(1), Database.instant(r, "created_at"), r.getString(3)), mspId);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate root = context.cas().certificate(c, CertificateAuthorities.ROOT_ID).orElseThrow();
        X509Certificate signing = context.cas().certificate(c, CertificateAuthorities.id(mspId, CertificatePurpose.SIGNING)).orElseThrow();
        X509Certificate tls = context.cas().certificate(c, CertificateAuthorities.id(mspId, CertificatePurpose.TLS)).orElseThrow();
        List<String> admins = Database.query(c, """
                select enrollment_id from identity where msp_id = ? and type = 'admin' and revoked_at is null
                order by enrollment_id""", r -> r.getString(1), mspId);
        return Optional.of(new OrganizationInfo(mspId, row.get().consortium(), List.of(root), signing, tls, admins,
                row.get().createdAt(), row.get().createdBy()));
    }
}
