package io.charter.peer.app;

import com.zaxxer.hikari.HikariDataSource;
import io.charter.common.testing.TestImages;
import io.charter.peer.node.PeerNode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The PostgreSQL container that a Spring Boot peer test keeps its ledger in, one per test class. */
final class LedgerContainer {

    private final PostgreSQLContainer container = TestImages.postgresContainer();

    /** Starts the container and points {@code charter.peer.database.*} at it. */
    void register(DynamicPropertyRegistry registry) {
        container.start();
        registry.add("charter.peer.database.url", container::getJdbcUrl);
        registry.add("charter.peer.database.username", container::getUsername);
        registry.add("charter.peer.database.password", container::getPassword);
    }

    /**
     * Stops the container after the peer and its pool, which use the database; closing them again with the context
     * (after the class, {@code @DirtiesContext}) does nothing.
     */
    void stopAfter(PeerNode node, HikariDataSource ledgerDataSource) {
        node.close();
        ledgerDataSource.close();
        container.stop();
    }
}
