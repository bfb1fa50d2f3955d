package io.charter.orderer.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.pki.Pem;
import io.charter.common.pki.Role;
import io.charter.common.testing.Await;
import io.charter.common.testing.FakeMembershipService;
import io.charter.common.testing.FreePorts;
import io.charter.common.testing.TestPki;
import io.charter.orderer.service.OrdererServer;
import io.charter.shell.testing.NodeShellFixture;
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
    static final NodeShellFixture SHELL = NodeShellFixture.of(OrdererProperties.PREFIX, PKI);
    static final FakeMembershipService MEMBERSHIP = FakeMembershipService.start(PKI, "ClientOrg")
            .enrollee("orderer0", "s3cret", "OrdererOrg", Role.ORDERER);

    @Autowired
    OrdererServer server;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SHELL.registerNode(registry, 0);
        SHELL.registerMembership(registry, MEMBERSHIP, "orderer0", "s3cret");
        registry.add("charter.orderer.cluster.port", () -> String.valueOf(FreePorts.loopback()));
    }

    @AfterAll
    static void stop() {
        MEMBERSHIP.close();
    }

    @Test
    void enrollsStoresRegistersAndHeartbeats() throws Exception {
        assertThat(MEMBERSHIP.enrolledProfiles()).containsExactly("signing", "tls");
        Path msp = SHELL.files().resolve("data/msp");
        List<java.security.cert.X509Certificate> signing = Pem.decodeCertificates(Files.readString(msp.resolve("signing-cert.pem")));
        assertThat(signing.getFirst().getSubjectX500Principal().getName()).contains("CN=orderer0").contains("O=OrdererOrg");
        assertThat(signing.getLast()).isEqualTo(PKI.root().certificate());
        assertThat(msp.resolve("tls-key.pem")).exists();
        assertThat(server.port()).isPositive();
        assertThat(MEMBERSHIP.registeredNodeIds()).containsExactly("orderer0");
        Await.until("two heartbeats", () -> MEMBERSHIP.heartbeats() >= 2);
    }
}
