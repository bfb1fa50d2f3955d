package io.charter.peer.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.identity.Role;
import io.charter.common.transport.TransportClient;
import io.charter.peer.contract.ContractPackage;
import io.charter.peer.dissemination.PeerMethods;
import io.charter.peer.endorsement.EndorsementStats;
import io.charter.peer.endorsement.RefusalReason;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerDatabases;
import io.charter.peer.testing.TestClient;
import io.charter.peer.testing.TestContracts;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.Envelope;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.TxValidationCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code peer.Endorse} over the real transport on PeerNodes of two organizations with a real orderer:
 * the sample contract, installed on both and defined on the channel, is endorsed, ordered and
 * committed; refusals come back as ProposalResponses with their reason code, not as transport errors.
 */
class PeerEndorseTest {

    private static final Duration CALL = Duration.ofSeconds(20);
    static PeerDatabases databases;

    @TempDir
    Path dir;
    PeerNetwork network;

    @BeforeAll
    static void container() {
        databases = PeerDatabases.start();
    }

    @AfterAll
    static void stopContainer() {
        if (databases != null) {
            databases.close();
        }
    }

    @AfterEach
    void close() {
        if (network != null) {
            network.close();
        }
    }

    private ProposalResponse endorse(TransportClient client, ByteString body) throws Exception {
        return ProposalResponse.parseFrom(client.call(PeerMethods.ENDORSE, body, CALL).get(30, TimeUnit.SECONDS));
    }

    @Test
    void aClientEndorsesTheSampleContractOnBothOrganizationsOverTheTransportAndTheTransactionCommits() throws Exception {
        network = new PeerNetwork(dir, databases, 1, 1);
        network.startAll();
        PeerNode org1 = network.nodes.get("peer0.Org1");
        PeerNode org2 = network.nodes.get("peer0.Org2");
        byte[] jar = TestContracts.assetTransferJar();
        ContractPackage installed = org1.installContract(jar);
        assertThat(org2.installContract(jar).packageId()).isEqualTo(installed.packageId());
        assertThat(org1.installContract(jar)).as("installing again").isEqualTo(installed);
        assertThat(org1.installedContracts()).extracting(ContractPackage::packageId).containsExactly(installed.packageId());

        TransportClient toOrg1 = network.connect("peer0.Org1", network.pki.organization("Org1").enrollTls("client1", Role.CLIENT));
        TransportClient toOrg2 = network.connect("peer0.Org2", network.pki.organization("Org1").enrollTls("client1", Role.CLIENT));

        // before its definition is committed, the contract is refused
        TestClient.Proposed early = TestClient.invoke(network.fixture.client1, "asset-transfer", "CreateAsset",
                "a1", "blue", "5", "alice", "300");
        ProposalResponse undefined = endorse(toOrg1, early.signed().toByteString());
        assertThat(undefined.getResponse().getStatus()).isEqualTo(404);
        assertThat(undefined.getResponse().getMessage()).startsWith(RefusalReason.UNDEFINED_CONTRACT.name() + ":");
        assertThat(undefined.hasEndorsement()).isFalse();

        network.define(ContractDefinition.newBuilder().setName("asset-transfer").setVersion("1.0").setSequence(1)
                .setPackageId(installed.packageId()).build());
        assertThat(org1.definitions(ChannelFixture.CHANNEL).orElseThrow().definition("asset-transfer")).isPresent();

        TestClient.Proposed create = TestClient.invoke(network.fixture.client1, "asset-transfer", "CreateAsset",
                "a1", "blue", "5", "alice", "300");
        List<ProposalResponse> responses = new ArrayList<>();
        for (TransportClient client : List.of(toOrg1, toOrg2)) {
            ProposalResponse response = endorse(client, create.signed().toByteString());
            assertThat(response.getResponse().getStatus()).as(response.getResponse().getMessage()).isEqualTo(200);
            assertThat(response.hasEndorsement()).isTrue();
            responses.add(response);
        }
        network.channel().submit(Envelope.parseFrom(TestClient.transaction(create, responses))).get(60, TimeUnit.SECONDS);
        network.awaitConverged(60_000);
        assertThat(network.peer("peer0.Org2").ledger().transaction(create.txId()).orElseThrow().code())
                .isEqualTo(TxValidationCode.VALID);

        TestClient.Proposed read = TestClient.invoke(network.fixture.client1, "asset-transfer", "ReadAsset", "a1");
        ProposalResponse asset = endorse(toOrg2, read.signed().toByteString());
        assertThat(asset.getResponse().getStatus()).isEqualTo(200);
        assertThat(asset.getResponse().getPayload().toStringUtf8()).contains("alice");

        // a contract failure is an answer too: status 500, the contract's code, no endorsement
        TestClient.Proposed missing = TestClient.invoke(network.fixture.client1, "asset-transfer", "ReadAsset", "nope");
        ProposalResponse failed = endorse(toOrg1, missing.signed().toByteString());
        assertThat(failed.getResponse().getStatus()).isEqualTo(500);
        assertThat(failed.hasEndorsement()).isFalse();

        assertThat(org1.endorsementStats().count(EndorsementStats.ENDORSED)).isEqualTo(1);
        assertThat(org1.endorsementStats().count(RefusalReason.UNDEFINED_CONTRACT.name())).isEqualTo(1);
        assertThat(org1.endorsementStats().count(EndorsementStats.CONTRACT_FAILED)).isEqualTo(1);
    }

    @Test
    void refusedProposalsComeBackWithTheirReasonCodeAndNothingIsWritten() throws Exception {
        network = new PeerNetwork(dir, databases, 1, 1);
        network.startAll();
        ChannelPeer channel = network.peer("peer0.Org1");
        long height = channel.height();
        TransportClient client = network.connect("peer0.Org1", network.pki.organization("Org1").enrollTls("client1", Role.CLIENT));

        TestClient.Proposed undefined = TestClient.invoke(network.fixture.client1, "nowhere", "Anything");
        ProposalResponse refused = endorse(client, undefined.signed().toByteString());
        assertThat(refused.getResponse().getStatus()).isEqualTo(RefusalReason.UNDEFINED_CONTRACT.status());
        assertThat(refused.getResponse().getMessage()).startsWith("UNDEFINED_CONTRACT: ").contains("nowhere");
        assertThat(refused.hasEndorsement()).isFalse();
        assertThat(refused.getPayload().isEmpty()).isTrue();

        ProposalResponse garbage = endorse(client, ByteString.copyFromUtf8("not a proposal"));
        assertThat(garbage.getResponse().getStatus()).isEqualTo(400);
        assertThat(garbage.getResponse().getMessage()).startsWith("MALFORMED_PROPOSAL: ");

        // the same proposal twice: the second is a replay
        TestClient.Proposed once = TestClient.invoke(network.fixture.client1, ChannelFixture.CONTRACT, "put");
        endorse(client, once.signed().toByteString());
        ProposalResponse replay = endorse(client, once.signed().toByteString());
        assertThat(replay.getResponse().getMessage()).startsWith("REPLAYED_PROPOSAL: ");

        assertThat(channel.height()).isEqualTo(height);
        assertThat(channel.ledger().transaction(undefined.txId())).isEmpty();
    }
}
