package io.charter.membership.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.membership.testing.MembershipTestBase;
import io.charter.membership.testing.TestClient;
import io.charter.membership.testing.TestClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Health probes, Prometheus metrics and the OpenAPI document, over the same HTTPS port. */
class OperationsTest extends MembershipTestBase {

    @Test
    void livenessAndReadinessAreUpWithAMigratedDatabase() {
        TestClient client = client();
        Response liveness = client.get("/actuator/health/liveness", TestClient.NONE);
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.json().path("status").asString()).isEqualTo("UP");
        Response readiness = client.get("/actuator/health/readiness", TestClient.NONE);
        assertThat(readiness.status()).as(readiness.toString()).isEqualTo(200);
        assertThat(readiness.json().path("status").asString()).isEqualTo("UP");
        assertThat(client.get("/actuator/health", TestClient.NONE).json().path("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusExposesEnrollmentsNodesAndRequestLatencies() {
        TestClient client = client();
        client.enrollAdmin();
        Response scrape = client.get("/actuator/prometheus", TestClient.NONE);
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body())
                .contains("charter_enrollments_total{kind=\"enroll\",outcome=\"success\",profile=\"signing\"")
                .contains("charter_nodes{role=\"peer\",state=\"up\"}")
                .contains("charter_nodes{role=\"orderer\",state=\"down\"}")
                .contains("http_server_requests_seconds_bucket")
                .contains("uri=\"/api/v1/enroll\"");
    }

    @Test
    void openApiDocumentListsTheEndpoints() {
        TestClient client = client();
        Response document = client.get("/v3/api-docs", TestClient.NONE);
        assertThat(document.status()).isEqualTo(200);
        List<String> paths = new ArrayList<>(document.json().path("paths").propertyNames());
        assertThat(paths).contains(
                "/api/v1/organizations", "/api/v1/organizations/{mspId}", "/api/v1/identities",
                "/api/v1/identities/{id}", "/api/v1/organizations/{mspId}/identities", "/api/v1/enroll",
                "/api/v1/reenroll", "/api/v1/revoke", "/api/v1/cas/{mspId}/{profile}/crl", "/api/v1/nodes",
                "/api/v1/nodes/{nodeId}/heartbeat", "/api/v1/nodes/expiring",
                "/api/v1/discovery/channels/{channel}/orderers", "/api/v1/discovery/channels/{channel}/peers",
                "/api/v1/discovery/channels/{channel}/anchors",
                "/api/v1/discovery/channels/{channel}/organizations/{mspId}/leader",
                "/api/v1/channels/{channel}/leadership");
        assertThat(document.body()).doesNotContain("\"caller\"").contains("charterToken", "mutualTLS");
        assertThat(document.json().path("paths").path("/api/v1/identities/{id}").has("patch")).isTrue();
        Response ui = client.send("GET", "/swagger-ui.html", null, new byte[0], TestClient.NONE, Map.of());
        assertThat(ui.status()).isIn(200, 302);
    }
}
