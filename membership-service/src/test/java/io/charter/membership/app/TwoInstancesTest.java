package io.charter.membership.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.membership.testing.MembershipTestBase;
import io.charter.membership.testing.TestClient;
import io.charter.membership.testing.TestClient.Credential;
import io.charter.membership.testing.TestClient.Response;
import io.charter.membership.testing.TestClient.Token;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the service (two Spring contexts on two ports) over one database behave as one
 * service: what one registers or revokes, the other knows.
 */
class TwoInstancesTest extends MembershipTestBase {

    private static ConfigurableApplicationContext second;
    private static int secondPort;

    @BeforeAll
    static void startSecondInstance() {
        Map<String, String> properties = new HashMap<>(MembershipTestBase.properties());
        properties.put("server.port", "0");
        properties.put("spring.jmx.enabled", "false");
        // As command-line arguments: they must win over application.yaml, as in production.
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        second = new SpringApplicationBuilder(MembershipServiceApplication.class).run(args);
        secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void registeredThroughOneEnrollsThroughTheOther() {
        assertThat(secondPort).isNotEqualTo(port);
        TestClient first = client();
        TestClient other = new TestClient(secondPort, core.rootCertificate());
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String org = "Two" + suffix + "MSP";
        String user = "roamer-" + suffix;

        Credential admin = first.enrollAdmin();
        assertThat(first.postJson("/api/v1/organizations", Map.of("mspId", org), new Token(admin)).status()).isEqualTo(201);
        String secret = first.postJson("/api/v1/identities", Map.of("id", user, "type", "client", "organization", org),
                new Token(admin)).json().path("secret").asString();

        Credential roamer = other.enroll(user, secret);
        assertThat(roamer.chain().getLast()).isEqualTo(core.rootCertificate());
        // The admin's certificate, issued by the first instance, authenticates at the second.
        Response shown = other.get("/api/v1/identities/" + user, new Token(admin));
        assertThat(shown.status()).as(shown.toString()).isEqualTo(200);
        assertThat(shown.json().path("signingEnrollments").asInt()).isEqualTo(1);

        // Revoked through the second, refused by the first.
        assertThat(other.postJson("/api/v1/revoke", Map.of("id", user), new Token(admin)).status()).isEqualTo(200);
        Response refused = first.get("/api/v1/organizations", new Token(roamer));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.code()).isEqualTo("CERTIFICATE_REVOKED");
    }
}
