package io.charter.membership.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.pki.Pem;
import io.charter.common.pki.Role;
import io.charter.common.testing.HeadlessChromium;
import io.charter.common.testing.RequiresChromium;
import io.charter.common.testing.RequiresDocker;
import io.charter.membership.MembershipCore;
import io.charter.membership.TestDatabases;
import io.charter.membership.app.MembershipServiceApplication;
import io.charter.membership.testing.MembershipTestBase;
import io.charter.membership.testing.SharedPostgres;
import io.charter.membership.testing.TestClient;
import io.charter.membership.testing.TestClient.Credential;
import io.charter.membership.testing.TestNodes;
import io.charter.membership.testing.TestNodes.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import tools.jackson.databind.JsonNode;

/**
 * The network map page in a real browser: a headless Chromium opens {@code /map/} of a membership service
 * on loopback that indexes a small consortium, is refused the data until it signs in with a wallet
 * identity (the API's signed token, made by the page with WebCrypto), then draws every organization and
 * node, the leaders, a DOWN node, the heights per channel and an expiring certificate, and follows a
 * heartbeat live. It leaves a screenshot in {@code target/network-map.png} (docs/images/network-map.png is
 * one of those).
 */
@RequiresDocker
@RequiresChromium
@SpringBootTest(classes = MembershipServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NetworkMapPageTest {

    /** The service's clock; the test sets it back to issue an old certificate and to age a heartbeat. */
    static final ShiftedClock CLOCK = new ShiftedClock();

    @TestBean
    Clock clock;

    static Clock clock() {
        return CLOCK;
    }

    @LocalServerPort
    int port;

    @Autowired
    MembershipCore core;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // A database of its own: the map shows this consortium only, not the other tests' organizations.
        String url = SharedPostgres.get().getJdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + TestDatabases.createDatabase() + "$1");
        Map<String, String> properties = new java.util.TreeMap<>(MembershipTestBase.properties());
        properties.put("charter.membership.database.url", url);
        properties.put("charter.membership.index.down-after", "2m");
        properties.put("charter.membership.index.lease-ttl", "10m");
        properties.forEach((key, value) -> registry.add(key, () -> value));
    }

    @Test
    void drawsTheConsortiumForASignedInCallerAndFollowsHeartbeats() throws Exception {
        TestClient client = new TestClient(port, core.rootCertificate());
        Credential admin = client.enrollAdmin();
        TestNodes nodes = new TestNodes(client, admin);
        for (String org : new String[] {"OrdererMSP", "Org1MSP", "Org2MSP"}) {
            nodes.organization(org);
        }
        Instant now = Instant.now();
        Map<String, Long> heights = Map.of("mychannel", 12L, "trade", 5L);
        Node[] orderers = new Node[3];
        for (int i = 0; i < 3; i++) {
            orderers[i] = nodes.identity("OrdererMSP", "orderer" + i, Role.ORDERER);
            nodes.register(orderers[i], 7050 + i, heights, false, now);
        }
        Node peer0org1 = nodes.identity("Org1MSP", "peer0.org1", Role.PEER);
        nodes.register(peer0org1, 7060, heights, true, now);
        Node peer0org2 = nodes.identity("Org2MSP", "peer0.org2", Role.PEER);
        nodes.register(peer0org2, 7070, Map.of("mychannel", 12L), true, now);
        // peer1.org2's certificates were issued 340 days ago: 25 days left, inside the 30-day warning.
        String secret = nodes.registerIdentity("Org2MSP", "peer1.org2", Role.PEER);
        CLOCK.shift(Duration.ofDays(-340));
        Node peer1org2;
        try {
            peer1org2 = nodes.enroll("Org2MSP", "peer1.org2", Role.PEER, secret);
        } finally {
            CLOCK.shift(Duration.ZERO);
        }
        nodes.register(peer1org2, 7071, Map.of("mychannel", 12L), false, now);
        // peer1.org1 was last heard of 5 minutes ago: DOWN (down-after is 2 minutes here).
        Node peer1org1 = nodes.identity("Org1MSP", "peer1.org1", Role.PEER);
        CLOCK.shift(Duration.ofMinutes(-5));
        try {
            nodes.register(peer1org1, 7061, Map.of("mychannel", 9L, "trade", 5L), false, now.minus(Duration.ofMinutes(5)));
        } finally {
            CLOCK.shift(Duration.ZERO);
        }
        nodes.lead(peer0org1, "mychannel");
        nodes.lead(peer0org1, "trade");
        nodes.lead(peer0org2, "mychannel");

        Path target = Path.of("target");
        try (HeadlessChromium browser = HeadlessChromium.start(1280, 900, target.resolve("chromium.log"))) {
            browser.navigate("https://127.0.0.1:" + port + "/map/");
            // No client certificate, no token: the API refuses the data and the page asks to sign in.
            browser.await(Duration.ofSeconds(20), () -> !browser.evaluate(
                    "document.getElementById('sign-in').hidden").asBoolean());
            assertThat(browser.evaluate("document.querySelectorAll('[data-node]').length").asInt()).isZero();
            assertThat(browser.dom()).contains("AUTHENTICATION_REQUIRED");

            // Signing in as a wallet identity would: the certificate chain and the PKCS#8 key, as PEM.
            browser.evaluate("charterMap.signIn(" + js(Pem.encodeCertificates(admin.fullChain())) + ", "
                    + js(Pem.encodePrivateKey(admin.keys().getPrivate())) + ")");
            browser.await(Duration.ofSeconds(20), () ->
                    browser.evaluate("document.querySelectorAll('[data-node]').length").asInt() == 7);
            String dom = browser.dom();
            for (String org : new String[] {"ConsortiumMSP", "OrdererMSP", "Org1MSP", "Org2MSP"}) {
                assertThat(dom).contains("data-org=\"" + org + "\"");
            }
            JsonNode drawn = browser.evaluate("""
                    Object.fromEntries([...document.querySelectorAll('[data-node]')].map(n => [n.dataset.node, {
                      org: n.closest('[data-org]').dataset.org,
                      role: n.closest('.role').dataset.role,
                      state: n.dataset.state,
                      leader: n.dataset.leader ?? '',
                      leaderMark: n.querySelector('.leader-mark')?.textContent ?? '',
                      expiring: [...n.querySelectorAll('.cert.expiring')].map(c => c.textContent).join('|'),
                      heights: Object.fromEntries([...n.querySelectorAll('tr[data-channel]')].map(r =>
                          [r.dataset.channel, r.querySelector('.height').textContent])),
                      badge: n.querySelector('.badge').textContent
                    }]))""");
            for (int i = 0; i < 3; i++) {
                assertThat(drawn.path("orderer" + i).path("org").asString()).isEqualTo("OrdererMSP");
                assertThat(drawn.path("orderer" + i).path("role").asString()).isEqualTo("orderer");
            }
            assertThat(drawn.path("peer0.org1").path("org").asString()).isEqualTo("Org1MSP");
            assertThat(drawn.path("peer0.org1").path("role").asString()).isEqualTo("peer");
            assertThat(drawn.path("peer0.org1").path("leader").asString()).isEqualTo("mychannel trade");
            assertThat(drawn.path("peer0.org1").path("leaderMark").asString()).contains("leader", "mychannel");
            assertThat(drawn.path("peer0.org2").path("leader").asString()).isEqualTo("mychannel");
            assertThat(drawn.path("peer1.org2").path("leader").asString()).isEmpty();
            assertThat(drawn.path("peer1.org1").path("state").asString()).isEqualTo("DOWN");
            assertThat(drawn.path("peer1.org1").path("badge").asString()).isEqualTo("DOWN");
            assertThat(drawn.path("peer0.org1").path("badge").asString()).isEqualTo("UP");
            assertThat(drawn.path("peer1.org1").path("heights").path("mychannel").asString()).isEqualTo("height 9");
            assertThat(drawn.path("peer0.org1").path("heights").path("trade").asString()).isEqualTo("height 5");
            assertThat(drawn.path("peer1.org2").path("expiring").asString())
                    .contains("signing certificate expires in 2", "tls certificate expires in 2");
            assertThat(drawn.path("peer0.org2").path("expiring").asString()).isEmpty();
            assertThat(browser.evaluate("document.querySelector('[data-channel=\"mychannel\"].channel').textContent")
                    .asString()).isEqualTo("mychannel height 12");

            Files.write(target.resolve("network-map.png"), browser.screenshot());

            // Live: a heartbeat with a new height shows without reloading the page.
            nodes.heartbeat(peer0org2, Map.of("mychannel", 13L), Instant.now());
            browser.await(Duration.ofSeconds(20), () -> browser.evaluate(
                    "document.querySelector('[data-node=\"peer0.org2\"] tr[data-channel=\"mychannel\"] .height')"
                            + ".textContent").asString().equals("height 13"));
            assertThat(browser.evaluate("document.querySelector('[data-channel=\"mychannel\"].channel').textContent")
                    .asString()).isEqualTo("mychannel height 13");
        }
    }

    private static String js(String text) {
        return TestClient.JSON.writeValueAsString(text);
    }

    /** The system clock, shifted by what the test sets. */
    static final class ShiftedClock extends Clock {
        private volatile Duration shift = Duration.ZERO;

        void shift(Duration shift) {
            this.shift = shift;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(shift);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
