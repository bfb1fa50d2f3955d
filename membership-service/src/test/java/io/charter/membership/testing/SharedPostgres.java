package io.charter.membership.testing;

import io.charter.common.testing.TestImages;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One PostgreSQL container for every Spring test of this module (2 cores are shared): started on first
 * use, stopped by a shutdown hook (Ryuk may be disabled, so nothing else would stop it).
 */
public final class SharedPostgres {

    private static PostgreSQLContainer container;

    private SharedPostgres() {}

    public static synchronized PostgreSQLContainer get() {
        if (container == null) {
            PostgreSQLContainer started = TestImages.postgresContainer()
                    .withDatabaseName("membership")
                    .withCommand("postgres", "-c", "max_connections=200", "-c", "fsync=off");
            started.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "stop-postgres"));
            container = started;
        }
        return container;
    }
}
