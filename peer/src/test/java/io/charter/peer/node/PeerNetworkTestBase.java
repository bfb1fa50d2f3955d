package io.charter.peer.node;

import io.charter.peer.testing.PeerDatabases;
import io.charter.peer.testing.PeerNetwork;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * For tests that run a {@link PeerNetwork}: one PostgreSQL container per test class (its peers' databases),
 * a data folder per test, and the test's network closed after it, whatever the outcome.
 */
abstract class PeerNetworkTestBase {

    static PeerDatabases databases;

    @TempDir
    Path dir;
    PeerNetwork network;

    @BeforeAll
    static void startDatabases() {
        databases = PeerDatabases.start();
    }

    @AfterAll
    static void stopDatabases() {
        if (databases != null) {
            databases.close();
            databases = null;
        }
    }

    @AfterEach
    void closeNetwork() {
        if (network != null) {
            network.close();
        }
    }
}
