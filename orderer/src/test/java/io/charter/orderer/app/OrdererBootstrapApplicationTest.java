package io.charter.orderer.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.identity.Role;
import io.charter.common.pki.Pem;
import io.charter.common.testing.Await;
import io.charter.common.testing.FakeMembershipService;
import io.charter.common.testing.FreePorts;
import io.charter.common.testing.TestPki;
import io.charter.orderer.service.OrdererServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Spring Boot orderer with {@code charter.orderer.membership.url} set and no certificate files:
 * it enrolls its signing and TLS certificates from a (fake, HTTPS) membership service, stores them in
 * its data directory, starts with them, registers in the index and heartbeats.
 */
@SpringBootTest(classes = OrdererApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrdererBootstrapApplicationTest {

    static final TestPki PKI = TestPki.create("OrdererOrg", "ClientOrg");
    static final Path FILES = OrdererApplicationTest.tempDir();
    static final FakeMembershipService MEMBERSHIP = FakeMembershipService.start(PKI, "ClientOrg")
            .enrollee("orderer0", "s3cret", "OrdererOrg", Role.ORDERER);

    @Autowired
    OrdererServer server;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("charter.orderer.data-dir", () -> FILES.resolve("data").toString());
        registry.add("charter.orderer.tls.trusted-roots", () -> write("roots.pem", Pem.encodeCertificate(PKI.root().certificate())));
        registry.add("charter.orderer.membership.url", () -> MEMBERSHIP.url().toString());
        registry.add("charter.orderer.membership.enrollment-id", () -> "orderer0");
        registry.add("charter.orderer.membership.enrollment-secret", () -> "s3cret");
        registry.add("charter.orderer.transport.host", () -> "127.0.0.1");
        registry.add("charter.orderer.transport.port", () -> "0");
        registry.add("charter.orderer.cluster.port", () -> String.valueOf(FreePorts.loopback()));
        registry.add("server.address", () -> "127.0.0.1");
        registry.add("management.server.port", () -> "0");
        registry.add("management.server.address", () -> "127.0.0.1");
    }

    @AfterAll
    static void stop() {
        MEMBERSHIP.close();
    }

    @Test
    void enrollsStoresRegistersAndHeartbeats() throws Exception {
        assertThat(MEMBERSHIP.enrolledProfiles()).containsExactly("signing", "tls");
        Path msp = FILES.resolve("data/msp");
        List<java.security.cert.X509Certificate> signing = Pem.decodeCertificates(Files.readString(msp.resolve("signing-cert.pem")));
        assertThat(signing.getFirst().getSubjectX500Principal().getName()).contains("CN=orderer0").contains("O=OrdererOrg");
        assertThat(signing.getLast()).isEqualTo(PKI.root().certificate());
        assertThat(msp.resolve("tls-key.pem")).exists();
        assertThat(server.port()).isPositive();
        assertThat(MEMBERSHIP.registeredNodeIds()).containsExactly("orderer0");
        Await.until("two heartbeats", () -> MEMBERSHIP.heartbeats() >= 2);
    }

    private static String write(String name, String text) {
        try {
            return Files.writeString(FILES.resolve(name), text).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
