package io.charter.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Checks the container setup every storage test stands on: the configured PostgreSQL image starts,
 * accepts JDBC connections and supports the jsonb queries the peer's ledger relies on.
 */
@RequiresDocker
class TestImagesTest {

    @Test
    void configuredPostgresImageServesJsonbQueries() throws Exception {
        try (PostgreSQLContainer postgres = TestImages.postgresContainer()) {
            postgres.start();
            try (Connection connection = DriverManager.getConnection(
                            postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword());
                    Statement statement = connection.createStatement()) {
                statement.execute("create table state (key text primary key, value jsonb not null)");
                statement.execute("insert into state values ('asset1', '{\"owner\":\"alice\"}'), ('asset2', '{\"owner\":\"bob\"}')");
                try (ResultSet rows = statement.executeQuery("select key from state where value->>'owner' = 'bob'")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString(1)).isEqualTo("asset2");
                    assertThat(rows.next()).isFalse();
                }
            }
        }
    }
}
