package io.charter.membership;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.charter.membership.testing.SharedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Fresh databases for the core tests, in the one PostgreSQL container every membership test of this JVM
 * shares ({@link SharedPostgres}): a scenario that needs an empty service gets a database of its own
 * rather than a container. Pools are small and give idle connections back; they close when the JVM ends.
 */
public final class TestDatabases {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final List<HikariDataSource> DATA_SOURCES = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::closeAll, "close-test-pools"));
    }

    private TestDatabases() {}

    /** Creates an empty database and returns its name. */
    public static String createDatabase() {
        PostgreSQLContainer container = SharedPostgres.get();
        String name = "membership_core_" + COUNTER.incrementAndGet();
        try (Connection c = DriverManager.getConnection(container.getJdbcUrl(), container.getUsername(), container.getPassword());
             Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return name;
    }

    /** A pooled data source on {@code database}. */
    public static HikariDataSource dataSource(String database) {
        PostgreSQLContainer container = SharedPostgres.get();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(container.getJdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1"));
        config.setUsername(container.getUsername());
        config.setPassword(container.getPassword());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        config.setIdleTimeout(10_000);
        HikariDataSource ds = new HikariDataSource(config);
        synchronized (DATA_SOURCES) {
            DATA_SOURCES.add(ds);
        }
        return ds;
    }

    public static HikariDataSource freshDataSource() {
        return dataSource(createDatabase());
    }

    private static void closeAll() {
        synchronized (DATA_SOURCES) {
            DATA_SOURCES.forEach(HikariDataSource::close);
        }
    }
}
