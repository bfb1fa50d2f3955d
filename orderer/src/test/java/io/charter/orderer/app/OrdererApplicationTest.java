package io.charter.orderer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import io.charter.common.pki.Role;
import io.charter.common.protocol.Blocks;
import io.charter.common.protocol.OrdererMethodNames;
import io.charter.common.testing.Await;
import io.charter.common.testing.FreePorts;
import io.charter.common.testing.TestChannels;
import io.charter.common.testing.TestHttp;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.common.transport.tls.TlsTrust;
import io.charter.orderer.service.OrdererServer;
import io.charter.orderer.testing.OrdererCluster;
import io.charter.protocol.BatchSize;
import io.charter.protocol.Block;
import io.charter.protocol.BroadcastResponse;
import io.charter.protocol.BroadcastStatus;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.OrdererConfig;
import io.charter.shell.testing.NodeShellFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Spring Boot orderer with its real core: the channel participation API over HTTPS with client
 * certificates (admin-only), health probes and the Prometheus endpoint.
 */
@SpringBootTest(classes = OrdererApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrdererApplicationTest {

    static final String CHANNEL = "rest-channel";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final TestPki PKI = TestPki.create("OrdererOrg", "ClientOrg", "OutsiderOrg");
    static final TestPki.Credential SIGNING = PKI.organization("OrdererOrg").enroll("orderer0", Role.ORDERER);
    static final TestPki.Credential TLS = PKI.organization("OrdererOrg").enrollTls("orderer0", Role.ORDERER);
    static final TestPki.Credential ADMIN = PKI.organization("ClientOrg").enrollTls("admin1", Role.ADMIN);
    static final TestPki.Credential ORDERER_ADMIN = PKI.organization("OrdererOrg").enrollTls("ordereradmin", Role.ADMIN);
    static final TestPki.Credential CLIENT_TLS = PKI.organization("ClientOrg").enrollTls("client1", Role.CLIENT);
    static final TestPki.Credential CLIENT = PKI.organization("ClientOrg").enroll("client1", Role.CLIENT);
    static final TestPki.Credential OUTSIDER_ADMIN = PKI.organization("OutsiderOrg").enrollTls("admin9", Role.ADMIN);
    static final int CLUSTER_PORT = FreePorts.loopback();
    static final NodeShellFixture SHELL = NodeShellFixture.of(OrdererProperties.PREFIX, PKI);

    @LocalServerPort
    int adminPort;

    @LocalManagementPort
    int operationsPort;

    @Autowired
    OrdererServer server;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlerMapping;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        SHELL.registerNode(registry, 0);
        SHELL.registerIdentity(registry, SIGNING, TLS);
        registry.add("charter.orderer.cluster.port", () -> String.valueOf(CLUSTER_PORT));
        registry.add("charter.orderer.raft.election-timeout-min", () -> "300ms");
        registry.add("charter.orderer.raft.election-timeout-max", () -> "600ms");
    }

    @Test
    void participationIsAdminOnlyAndHealthAndMetricsReportTheOrderer() throws Exception {
        HttpClient admin = SHELL.http(ADMIN);
        HttpClient client = SHELL.http(CLIENT_TLS);
        HttpClient outsider = SHELL.http(OUTSIDER_ADMIN);

        // no channel yet: an admin sees an empty list, a client is refused; readiness is vacuously UP
        assertThat(get(admin, "").statusCode()).isEqualTo(200);
        assertThat(get(client, "").statusCode()).isEqualTo(403);

        // the OpenAPI description of the participation API
        HttpResponse<String> openApi = TestHttp.send(admin, HttpRequest.newBuilder(
                URI.create("https://localhost:" + adminPort + "/participation/v1/openapi")).GET().build());
        assertThat(openApi.statusCode()).isEqualTo(200);
        assertThat(openApi.body()).contains("/participation/v1/channels/{channel}/raft");

        // join: only an admin of the orderer's own organization, which is in the genesis configuration
        byte[] genesis = genesis().toByteArray();
        HttpClient ordererAdmin = SHELL.http(ORDERER_ADMIN);
        HttpResponse<String> notAdmin = post(client, genesis);
        assertThat(notAdmin.statusCode()).isEqualTo(403);
        assertThat(notAdmin.body()).contains("\"code\":\"NOT_ADMIN\"");
        assertThat(post(outsider, genesis).statusCode()).isEqualTo(403);
        // an admin of another organization of the channel may not make this orderer take it on (issue #12)
        HttpResponse<String> memberAdmin = post(admin, genesis);
        assertThat(memberAdmin.statusCode()).isEqualTo(403);
        assertThat(memberAdmin.body()).contains("\"code\":\"NOT_ORDERER_ADMIN\"");
        assertThat(get(admin, "").body()).doesNotContain(CHANNEL);
        HttpResponse<String> notABlock = post(ordererAdmin, "not a block".getBytes());
        assertThat(notABlock.statusCode()).isEqualTo(400);
        assertThat(notABlock.body()).contains("\"code\":\"NOT_A_GENESIS_BLOCK\"");
        HttpResponse<String> joined = post(ordererAdmin, genesis);
        assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
        assertThat(joined.body()).contains("\"name\":\"" + CHANNEL + "\"");
        // the same block again: joined already, nothing changes (the transport answers already_joined)
        assertThat(post(ordererAdmin, genesis).statusCode()).isEqualTo(200);

        // list and show
        Await.until("a leader", () -> get(admin, "/" + CHANNEL).body().contains("\"status\":\"active\""));
        HttpResponse<String> list = get(admin, "");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"name\":\"" + CHANNEL + "\"").contains("\"height\":1");
        assertThat(get(client, "").statusCode()).isEqualTo(403);
        assertThat(get(outsider, "").statusCode()).isEqualTo(403);
        HttpResponse<String> shown = get(admin, "/" + CHANNEL);
        assertThat(shown.body()).contains("\"consensusRelation\":\"consenter\"").contains("\"role\":\"LEADER\"");
        assertThat(get(client, "/" + CHANNEL).statusCode()).isEqualTo(403);
        assertThat(get(admin, "/no-such-channel").statusCode()).isEqualTo(404);

        // Raft status
        HttpResponse<String> raft = get(admin, "/" + CHANNEL + "/raft");
        assertThat(raft.statusCode()).isEqualTo(200);
        assertThat(raft.body()).contains("\"leader\":\"127.0.0.1_" + CLUSTER_PORT + "\"")
                .contains("\"members\":[{\"id\":\"127.0.0.1_" + CLUSTER_PORT + "\"").contains("\"matchIndex\":")
                .contains("\"term\":");
        assertThat(get(client, "/" + CHANNEL + "/raft").statusCode()).isEqualTo(403);

        // health
        Await.until("readiness", () -> operations("/actuator/health/readiness").statusCode() == 200);
        assertThat(operations("/actuator/health/readiness").body()).contains("\"status\":\"UP\"").contains(CHANNEL);
        assertThat(operations("/actuator/health/liveness").statusCode()).isEqualTo(200);

        // a broadcast over the transport, then the Prometheus endpoint lists the orderer's metrics
        try (TransportClient transport = TransportClient.builder("127.0.0.1", server.port(),
                new TlsCredentials(CLIENT_TLS.keys().getPrivate(), CLIENT_TLS.chain()),
                TlsTrust.withoutCrls(List.of(PKI.root().certificate()))).connect()) {
            BroadcastResponse response = BroadcastResponse.parseFrom(transport.call(OrdererMethodNames.BROADCAST,
                    OrdererCluster.envelope(CHANNEL, "ClientOrg", CLIENT, 5).toByteString(), java.time.Duration.ofSeconds(30)).get(40, TimeUnit.SECONDS));
            assertThat(response.getStatus()).as(response.getMessage()).isEqualTo(BroadcastStatus.SUCCESS);
            BroadcastResponse garbage = BroadcastResponse.parseFrom(transport.call(OrdererMethodNames.BROADCAST,
                    ByteString.copyFromUtf8("garbage"), java.time.Duration.ofSeconds(30)).get(40, TimeUnit.SECONDS));
            assertThat(garbage.getStatus()).isEqualTo(BroadcastStatus.BAD_REQUEST);
        }
        String prometheus = operations("/actuator/prometheus").body();
        assertThat(prometheus)
                .contains("charter_orderer_broadcast_envelopes_total{")
                .contains("result=\"accepted\"")
                .contains("reason=\"MALFORMED_ENVELOPE\"")
                .contains("charter_orderer_blocks_cut_total{")
                .contains("cause=\"timeout\"")
                .contains("charter_orderer_block_commit_seconds")
                .contains("charter_orderer_raft_leader_changes_total{")
                .contains("charter_orderer_channel_height{")
                .contains("charter_orderer_deliver_streams");

        // remove: the orderer organization's admin only; another member's admin is refused and nothing changes
        assertThat(delete(client).statusCode()).isEqualTo(403);
        assertThat(delete(admin).statusCode()).isEqualTo(403);
        assertThat(get(admin, "/" + CHANNEL).statusCode()).isEqualTo(200);
        assertThat(delete(ordererAdmin).statusCode()).isEqualTo(204);
        assertThat(get(admin, "/" + CHANNEL).statusCode()).isEqualTo(404);
        assertThat(get(admin, "").body()).doesNotContain(CHANNEL);
    }

    private Block genesis() {
        ChannelConfig config = ChannelConfig.newBuilder()
                .setChannelId(CHANNEL)
                .addOrganizations(TestChannels.organization(PKI, "OrdererOrg"))
                .addOrganizations(TestChannels.organization(PKI, "ClientOrg"))
                .setOrderer(OrdererConfig.newBuilder()
                        .addConsenters(OrdererCluster.consenter("OrdererOrg", "127.0.0.1", CLUSTER_PORT, SIGNING, TLS))
                        .setBatchSize(BatchSize.newBuilder().setMaxMessageCount(10)
                                .setPreferredMaxBytes(64 * 1024).setAbsoluteMaxBytes(128 * 1024))
                        .setBatchTimeout(Duration.newBuilder().setNanos(200_000_000)))
                .build();
        return Blocks.genesisBlock(config, Instant.now());
    }

    /**
     * The participation API's access table (docs/security.md): every endpoint it maps refuses a certificate
     * without the ADMIN role (a client, a peer, an orderer) with 403 before anything is looked up, and the
     * joins and removals refuse another organization's admin. An endpoint added without its check fails here.
     */
    @Test
    void everyParticipationEndpointRefusesNonAdminsAndItsWritesRefuseOtherOrganizationsAdmins() throws Exception {
        Map<String, HttpClient> nonAdmins = Map.of(
                "client of ClientOrg", SHELL.http(CLIENT_TLS),
                "peer of ClientOrg", SHELL.http(PKI.organization("ClientOrg").enrollTls("peer7", Role.PEER)),
                "orderer of OrdererOrg", SHELL.http(PKI.organization("OrdererOrg").enrollTls("orderer7", Role.ORDERER)));
        HttpClient memberAdmin = SHELL.http(ADMIN);
        List<String> endpoints = NodeShellFixture.endpoints(handlerMapping,
                pattern -> pattern.startsWith("/participation/v1/channels"));
        assertThat(endpoints).as("the participation API's endpoints").hasSizeGreaterThanOrEqualTo(5);
        for (String endpoint : endpoints) {
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String path = endpoint.substring(endpoint.indexOf(' ') + 1).replace("/participation/v1/channels", "")
                    .replace("{channel}", CHANNEL);
            for (Map.Entry<String, HttpClient> nonAdmin : nonAdmins.entrySet()) {
                HttpResponse<String> answer = call(nonAdmin.getValue(), method, path);
                assertThat(answer.statusCode()).as("%s as %s: %s", endpoint, nonAdmin.getKey(), answer.body())
                        .isEqualTo(403);
            }
            if (!method.equals("GET")) {
                HttpResponse<String> answer = call(memberAdmin, method, path);
                assertThat(answer.statusCode()).as("%s as ClientOrg's admin: %s", endpoint, answer.body()).isIn(403, 404);
            }
        }
        System.out.printf("participation API: %d endpoints x %d non-admins refused%n", endpoints.size(), nonAdmins.size());
    }

    @Test
    void theOrdererOrganizationsAdminAloneReadsAndChangesTheLogLevels() throws Exception {
        HttpClient ordererAdmin = SHELL.http(ORDERER_ADMIN);
        HttpResponse<String> read = logSpec(ordererAdmin, "GET", "");
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        String before = JSON.readTree(read.body()).path("spec").asString();
        try {
            for (TestPki.Credential other : List.of(ADMIN, CLIENT_TLS, OUTSIDER_ADMIN)) {
                assertThat(logSpec(SHELL.http(other), "GET", "").statusCode()).isEqualTo(403);
                assertThat(logSpec(SHELL.http(other), "PUT", "{\"spec\":\"trace\"}").statusCode()).isEqualTo(403);
            }
            HttpResponse<String> bad = logSpec(ordererAdmin, "PUT", "{\"spec\":\"info:io.charter..x=debug\"}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("\"code\":\"INVALID_LOG_SPEC\"");
            assertThat(JSON.readTree(logSpec(ordererAdmin, "GET", "").body()).path("spec").asString()).isEqualTo(before);
            HttpResponse<String> changed = logSpec(ordererAdmin, "PUT", "{\"spec\":\"warn:io.charter.orderer.consensus=debug\"}");
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
            assertThat(JSON.readTree(changed.body()).path("spec").asString())
                    .isEqualTo("warn:io.charter.orderer.consensus=debug");
        } finally {
            logSpec(ordererAdmin, "PUT", "{\"spec\":\"" + before + "\"}");
        }
    }

    private HttpResponse<String> logSpec(HttpClient http, String method, String json) {
        return TestHttp.send(http, HttpRequest.newBuilder(URI.create("https://localhost:" + adminPort + "/api/v1/logspec"))
                .header("Content-Type", "application/json").method(method, json.isEmpty()
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpResponse<String> call(HttpClient http, String method, String path) {
        return TestHttp.send(http, HttpRequest.newBuilder(admin(path)).header("Content-Type", "application/octet-stream")
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})
                        : HttpRequest.BodyPublishers.noBody())
                .build());
    }

    private HttpResponse<String> get(HttpClient http, String path) {
        return TestHttp.send(http, HttpRequest.newBuilder(admin(path)).GET().build());
    }

    private HttpResponse<String> post(HttpClient http, byte[] body) {
        return TestHttp.send(http, HttpRequest.newBuilder(admin("")).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private HttpResponse<String> delete(HttpClient http) {
        return TestHttp.send(http, HttpRequest.newBuilder(admin("/" + CHANNEL)).DELETE().build());
    }

    private HttpResponse<String> operations(String path) {
        return NodeShellFixture.operations(operationsPort, path);
    }

    private URI admin(String path) {
        return URI.create("https://localhost:" + adminPort + "/participation/v1/channels" + path);
    }
}
