package io.charter.common.testing;

import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Container images for tests. Names come from the environment so that CI, which reaches no registry,
 * can substitute local stand-ins; the defaults are the official images.
 */
public final class TestImages {

    private TestImages() {}

    public static DockerImageName postgres() {
        return DockerImageName.parse(System.getenv().getOrDefault("TEST_POSTGRES_IMAGE", "postgres:17"))
                .asCompatibleSubstituteFor("postgres");
    }

    public static DockerImageName javaBase() {
        return DockerImageName.parse(System.getenv().getOrDefault("TEST_JAVA_BASE_IMAGE", "eclipse-temurin:25-jre"));
    }

    /** A PostgreSQL container from {@link #postgres()}, not started. */
    public static PostgreSQLContainer postgresContainer() {
        return new PostgreSQLContainer(postgres());
    }
}
