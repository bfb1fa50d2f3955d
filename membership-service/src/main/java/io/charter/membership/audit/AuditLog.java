package io.charter.membership.audit;

import io.charter.common.pki.Role;
import io.charter.membership.Caller;
import io.charter.membership.Checks;
import io.charter.membership.CoreContext;
import io.charter.membership.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Reads the audit table. Writes happen inside each audited operation's own transaction (see {@link Audit}). */
public final class AuditLog {

    private final CoreContext context;

    public AuditLog(CoreContext context) {
        this.context = context;
    }

    /**
     * The latest {@code limit} entries (1 to 1000), newest first. Consortium admins see everything,
     * organization admins the entries whose actor belongs to their organization.
     */
    public List<AuditEntry> latest(Caller caller, int limit) {
        if (!caller.consortiumAdmin() && caller.role() != Role.ADMIN) {
            throw Checks.forbidden(caller, "read the audit log");
        }
        if (limit < 1 || limit > 1000) {
            throw Checks.invalid("limit must be between 1 and 1000");
        }
        return context.db().transaction(c -> caller.consortiumAdmin()
                ? Database.query(c, "select * from audit_log order by id desc limit ?", AuditLog::entry, limit)
                : Database.query(c, "select * from audit_log where actor_msp_id = ? order by id desc limit ?",
                        AuditLog::entry, caller.mspId(), limit));
    }

    private static AuditEntry entry(ResultSet r) throws SQLException {
        return new AuditEntry(r.getLong("id"), Database.instant(r, "at"), r.getString("actor"), r.getString("actor_msp_id"),
                r.getString("action"), r.getString("target"), r.getString("outcome"), r.getString("detail"));
    }
}
