package io.charter.membership.audit;

import io.charter.membership.Caller;
import io.charter.membership.db.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Writes audit entries inside the caller's transaction, so an entry exists exactly when the audited
 * change committed. Internal to the membership core.
 */
public final class Audit {

    public static final String SYSTEM = "system";
    public static final String SUCCESS = "success";

    private Audit() {}

    public static void record(Connection c, Instant at, Caller actor, String action, String target, String detail)
            throws SQLException {
        record(c, at, actor.enrollmentId(), actor.mspId(), action, target, detail);
    }

    public static void record(Connection c, Instant at, String actor, String actorMspId, String action, String target,
                              String detail) throws SQLException {
        Database.update(c, INSERT, values(at, actor, actorMspId, action, target, detail).toArray());
    }

    /**
     * The audit insert, for operations that write it in one statement with their change (as the last
     * statement after data-modifying {@code with} clauses); its parameters are {@link #values}.
     */
    public static final String INSERT = """
            insert into audit_log (at, actor, actor_msp_id, action, target, outcome, detail)
            values (?, ?, ?, ?, ?, ?, ?)""";

    /** The parameters of {@link #INSERT}, in order, for a successful action. */
    public static List<Object> values(Instant at, String actor, String actorMspId, String action, String target,
                                      String detail) {
        return java.util.Arrays.asList(at, actor, actorMspId, action, target, SUCCESS, detail);
    }
}
