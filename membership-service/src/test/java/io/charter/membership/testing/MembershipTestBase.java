package io.charter.membership.testing;

import io.charter.common.testing.RequiresDocker;
import io.charter.membership.MembershipCore;
import io.charter.membership.app.MembershipServiceApplication;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The membership service on a random HTTPS port over the shared PostgreSQL container. Every test class
 * extending this gets the same (cached) Spring context, so tests use fresh organization and identity
 * names rather than a clean database.
 */
@RequiresDocker
@SpringBootTest(classes = MembershipServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class MembershipTestBase {

    @LocalServerPort
    protected int port;

    @Autowired
    protected MembershipCore core;

    @Autowired
    protected DataSource dataSource;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    /** The properties every test instance runs with (also used to start extra instances). */
    public static Map<String, String> properties() {
        var postgres = SharedPostgres.get();
        Map<String, String> properties = new TreeMap<>();
        properties.put("charter.membership.database.url", postgres.getJdbcUrl());
        properties.put("charter.membership.database.username", postgres.getUsername());
        properties.put("charter.membership.database.password", postgres.getPassword());
        properties.put("charter.membership.database.maximum-pool-size", "5");
        properties.put("charter.membership.ca.key-passphrase", "test-passphrase");
        // Fast key derivation: tests are not attacked offline.
        properties.put("charter.membership.ca.key-derivation-iterations", "1000");
        properties.put("charter.membership.bootstrap-admin.secret", TestClient.ADMIN_SECRET);
        properties.put("charter.membership.bootstrap-admin.max-enrollments", "1000");
        properties.put("charter.membership.http.max-request-body", "16KB");
        // every test enrolls from 127.0.0.1: its address bucket must outlast the wrong secrets all tests send
        properties.put("charter.membership.enrollment.failures-per-source", "1000");
        return properties;
    }

    protected TestClient client() {
        return new TestClient(port, core.rootCertificate());
    }

    /** Row counts of every table but Flyway's: "nothing was written" means these are unchanged. */
    protected Map<String, Long> rowCounts() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Map<String, Long> counts = new TreeMap<>();
        for (String table : jdbc.queryForList("select table_name from information_schema.tables"
                + " where table_schema = 'public' and table_type = 'BASE TABLE'"
                + " and table_name <> 'flyway_schema_history'", String.class)) {
            counts.put(table, jdbc.queryForObject("select count(*) from \"" + table + "\"", Long.class));
        }
        return counts;
    }
}
