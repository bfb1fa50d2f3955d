package io.charter.peer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.pki.Role;
import io.charter.common.protocol.Blocks;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.common.testing.Await;
import io.charter.common.testing.RequiresDocker;
import io.charter.common.testing.TestHttp;
import io.charter.common.testing.TestPki;
import io.charter.common.testing.TestTls;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.common.transport.tls.TlsTrust;
import io.charter.peer.node.PeerNode;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.TestClient;
import io.charter.peer.testing.TestContracts;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ProposalResponse;
import io.charter.shell.testing.NodeShellFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Spring Boot peer with its real core on a PostgreSQL container: the admin API over HTTPS with
 * client certificates (admins of the peer's organization only) joins a channel with a genesis block,
 * shows its blocks, installs and lists the sample contract, leaves the channel; health, Prometheus, and
 * {@code peer.Endorse} on the transport.
 */
@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
@SpringBootTest(classes = PeerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PeerApplicationTest {

    static final ChannelFixture FIXTURE = new ChannelFixture();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final TestPki PKI = FIXTURE.pki;
    static final TestPki.Credential SIGNING = PKI.organization("Org1").enroll("peer0", Role.PEER);
    static final TestPki.Credential TLS = PKI.organization("Org1").enrollTls("peer0", Role.PEER);
    static final TestPki.Credential ADMIN = PKI.organization("Org1").enrollTls("admin1", Role.ADMIN);
    static final TestPki.Credential CLIENT_TLS = PKI.organization("Org1").enrollTls("client1", Role.CLIENT);
    static final TestPki.Credential OTHER_ADMIN = PKI.organization("Org2").enrollTls("admin2", Role.ADMIN);
    static final NodeShellFixture SHELL = NodeShellFixture.of(PeerProperties.PREFIX, PKI);
    static final LedgerContainer LEDGER = new LedgerContainer();

    @LocalServerPort
    int adminPort;

    @LocalManagementPort
    int operationsPort;

    @Autowired
    PeerNode node;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlerMapping;

    @Autowired
    com.zaxxer.hikari.HikariDataSource ledgerDataSource;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        LEDGER.register(registry);
        SHELL.registerNode(registry, 0);
        SHELL.registerIdentity(registry, SIGNING, TLS);
        registry.add("charter.peer.peer-id", () -> "peer0");
        registry.add("charter.peer.msp-id", () -> "Org1");
        // nothing listens there: this test orders nothing, the deliver client only retries
        registry.add("charter.peer.orderers[0]", () -> "127.0.0.1:9");
    }

    @AfterAll
    void stop() {
        LEDGER.stopAfter(node, ledgerDataSource);
    }

    @Test
    void theAdminApiJoinsAChannelInstallsContractsAndLeavesForAdminsOfTheOrganizationOnly() throws Exception {
        HttpClient admin = SHELL.http(ADMIN);
        HttpClient client = SHELL.http(CLIENT_TLS);
        HttpClient otherAdmin = SHELL.http(OTHER_ADMIN);

        // no client certificate: the TLS handshake fails; a client: 403 NOT_ADMIN; another organization's admin: 403 OTHER_ORGANIZATION
        HttpClient anonymous = TestTls.httpClient(Optional.empty(), PKI.root().certificate());
        assertThatThrownBy(() -> anonymous.send(HttpRequest.newBuilder(api("/channels")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        assertThat(get(admin, "/channels").body()).isEqualTo("[]");
        assertError(get(client, "/channels"), 403, "NOT_ADMIN");
        assertError(get(otherAdmin, "/channels"), 403, "OTHER_ORGANIZATION");

        // join with the genesis block
        byte[] genesis = Blocks.genesisBlock(FIXTURE.configWithTls(), Instant.now()).toByteArray();
        assertError(post(admin, "/channels", "not a block".getBytes()), 400, "NOT_A_GENESIS_BLOCK");
        assertError(post(client, "/channels", genesis), 403, "NOT_ADMIN");
        assertThat(node.channels()).isEmpty();
        HttpResponse<String> joined = post(admin, "/channels", genesis);
        assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
        assertThat(joined.body()).contains("\"id\":\"" + ChannelFixture.CHANNEL + "\"").contains("\"height\":1");
        assertError(post(admin, "/channels", genesis), 409, "ALREADY_JOINED");
        assertThat(Files.exists(SHELL.files().resolve("data/channels/" + ChannelFixture.CHANNEL + ".joined"))).isTrue();

        Await.until("a leader", () -> get(admin, "/channels/" + ChannelFixture.CHANNEL).body().contains("\"leader\":\"peer0\""));
        assertThat(get(admin, "/channels").body()).contains("\"status\":\"active\"").contains("\"isLeader\":true");
        assertThat(get(admin, "/channels/" + ChannelFixture.CHANNEL).body()).contains("\"configSequence\":0")
                .contains("\"organizations\":[\"Org1\",\"Org2\",\"OrdererOrg\"]");
        HttpResponse<byte[]> config = admin.send(HttpRequest.newBuilder(api("/channels/" + ChannelFixture.CHANNEL + "/config"))
                .header("Accept", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(ChannelConfig.parseFrom(config.body())).isEqualTo(io.charter.peer.validation.ChannelContext.configOf(Block.parseFrom(genesis)));
        assertThat(get(admin, "/channels/" + ChannelFixture.CHANNEL + "/config").body()).contains("\"sequence\":0")
                .contains("\"organizations\":[\"Org1\",\"Org2\",\"OrdererOrg\"]");
        assertError(get(client, "/channels/" + ChannelFixture.CHANNEL + "/config"), 403, "NOT_ADMIN");
        assertError(get(admin, "/channels/nowhere"), 404, "CHANNEL_NOT_JOINED");
        assertError(get(client, "/channels/" + ChannelFixture.CHANNEL), 403, "NOT_ADMIN");

        // blocks and transactions
        HttpResponse<String> block = get(admin, "/channels/" + ChannelFixture.CHANNEL + "/blocks/0");
        assertThat(block.statusCode()).isEqualTo(200);
        assertThat(block.body()).contains("\"number\":0").contains("\"type\":\"CONFIG\"");
        HttpResponse<byte[]> raw = admin.send(HttpRequest.newBuilder(api("/channels/" + ChannelFixture.CHANNEL + "/blocks/0"))
                .header("Accept", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(Block.parseFrom(raw.body()).getHeader().getNumber()).isZero();
        assertError(get(admin, "/channels/" + ChannelFixture.CHANNEL + "/blocks/7"), 404, "BLOCK_NOT_FOUND");
        assertError(get(admin, "/channels/" + ChannelFixture.CHANNEL + "/transactions/abc"), 404, "TRANSACTION_NOT_FOUND");
        assertThat(get(admin, "/channels/" + ChannelFixture.CHANNEL + "/private-data/missing").body()).isEqualTo("[]");
        assertError(get(client, "/channels/" + ChannelFixture.CHANNEL + "/private-data/missing"), 403, "NOT_ADMIN");
        assertError(get(admin, "/channels/nowhere/private-data/missing"), 404, "CHANNEL_NOT_JOINED");

        // snapshots: admins only; the channel at its height, written under the data directory, listed; once per height
        String snapshots = "/channels/" + ChannelFixture.CHANNEL + "/snapshots";
        assertError(post(client, snapshots, new byte[0]), 403, "NOT_ADMIN");
        assertThat(Files.exists(SHELL.files().resolve("data/snapshots"))).as("nothing written for a client").isFalse();
        HttpResponse<String> snapshot = post(admin, snapshots, new byte[0]);
        assertThat(snapshot.statusCode()).as(snapshot.body()).isEqualTo(201);
        assertThat(snapshot.body()).contains("\"height\":1").containsPattern("\"snapshotHash\":\"[0-9a-f]{64}\"")
                .contains("public-state.data");
        assertThat(Files.exists(SHELL.files().resolve("data/snapshots/" + ChannelFixture.CHANNEL + "/1/manifest.txt"))).isTrue();
        assertError(post(admin, snapshots, new byte[0]), 409, "SNAPSHOT_EXISTS");
        assertThat(get(admin, snapshots).body()).contains("\"height\":1");
        assertError(post(admin, "/channels/nowhere/snapshots", new byte[0]), 404, "CHANNEL_NOT_JOINED");

        // contracts
        assertError(post(admin, "/contracts", "not a jar".getBytes()), 400, "INVALID_CONTRACT_PACKAGE");
        assertError(post(client, "/contracts", TestContracts.assetTransferJar()), 403, "NOT_ADMIN");
        assertThat(node.installedContracts()).isEmpty();
        HttpResponse<String> installed = post(admin, "/contracts", TestContracts.assetTransferJar());
        assertThat(installed.statusCode()).as(installed.body()).isEqualTo(201);
        assertThat(installed.body()).contains("\"packageId\":\"asset-transfer:").contains("\"name\":\"asset-transfer\"");
        assertThat(get(admin, "/contracts").body()).contains("\"name\":\"asset-transfer\"");
        assertError(get(client, "/contracts"), 403, "NOT_ADMIN");
        assertThat(get(admin, "/channels/" + ChannelFixture.CHANNEL + "/contracts").body()).isEqualTo("[]");

        // peer.Endorse over the transport: the contract is installed but not defined on the channel
        try (TransportClient transport = TransportClient.builder("127.0.0.1", node.port(),
                new TlsCredentials(CLIENT_TLS.keys().getPrivate(), CLIENT_TLS.chain()),
                TlsTrust.withoutCrls(List.of(PKI.root().certificate()))).connect()) {
            TestClient.Proposed proposal = TestClient.invoke(FIXTURE.client1, "asset-transfer", "ReadAsset", "a1");
            ProposalResponse response = ProposalResponse.parseFrom(transport.call(PeerMethodNames.ENDORSE,
                    proposal.signed().toByteString(), Duration.ofSeconds(20)).get(30, TimeUnit.SECONDS));
            assertThat(response.getResponse().getMessage()).startsWith("UNDEFINED_CONTRACT: ");
        }

        // the OpenAPI description of the admin API
        HttpResponse<String> openApi = get(admin, "/openapi");
        assertThat(openApi.statusCode()).isEqualTo(200);
        assertThat(openApi.body()).contains("/api/v1/channels/{id}/transactions/{txId}").contains("/api/v1/contracts");

        // health and metrics
        Await.until("readiness", () -> operations("/actuator/health/readiness").statusCode() == 200);
        assertThat(operations("/actuator/health/readiness").body()).contains(ChannelFixture.CHANNEL);
        assertThat(operations("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(operations("/actuator/prometheus").body())
                .contains("charter_peer_ledger_height{")
                .containsPattern("charter_peer_config_sequence\\{[^}]*\\} 0\\.0")
                .contains("charter_peer_blocks_committed_total{")
                .contains("charter_peer_transactions_total{")
                .contains("charter_peer_block_commit_seconds_bucket{")
                .contains("charter_peer_private_data_missing{")
                .contains("charter_peer_private_data_reconciled_total{")
                .contains("outcome=\"UNDEFINED_CONTRACT\"");

        // leave: admin only; the ledger stays, the channel is gone from the peer
        assertError(delete(client, "/channels/" + ChannelFixture.CHANNEL), 403, "NOT_ADMIN");
        assertThat(delete(admin, "/channels/" + ChannelFixture.CHANNEL).statusCode()).isEqualTo(204);
        assertError(get(admin, "/channels/" + ChannelFixture.CHANNEL), 404, "CHANNEL_NOT_JOINED");
        assertError(delete(admin, "/channels/" + ChannelFixture.CHANNEL), 404, "CHANNEL_NOT_JOINED");
        assertThat(Files.exists(SHELL.files().resolve("data/channels/" + ChannelFixture.CHANNEL + ".joined"))).isFalse();
        assertThat(operations("/actuator/prometheus").body()).doesNotContain("charter_peer_ledger_height{");
    }

    /**
     * The admin API's access table (docs/security.md): every endpoint it maps, whatever its path variables and
     * body, refuses a client, a peer, an orderer and another organization's admin with 403 before doing
     * anything, and answers this organization's admin (reads only: the writes are the test above). An
     * endpoint added without its admin check fails here.
     */
    @Test
    void everyAdminEndpointRefusesEveryoneButTheOrganizationsAdmins() throws Exception {
        Map<String, HttpClient> outsiders = Map.of(
                "client of Org1", SHELL.http(CLIENT_TLS),
                "peer of Org1", SHELL.http(PKI.organization("Org1").enrollTls("peer7", Role.PEER)),
                "orderer", SHELL.http(PKI.organization("OrdererOrg").enrollTls("orderer7", Role.ORDERER)),
                "admin of Org2", SHELL.http(OTHER_ADMIN));
        HttpClient admin = SHELL.http(ADMIN);
        List<String> endpoints = NodeShellFixture.endpoints(handlerMapping,
                pattern -> pattern.startsWith("/api/v1/") && !pattern.startsWith("/api/v1/openapi"));
        assertThat(endpoints).as("the admin API's endpoints").hasSizeGreaterThanOrEqualTo(10);
        for (String endpoint : endpoints) {
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String path = endpoint.substring(endpoint.indexOf(' ') + 1).replace("/api/v1", "")
                    .replace("{id}", ChannelFixture.CHANNEL).replace("{number}", "0").replace("{txId}", "ab".repeat(32));
            for (Map.Entry<String, HttpClient> outsider : outsiders.entrySet()) {
                HttpResponse<String> answer = call(outsider.getValue(), method, path);
                assertThat(answer.statusCode()).as("%s as %s: %s", endpoint, outsider.getKey(), answer.body())
                        .isEqualTo(403);
            }
            if (method.equals("GET")) {
                HttpResponse<String> answer = call(admin, method, path);
                assertThat(answer.statusCode()).as("%s as Org1's admin: %s", endpoint, answer.body()).isNotEqualTo(403);
            }
        }
        System.out.printf("peer admin API: %d endpoints x %d outsiders refused%n", endpoints.size(), outsiders.size());
    }

    @Test
    void theOrganizationsAdminReadsAndChangesTheLogLevelsAndABadSpecChangesNothing() throws Exception {
        HttpClient admin = SHELL.http(ADMIN);
        String before = JSON.readTree(get(admin, "/logspec").body()).path("spec").asString();
        try {
            HttpResponse<String> changed = put(admin, "/logspec", "{\"spec\":\"warn:io.charter.peer.validation=debug\"}");
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
            assertThat(JSON.readTree(changed.body()).path("spec").asString()).isEqualTo("warn:io.charter.peer.validation=debug");
            assertThat(org.slf4j.LoggerFactory.getLogger("io.charter.peer.validation.X").isDebugEnabled()).isTrue();
            assertError(put(admin, "/logspec", "{\"spec\":\"loud\"}"), 400, "INVALID_LOG_SPEC");
            assertError(put(admin, "/logspec", "not json"), 400, "INVALID_LOG_SPEC");
            assertError(put(admin, "/logspec", "{\"spec\":\"" + "a".repeat(20_000) + "\"}"), 400, "INVALID_LOG_SPEC");
            assertError(put(SHELL.http(OTHER_ADMIN), "/logspec", "{\"spec\":\"trace\"}"), 403, "OTHER_ORGANIZATION");
            assertThat(JSON.readTree(get(admin, "/logspec").body()).path("spec").asString())
                    .as("unchanged by the refused requests").isEqualTo("warn:io.charter.peer.validation=debug");
        } finally {
            put(admin, "/logspec", "{\"spec\":\"" + before + "\"}");
        }
    }

    private HttpResponse<String> put(HttpClient http, String path, String json) {
        return TestHttp.send(http, HttpRequest.newBuilder(api(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpResponse<String> call(HttpClient http, String method, String path) {
        return TestHttp.send(http, HttpRequest.newBuilder(api(path)).header("Accept", "application/json")
                .header("Content-Type", "application/octet-stream")
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})
                        : HttpRequest.BodyPublishers.noBody())
                .build());
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("\"code\":\"" + code + "\"").contains("\"message\":");
    }

    private HttpResponse<String> get(HttpClient http, String path) {
        return TestHttp.send(http, HttpRequest.newBuilder(api(path)).header("Accept", "application/json").GET().build());
    }

    private HttpResponse<String> post(HttpClient http, String path, byte[] body) {
        return TestHttp.send(http, HttpRequest.newBuilder(api(path)).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private HttpResponse<String> delete(HttpClient http, String path) {
        return TestHttp.send(http, HttpRequest.newBuilder(api(path)).DELETE().build());
    }

    private HttpResponse<String> operations(String path) {
        return NodeShellFixture.operations(operationsPort, path);
    }

    private URI api(String path) {
        return URI.create("https://localhost:" + adminPort + "/api/v1" + path);
    }
}
