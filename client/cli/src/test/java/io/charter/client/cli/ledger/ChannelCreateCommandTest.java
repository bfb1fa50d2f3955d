package io.charter.client.cli.ledger;

import static io.charter.client.cli.CliRun.charter;
import static org.assertj.core.api.Assertions.assertThat;

import io.charter.client.cli.CliRun;
import io.charter.client.cli.ExitCodes;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.membership.MembershipClient;
import io.charter.common.membership.NodeRequests;
import io.charter.common.pki.Role;
import io.charter.common.testing.FakeMembershipService;
import io.charter.common.testing.TestPki;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigEnvelope;
import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import io.charter.protocol.Envelope;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.Payload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code channel create} against common's FakeMembershipService, which answers {@code GET /api/v1/nodes} and {@code GET
 * /api/v1/cas/{mspId}} as the membership service does (docs/membership-service.md): the block written, parsed back,
 * and every bad argument refused with its exit code and nothing written.
 */
class ChannelCreateCommandTest {

    @TempDir
    Path home;

    private final TestPki pki = TestPki.create("OrdererMSP", "Org1MSP", "Org2MSP");
    private final TestPki.Credential ordererSigning = pki.organization("OrdererMSP").enroll("orderer0", Role.ORDERER);
    private final TestPki.Credential ordererTls = pki.organization("OrdererMSP").enrollTls("orderer0", Role.ORDERER);
    private FakeMembershipService server;
    private Path block;

    @BeforeEach
    void start() throws Exception {
        server = FakeMembershipService.start(pki, "OrdererMSP").indexNodes(() -> List.of(
                new MembershipClient.Node("orderer0", "OrdererMSP", "orderer",
                        List.of(new NodeRequests.Endpoint("orderer-0.orderer", 7050)), Map.of(), false,
                        ordererSigning.certificate(), ordererTls.certificate(), "UP"),
                new MembershipClient.Node("peer0", "Org1MSP", "peer", List.of(), Map.of(), false,
                        ordererSigning.certificate(), ordererTls.certificate(), "UP")));
        Wallet wallet = new Wallet(home.resolve("wallet"));
        wallet.saveConnection(new Wallet.Connection(server.url(), pki.root().certificate()));
        TestPki.Credential admin = pki.organization("Org1MSP").enroll("org1-admin", Role.ADMIN);
        wallet.put(new WalletIdentity("org1-admin", admin.certificate(), admin.chain().subList(1, admin.chain().size()),
                admin.keys().getPrivate(), Optional.empty()), false);
        wallet.setDefaultIdentity("org1-admin");
        block = home.resolve("trade.block");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void writesAGenesisBlockWithTheOrganizationsAndTheIndexedOrderersCertificates() throws Exception {
        CliRun run = charter(home, "channel", "create", "trade", "--orderer", "orderer-0.orderer:7051",
                "--org", "Org1MSP,Org2MSP", "--out", block.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("channel trade").contains("OrdererMSP, Org1MSP, Org2MSP");

        Block written = Block.parseFrom(Files.readAllBytes(block));
        assertThat(written.getHeader().getNumber()).isZero();
        ChannelConfig config = ConfigEnvelope.parseFrom(Payload.parseFrom(Envelope.parseFrom(
                written.getData().getEnvelopes(0)).getPayload()).getData()).getConfig();
        assertThat(config.getChannelId()).isEqualTo("trade");
        assertThat(config.getOrganizationsList()).extracting(OrganizationConfig::getMspId)
                .containsExactly("OrdererMSP", "Org1MSP", "Org2MSP");
        assertThat(config.getOrganizations(2).getIntermediateCerts(0).toByteArray())
                .isEqualTo(pki.organization("Org2MSP").signingCa().certificate().getEncoded());
        Consenter consenter = config.getOrderer().getConsenters(0);
        assertThat(consenter.getEndpoint().getHost()).isEqualTo("orderer-0.orderer");
        assertThat(consenter.getEndpoint().getPort()).isEqualTo(7051);
        assertThat(consenter.getClientTlsCert().toByteArray()).isEqualTo(ordererTls.certificate().getEncoded());
        assertThat(config.getPoliciesMap()).containsEntry("Endorsement", "AND('Org1MSP.peer', 'Org2MSP.peer')");
        assertThat(config.getOrganizationsList()).allSatisfy(o -> assertThat(o.getAnchorPeersList()).isEmpty());
        assertThat(server.requests()).contains("GET /api/v1/nodes", "GET /api/v1/cas/Org2MSP", "GET /api/v1/cas/Org2MSP/signing/crl",
                "GET /api/v1/cas/Org2MSP/tls/crl");
    }

    @Test
    void anchorPeersGoToTheirOrganizationsInTheGenesisConfiguration() throws Exception {
        CliRun run = charter(home, "channel", "create", "trade", "--orderer", "orderer-0.orderer:7051",
                "--org", "Org1MSP,Org2MSP", "--anchor-peer", "Org1MSP=org1-peer-0.org1-peer:7060,Org2MSP=org2-peer-0.org2-peer:7060",
                "--anchor-peer", " Org1MSP=org1-peer-1.org1-peer:7061 ", "--out", block.toString(), "-o", "json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\"anchorPeers\"").contains("\"org1-peer-1.org1-peer:7061\"");

        ChannelConfig config = ConfigEnvelope.parseFrom(Payload.parseFrom(Envelope.parseFrom(
                Block.parseFrom(Files.readAllBytes(block)).getData().getEnvelopes(0)).getPayload()).getData()).getConfig();
        assertThat(config.getOrganizationsList()).extracting(OrganizationConfig::getMspId)
                .containsExactly("OrdererMSP", "Org1MSP", "Org2MSP");
        assertThat(config.getOrganizations(0).getAnchorPeersList()).isEmpty();
        assertThat(config.getOrganizations(1).getAnchorPeersList()).containsExactly(
                Endpoint.newBuilder().setHost("org1-peer-0.org1-peer").setPort(7060).build(),
                Endpoint.newBuilder().setHost("org1-peer-1.org1-peer").setPort(7061).build());
        assertThat(config.getOrganizations(2).getAnchorPeersList()).containsExactly(
                Endpoint.newBuilder().setHost("org2-peer-0.org2-peer").setPort(7060).build());
    }

    @Test
    void badAnchorPeersAreRefusedWithTheirCodeBeforeAnythingIsFetchedOrWritten() {
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("Org3MSP=peer0.org3:7060", "ANCHOR_PEER_UNKNOWN_ORG");
        refused.put("OrdererMSP=orderer-0.orderer:7050", "ANCHOR_PEER_UNKNOWN_ORG"); // joins the channel, but no --org
        refused.put("peer0.org1:7060", "ANCHOR_PEER_MALFORMED");
        refused.put("=peer0.org1:7060", "ANCHOR_PEER_MALFORMED");
        refused.put("Org1MSP=peer0.org1", "ANCHOR_PEER_MALFORMED");
        refused.put("Org1MSP=peer0.org1:0", "ANCHOR_PEER_MALFORMED");
        refused.put("Org1MSP=peer0.org1:65536", "ANCHOR_PEER_MALFORMED");
        refused.put("Org1MSP=peer0.org1:123456", "ANCHOR_PEER_MALFORMED");
        refused.put("Org1MSP=peer 0.org1:7060", "ANCHOR_PEER_MALFORMED");
        refused.put("Org1MSP=https://peer0.org1:7060", "ANCHOR_PEER_MALFORMED");
        refused.put("Org1MSP=peer0.org1:7060,Org1MSP=peer0.org1:7060", "ANCHOR_PEER_DUPLICATE");
        refused.put("Org1MSP=peer0.org1:7060,Org2MSP=PEER0.org1:7060", "ANCHOR_PEER_DUPLICATE");
        for (Map.Entry<String, String> bad : refused.entrySet()) {
            int requests = server.requests().size();
            CliRun run = charter(home, "channel", "create", "trade", "--orderer", "orderer-0.orderer:7051",
                    "--org", "Org1MSP,Org2MSP", "--anchor-peer", bad.getKey(), "--out", block.toString());
            assertThat(run.exitCode()).as(bad + "\n" + run).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).as(bad.getKey()).contains("(" + bad.getValue() + ")");
            assertThat(block).doesNotExist();
            assertThat(home.resolve("trade.block.tmp")).doesNotExist();
            assertThat(server.requests()).as(bad.getKey()).hasSize(requests);
        }
        CliRun json = charter(home, "channel", "create", "trade", "--orderer", "orderer-0.orderer:7051",
                "--org", "Org1MSP", "--anchor-peer", "Org2MSP=peer0.org2:7060", "--out", block.toString(), "-o", "json");
        assertThat(json.err()).containsPattern("\"code\" *: *\"ANCHOR_PEER_UNKNOWN_ORG\"");
    }

    @Test
    void anOrdererTheIndexDoesNotKnowIsNotFoundAndNothingIsWritten() {
        CliRun run = charter(home, "channel", "create", "trade", "--orderer", "orderer-9.orderer:7051",
                "--org", "Org1MSP", "--out", block.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run.err()).contains("orderer-9.orderer");
        assertThat(block).doesNotExist();
    }

    @Test
    void anUnknownOrganizationIsRefusedAndNothingIsWritten() {
        CliRun run = charter(home, "channel", "create", "trade", "--orderer", "orderer0:7051",
                "--org", "NoSuchMSP", "--out", block.toString());
        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(block).doesNotExist();
        assertThat(home.resolve("trade.block.tmp")).doesNotExist();
    }

    @Test
    void badArgumentsAreUsageErrorsAndNothingIsWritten() {
        for (List<String> args : List.of(
                List.of("Trade!", "--orderer", "o:7051", "--org", "Org1MSP"),
                List.of("trade", "--orderer", "o", "--org", "Org1MSP"),
                List.of("trade", "--orderer", "o:70510", "--org", "Org1MSP"),
                List.of("trade", "--orderer", "o:7051,o:7051", "--org", "Org1MSP"),
                List.of("trade", "--orderer", "o:7051", "--org", "Org1MSP,Org1MSP"),
                List.of("trade", "--orderer", "orderer-0.orderer:7051", "--org", "OrdererMSP"),
                List.of("trade", "--org", "Org1MSP"))) {
            List<String> all = new java.util.ArrayList<>(List.of("channel", "create"));
            all.addAll(args);
            all.addAll(List.of("--out", block.toString()));
            CliRun run = charter(home, all.toArray(String[]::new));
            assertThat(run.exitCode()).as(args + "\n" + run).isEqualTo(ExitCodes.USAGE);
            assertThat(block).doesNotExist();
        }
    }

    @Test
    void anExistingFileIsNotOverwritten() throws Exception {
        Files.writeString(block, "keep");
        CliRun run = charter(home, "channel", "create", "trade", "--orderer", "orderer-0.orderer:7051",
                "--org", "Org1MSP", "--out", block.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(Files.readString(block)).isEqualTo("keep");
    }
}
