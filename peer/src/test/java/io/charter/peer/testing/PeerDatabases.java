package io.charter.peer.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.charter.common.testing.TestImages;
import io.charter.peer.ledger.LedgerSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** One PostgreSQL container per test class, a fresh migrated database per scenario. Close it in @AfterAll. */
public final class PeerDatabases implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final PostgreSQLContainer container;
    private final List<HikariDataSource> dataSources = new ArrayList<>();

    private PeerDatabases(PostgreSQLContainer container) {
        this.container = container;
    }

    public static PeerDatabases start() {
        PostgreSQLContainer container = TestImages.postgresContainer();
        container.start();
        return new PeerDatabases(container);
    }

    public PostgreSQLContainer container() {
        return container;
    }

    /** A new empty database, migrated to the ledger schema. */
    public String createDatabase() {
        String name = "peer_" + COUNTER.incrementAndGet();
        try (Connection c = DriverManager.getConnection(container.getJdbcUrl(), container.getUsername(), container.getPassword());
             Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        // a pool of its own, closed at once: a class that opens many networks would otherwise keep a connection per
        // database open until the container stops, and run out of PostgreSQL's connections
        try (HikariDataSource migration = pool(name)) {
            LedgerSchema.migrate(migration);
        }
        return name;
    }

    /** A new pooled data source on {@code database}; closed with this object. */
    public synchronized HikariDataSource dataSource(String database) {
        HikariDataSource ds = pool(database);
        dataSources.add(ds);
        return ds;
    }

    private HikariDataSource pool(String database) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(container.getJdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1"));
        config.setUsername(container.getUsername());
        config.setPassword(container.getPassword());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        return new HikariDataSource(config);
    }

    @Override
    public synchronized void close() {
        dataSources.forEach(HikariDataSource::close);
        container.stop();
    }
}
