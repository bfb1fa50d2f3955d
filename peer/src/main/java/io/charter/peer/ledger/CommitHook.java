package io.charter.peer.ledger;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Called inside a block's database transaction after each statement, for failure injection: a hook
 * that throws (or kills the connection) makes the commit fail at that point, as a crash would.
 * Production code uses {@link #NONE}.
 */
@FunctionalInterface
public interface CommitHook {

    CommitHook NONE = (step, number, connection) -> {};

    /** The statements of a block commit, in the order they run. */
    enum Step {
        BLOCK,
        TX_INDEX,
        STATE_UPSERTS,
        STATE_DELETES,
        HISTORY,
        CONFLICTS,
        /** The channel configuration a config block puts in force (called for every block). */
        CONFIG,
        /** The private data of the block: hashes, values, missing entries, purges, transient entries (every block). */
        PRIVATE_DATA
    }

    void afterStep(Step step, long blockNumber, Connection connection) throws SQLException;
}
