package io.charter.peer.ledger;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The peer's ledger schema, migrated by Flyway from {@code db/migration} on the classpath. */
public final class LedgerSchema {

    private LedgerSchema() {}

    /** Brings the database up to the current schema; safe to call on every start. */
    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
