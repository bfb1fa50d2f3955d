package io.charter.client.testing;

import io.charter.client.cli.network.HostClassPath;
import io.charter.client.network.MembershipServiceInstance;
import io.charter.common.pki.Pem;
import io.charter.common.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real membership service application for the CLI's tests: PostgreSQL in a container (Testcontainers,
 * {@code TEST_POSTGRES_IMAGE}) and the service's Spring Boot application in this JVM (in its own class
 * loader, as the network host runs it) on a free HTTPS port. Started once per test JVM on first use;
 * both stopped by a shutdown hook (Ryuk may be disabled).
 */
public final class LiveMembershipService {

    public static final String ADMIN_ID = "admin";
    public static final String ADMIN_SECRET = "cli-test-admin-secret";

    private static LiveMembershipService instance;

    private final URI url;
    private final X509Certificate root;

    private LiveMembershipService(URI url, X509Certificate root) {
        this.url = url;
        this.root = root;
    }

    public static synchronized LiveMembershipService get() {
        if (instance == null) {
            PostgreSQLContainer postgres = TestImages.postgresContainer().withDatabaseName("membership")
                    .withCommand("postgres", "-c", "fsync=off");
            postgres.start();
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("charter.membership.database.url", postgres.getJdbcUrl());
            properties.put("charter.membership.database.username", postgres.getUsername());
            properties.put("charter.membership.database.password", postgres.getPassword());
            properties.put("charter.membership.database.maximum-pool-size", "4");
            properties.put("charter.membership.ca.key-passphrase", "cli-test-passphrase");
            properties.put("charter.membership.ca.key-derivation-iterations", "1000");
            properties.put("charter.membership.bootstrap-admin.secret", ADMIN_SECRET);
            properties.put("charter.membership.bootstrap-admin.max-enrollments", "1000");
            properties.put("charter.membership.http.port", "0");
            properties.put("spring.jmx.enabled", "false");
            MembershipServiceInstance service;
            try {
                List<String> classPath = new ArrayList<>(HostClassPath.entries());
                // kept off the test class path (see the client's pom): the service's own classes
                classPath.add(System.getProperty("charter.membership.classes"));
                service = MembershipServiceInstance.start(classPath, properties);
            } catch (RuntimeException e) {
                postgres.stop();
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    service.close();
                } catch (IOException e) {
                    // stopping anyway
                }
                postgres.stop();
            }, "stop-membership-service"));
            instance = new LiveMembershipService(URI.create("https://localhost:" + service.port()), service.rootCertificate());
        }
        return instance;
    }

    public URI url() {
        return url;
    }

    public X509Certificate root() {
        return root;
    }

    /** The consortium root written as PEM into {@code folder}, for {@code --root-cert}. */
    public Path rootPem(Path folder) {
        try {
            Path file = folder.resolve("consortium-root.pem");
            Files.writeString(file, Pem.encodeCertificate(root));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
