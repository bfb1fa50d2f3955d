package io.charter.peer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import io.charter.common.policy.PolicyParser;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportException;
import io.charter.peer.contract.ContractPackage;
import io.charter.peer.endorsement.EndorsementStats;
import io.charter.peer.endorsement.RefusalReason;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerNetwork;
import io.charter.peer.testing.TestClient;
import io.charter.peer.testing.TestContracts;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.ContractDefinitionsRequest;
import io.charter.protocol.ContractDefinitionsResponse;
import io.charter.protocol.ContractPolicyOutcome;
import io.charter.protocol.ContractPolicyRequest;
import io.charter.protocol.ContractPolicyResponse;
import io.charter.protocol.Envelope;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.TxValidationCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code peer.Endorse} over the real transport on PeerNodes of two organizations with a real orderer:
 * the sample contract, installed on both and defined on the channel, is endorsed, ordered and
 * committed; refusals come back as ProposalResponses with their reason code, not as transport errors.
 */
class PeerEndorseTest extends PeerNetworkTestBase {

    private static final Duration CALL = Duration.ofSeconds(20);
    private ProposalResponse endorse(TransportClient client, ByteString body) throws Exception {
        return ProposalResponse.parseFrom(client.call(PeerMethodNames.ENDORSE, body, CALL).get(30, TimeUnit.SECONDS));
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
        network.awaitConverged(Duration.ofSeconds(60));
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

    private static ContractPolicyResponse contractPolicy(TransportClient client, String channelId, String contract)
            throws Exception {
        return ContractPolicyResponse.parseFrom(client.call(PeerMethodNames.CONTRACT_POLICY, ContractPolicyRequest.newBuilder()
                .setChannelId(channelId).setContractName(contract).build().toByteString(), CALL).get(30, TimeUnit.SECONDS));
    }

    private static ErrorCode failureCode(TransportClient client, ByteString request) {
        Throwable[] failure = new Throwable[1];
        assertThatThrownBy(() -> client.call(PeerMethodNames.CONTRACT_POLICY, request, CALL).get(30, TimeUnit.SECONDS))
                .cause().isInstanceOf(TransportException.class).satisfies(e -> failure[0] = e);
        return ((TransportException) failure[0]).code();
    }

    @Test
    void aReaderLearnsTheContractPolicyInForceItsSequenceAndTheChannelsOrganizationsAndEveryRefusalIsTyped()
            throws Exception {
        network = new PeerNetwork(dir, databases, 1, 1);
        network.startAll();
        ChannelPeer channel = network.peer("peer0.Org2");
        TransportClient reader = network.connect("peer0.Org2", network.pki.organization("Org1").enrollTls("client1", Role.CLIENT));

        // the fixture's contract is defined without a policy: the channel's Endorsement policy is in force
        ContractPolicyResponse byDefault = contractPolicy(reader, ChannelFixture.CHANNEL, ChannelFixture.CONTRACT);
        assertThat(byDefault.getOutcome()).isEqualTo(ContractPolicyOutcome.DEFINED);
        assertThat(byDefault.getSequence()).isEqualTo(1);
        assertThat(byDefault.getChannelDefault()).isTrue();
        assertThat(byDefault.getEndorsementPolicy()).isEqualTo(channel.context().endorsement().text());
        // the application organizations only: OrdererOrg runs the consenter, ANY/ALL/MAJORITY do not count it
        assertThat(byDefault.getOrganizationsList()).containsExactly("Org1", "Org2");
        assertThat(channel.context().registry().mspIds()).contains("OrdererOrg");

        // redefined with a policy of its own: the new sequence and policy, from the next block on
        network.define(ContractDefinition.newBuilder().setName(ChannelFixture.CONTRACT).setVersion("2").setSequence(2)
                .setEndorsementPolicy("OR('Org1.peer','Org2.peer')").build());
        ContractPolicyResponse redefined = contractPolicy(reader, ChannelFixture.CHANNEL, ChannelFixture.CONTRACT);
        assertThat(redefined.getOutcome()).isEqualTo(ContractPolicyOutcome.DEFINED);
        assertThat(redefined.getSequence()).isEqualTo(2);
        assertThat(redefined.getVersion()).isEqualTo("2");
        assertThat(redefined.getChannelDefault()).isFalse();
        assertThat(redefined.getEndorsementPolicy()).isEqualTo(PolicyParser.parse("OR('Org1.peer', 'Org2.peer')").text());

        long height = channel.height();
        ContractPolicyResponse undefined = contractPolicy(reader, ChannelFixture.CHANNEL, "nowhere");
        assertThat(undefined.getOutcome()).isEqualTo(ContractPolicyOutcome.UNDEFINED_CONTRACT);
        assertThat(undefined.getDetail()).contains("nowhere");
        assertThat(undefined.getEndorsementPolicy()).isEmpty();
        assertThat(contractPolicy(reader, ChannelFixture.CHANNEL, "_lifecycle").getOutcome())
                .as("a reserved namespace is no contract").isEqualTo(ContractPolicyOutcome.UNDEFINED_CONTRACT);
        ContractPolicyResponse otherChannel = contractPolicy(reader, "elsewhere", ChannelFixture.CONTRACT);
        assertThat(otherChannel.getOutcome()).isEqualTo(ContractPolicyOutcome.UNKNOWN_CHANNEL);
        assertThat(otherChannel.getDetail()).contains("elsewhere");

        // a TLS identity the transport trusts but that does not satisfy Readers learns nothing, not even
        // whether the contract exists
        TransportClient notReader = network.connect("peer0.Org2",
                network.pki.organization("OrdererOrg").enrollTls("ops", Role.CLIENT));
        for (String contract : List.of(ChannelFixture.CONTRACT, "nowhere")) {
            assertThat(failureCode(notReader, ContractPolicyRequest.newBuilder().setChannelId(ChannelFixture.CHANNEL)
                    .setContractName(contract).build().toByteString())).isEqualTo(ErrorCode.PERMISSION_DENIED);
        }
        assertThat(failureCode(reader, ByteString.copyFrom(new byte[] {0x0a, (byte) 0xff})))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(failureCode(reader, ContractPolicyRequest.newBuilder().setChannelId(ChannelFixture.CHANNEL).build()
                .toByteString())).as("no contract name").isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(channel.height()).as("asking writes nothing").isEqualTo(height);
    }

    @Test
    void aReaderListsTheChannelsCommittedDefinitionsAndANonReaderLearnsNothing() throws Exception {
        network = new PeerNetwork(dir, databases, 1, 1);
        network.startAll();
        ChannelPeer channel = network.peer("peer0.Org2");
        TransportClient reader = network.connect("peer0.Org2", network.pki.organization("Org1").enrollTls("client1", Role.CLIENT));

        ContractDefinitionsResponse first = contractDefinitions(reader, ChannelFixture.CHANNEL);
        assertThat(first.getJoined()).isTrue();
        assertThat(first.getHeight()).isEqualTo(channel.height());
        assertThat(first.getDefinitionsList()).extracting(ContractDefinition::getName, ContractDefinition::getSequence)
                .containsExactly(tuple(ChannelFixture.CONTRACT, 1L));

        network.define(ContractDefinition.newBuilder().setName(ChannelFixture.CONTRACT).setVersion("2").setSequence(2)
                .setEndorsementPolicy("OR('Org1.peer','Org2.peer')").build());
        ContractDefinitionsResponse redefined = contractDefinitions(reader, ChannelFixture.CHANNEL);
        assertThat(redefined.getHeight()).isGreaterThan(first.getHeight());
        assertThat(redefined.getDefinitionsList()).singleElement().satisfies(definition -> {
            assertThat(definition.getVersion()).isEqualTo("2");
            assertThat(definition.getSequence()).isEqualTo(2);
        });
        assertThat(contractDefinitions(reader, "elsewhere").getJoined()).isFalse();

        long height = channel.height();
        TransportClient notReader = network.connect("peer0.Org2",
                network.pki.organization("OrdererOrg").enrollTls("ops", Role.CLIENT));
        assertThatThrownBy(() -> notReader.call(PeerMethodNames.CONTRACT_DEFINITIONS, ContractDefinitionsRequest.newBuilder()
                .setChannelId(ChannelFixture.CHANNEL).build().toByteString(), CALL).get(30, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(TransportException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
        assertThatThrownBy(() -> reader.call(PeerMethodNames.CONTRACT_DEFINITIONS, ByteString.copyFrom(new byte[] {0x0a,
                (byte) 0xff}), CALL).get(30, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(TransportException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(channel.height()).as("asking writes nothing").isEqualTo(height);
    }

    private static ContractDefinitionsResponse contractDefinitions(TransportClient client, String channelId)
            throws Exception {
        return ContractDefinitionsResponse.parseFrom(client.call(PeerMethodNames.CONTRACT_DEFINITIONS,
                ContractDefinitionsRequest.newBuilder().setChannelId(channelId).build().toByteString(), CALL)
                .get(30, TimeUnit.SECONDS));
    }
}
