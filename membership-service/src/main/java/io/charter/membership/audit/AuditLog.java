package io.charter.membership.audit;

import io.charter.membership.Caller;
import java.util.List;

/** Reads the audit table. Writes happen inside each audited operation's own transaction. */
public final class AuditLog {

    AuditLog() {}

    /**
     * The latest {@code limit} entries, newest first. Consortium admins see everything, organization
     * admins the entries whose actor belongs to their organization.
     */
    public List<AuditEntry> latest(Caller caller, int limit) {
        throw new UnsupportedOperationException();
    }
}
