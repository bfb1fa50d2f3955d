package io.charter.membership.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.pki.Role;
import io.charter.membership.testing.MembershipTestBase;
import io.charter.membership.testing.TestClient;
import io.charter.membership.testing.TestClient.Credential;
import io.charter.membership.testing.TestClient.Mtls;
import io.charter.membership.testing.TestClient.Response;
import io.charter.membership.testing.TestClient.Token;
import io.charter.membership.testing.TestNodes;
import io.charter.membership.testing.TestNodes.Node;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/network-map}: the consortium as the map page draws it, to authenticated callers only. */
class NetworkMapApiTest extends MembershipTestBase {

    @Test
    void answersOrganizationsNodesByRoleLeadersHeightsAndExpiryToCertificateHolders() {
        TestClient client = client();
        Credential admin = client.enrollAdmin();
        TestNodes nodes = new TestNodes(client, admin);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String org = "Map" + suffix + "MSP";
        String channel = "map-" + suffix;
        nodes.organization(org);
        Node orderer = nodes.identity(org, "orderer0-" + suffix, Role.ORDERER);
        Node peer0 = nodes.identity(org, "peer0-" + suffix, Role.PEER);
        Node peer1 = nodes.identity(org, "peer1-" + suffix, Role.PEER);
        nodes.register(orderer, 7050, Map.of(channel, 4L), false, Instant.now());
        nodes.register(peer1, 7071, Map.of(channel, 2L), false, Instant.now());
        nodes.register(peer0, 7070, Map.of(channel, 3L), true, Instant.now());
        nodes.lead(peer0, channel);

        Response unauthenticated = client.get("/api/v1/network-map", TestClient.NONE);
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(unauthenticated.code()).isEqualTo("AUTHENTICATION_REQUIRED");

        Response map = client.get("/api/v1/network-map", new Token(admin));
        assertThat(map.status()).as(map.toString()).isEqualTo(200);
        JsonNode json = map.json();
        assertThat(json.path("expiryWarningDays").asLong()).isEqualTo(30);
        JsonNode channelEntry = find(json.path("channels"), "name", channel);
        assertThat(channelEntry.path("height").asLong()).isEqualTo(4);

        JsonNode organization = find(json.path("organizations"), "mspId", org);
        assertThat(organization.path("consortium").asBoolean()).isFalse();
        JsonNode drawn = organization.path("nodes");
        // orderers first, then peers, each by node id
        assertThat(drawn.size()).isEqualTo(3);
        assertThat(drawn.get(0).path("nodeId").asString()).isEqualTo(orderer.id());
        assertThat(drawn.get(0).path("role").asString()).isEqualTo("orderer");
        assertThat(drawn.get(1).path("nodeId").asString()).isEqualTo(peer0.id());
        assertThat(drawn.get(2).path("nodeId").asString()).isEqualTo(peer1.id());

        JsonNode leader = drawn.get(1);
        assertThat(leader.path("state").asString()).isEqualTo("UP");
        assertThat(leader.path("anchor").asBoolean()).isTrue();
        assertThat(leader.path("endpoints").get(0).asString()).isEqualTo("127.0.0.1:7070");
        assertThat(leader.path("heights").path(channel).asLong()).isEqualTo(3);
        assertThat(leader.path("leaderOf").get(0).asString()).isEqualTo(channel);
        assertThat(drawn.get(2).path("leaderOf").isEmpty()).isTrue();
        // Certificates of 365 days are outside the 30-day window.
        JsonNode certificates = leader.path("certificates");
        assertThat(certificates.size()).isEqualTo(2);
        assertThat(certificates.get(0).path("profile").asString()).isEqualTo("signing");
        assertThat(certificates.get(1).path("profile").asString()).isEqualTo("tls");
        assertThat(certificates.get(0).path("daysLeft").asLong()).isBetween(360L, 365L);
        assertThat(certificates.get(0).path("expiring").asBoolean()).isFalse();
        assertThat(Instant.parse(certificates.get(1).path("notAfter").asString()))
                .isEqualTo(peer0.tls().certificate().getNotAfter().toInstant());

        // A heartbeat's heights show at the next call; mTLS is accepted as everywhere in the API.
        nodes.heartbeat(peer1, Map.of(channel, 9L), Instant.now());
        Response again = client.get("/api/v1/network-map", new Mtls(admin));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(find(again.json().path("channels"), "name", channel).path("height").asLong()).isEqualTo(9);
    }

    @Test
    void servesThePageWithoutDataUnderAPolicyThatAllowsThisOriginOnly() {
        TestClient client = client();
        Response redirect = client.get("/map", TestClient.NONE);
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location").orElseThrow()).endsWith("/map/");
        for (String path : new String[] {"/map/", "/map/index.html"}) {
            Response page = client.get(path, TestClient.NONE);
            assertThat(page.status()).as(path).isEqualTo(200);
            assertThat(page.body()).contains("<title>Charter network map</title>", "src=\"map.js\"");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .isEqualTo(NetworkMapPage.CONTENT_SECURITY_POLICY).contains("default-src 'none'", "script-src 'self'");
            assertThat(page.headers().firstValue("Cache-Control").orElseThrow()).isEqualTo("no-store");
        }
        Response script = client.get("/map/map.js", TestClient.NONE);
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.body()).contains("/api/v1/network-map").doesNotContain("http://", "https://");
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (item.path(field).asString().equals(value)) {
                return item;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }
}
