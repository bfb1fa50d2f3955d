package io.charter.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.pki.Role;
import io.charter.common.testing.FreePorts;
import io.charter.common.testing.TestPki;
import io.charter.protocol.BroadcastReason;
import io.charter.protocol.BroadcastResponse;
import io.charter.protocol.BroadcastStatus;
import io.charter.protocol.CommitStatusRequest;
import io.charter.protocol.CommitStatusResponse;
import io.charter.protocol.ContractPolicyOutcome;
import io.charter.protocol.ContractPolicyRequest;
import io.charter.protocol.ContractPolicyResponse;
import io.charter.protocol.MvccConflict;
import io.charter.protocol.SignedProposal;
import io.charter.protocol.Version;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The submit flow against scripted peers and orderers on loopback: which organizations are asked,
 * how disagreement, refusals, unavailable orderers and conflicts are reported.
 */
class SubmitFlowTest {

    private static final TestPki PKI = TestPki.create("Org1", "Org2", "OrdererOrg");
    private static final Identity CLIENT = TestNetworkPki.identity(PKI, "Org1", "client", Role.CLIENT);
    private static final ByteString RESULTS = ByteString.copyFromUtf8("rwset");

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
    }

    private ScriptedNode node(String name, String mspId, Map<String, Function<ByteString, ByteString>> handlers) {
        ScriptedNode node = new ScriptedNode(PKI, name, mspId, handlers);
        closeables.add(node);
        return node;
    }

    /** A peer that endorses with {@code results} and reports every transaction committed with {@code commitCodes} in turn. */
    private ScriptedNode peer(String name, String mspId, ByteString results, String... commitCodes) {
        return node(name, mspId, peerHandlers(name, mspId, results, commitCodes));
    }

    private static Map<String, Function<ByteString, ByteString>> peerHandlers(String name, String mspId, ByteString results,
                                                                           String... commitCodes) {
        TestPki.Credential signer = TestNetworkPki.peerCredential(PKI, mspId, name);
        AtomicInteger commits = new AtomicInteger();
        return Map.of(
                Network.ENDORSE, request -> TestNetworkPki.endorse(signed(request), mspId, signer, results,
                        ByteString.copyFromUtf8("done")).toByteString(),
                Network.COMMIT_STATUS, request -> commitStatus(request,
                        commitCodes.length == 0 ? "VALID" : commitCodes[Math.min(commits.getAndIncrement(), commitCodes.length - 1)]));
    }

    /** A peer as {@link #peer} that also tells contract policies: {@code policies} answers in turn (the last repeated). */
    private ScriptedNode policyPeer(String name, String mspId, List<ContractPolicyResponse> policies, String... commitCodes) {
        Map<String, Function<ByteString, ByteString>> handlers = new java.util.HashMap<>(
                peerHandlers(name, mspId, RESULTS, commitCodes));
        AtomicInteger asked = new AtomicInteger();
        handlers.put(Network.CONTRACT_POLICY, request -> {
            try {
                assertThat(ContractPolicyRequest.parseFrom(request).getContractName()).isEqualTo("assets");
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
            return policies.get(Math.min(asked.getAndIncrement(), policies.size() - 1)).toByteString();
        });
        return node(name, mspId, handlers);
    }

    private static ContractPolicyResponse defined(long sequence, String policy) {
        return ContractPolicyResponse.newBuilder().setOutcome(ContractPolicyOutcome.DEFINED).setSequence(sequence)
                .setVersion(String.valueOf(sequence)).setEndorsementPolicy(policy).addOrganizations("Org1")
                .addOrganizations("Org2").build();
    }

    private ScriptedNode refusingPeer(String name, String mspId, int status, String message) {
        return node(name, mspId, Map.of(Network.ENDORSE, request -> TestNetworkPki.refuse(status, message).toByteString()));
    }

    private ScriptedNode orderer(String name, BroadcastStatus status, BroadcastReason reason) {
        return node(name, "OrdererOrg", Map.of(Network.BROADCAST, request -> BroadcastResponse.newBuilder().setStatus(status)
                .setReason(reason).setBlockNumber(5).setMessage("scripted " + reason).build().toByteString()));
    }

    private static SignedProposal signed(ByteString request) {
        try {
            return SignedProposal.parseFrom(request);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ByteString commitStatus(ByteString request, String code) {
        CommitStatusResponse.Builder response = CommitStatusResponse.newBuilder().setFound(true).setBlockNumber(5)
                .setTxNumber(0).setValidationCode(code);
        if (code.equals("MVCC_READ_CONFLICT")) {
            response.setMvccConflict(MvccConflict.newBuilder().setNamespace("assets").setKey("a1")
                    .setReadVersion(Version.newBuilder().setBlockNumber(3).setTxNumber(1))
                    .setCommittedVersion(Version.newBuilder().setBlockNumber(4).setTxNumber(0)));
        }
        try {
            CommitStatusRequest.parseFrom(request);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
        return response.build().toByteString();
    }

    /**
     * An endpoint nothing listens on: a port bound, then released. Call it after starting the test's nodes, or the
     * kernel may hand the released port to one of them (then "down" answers, as another node).
     */
    private static NodeEndpoint closedPort(String name, String mspId) {
        return new NodeEndpoint(name, mspId, "127.0.0.1", FreePorts.loopback());
    }

    private Network network(List<NodeEndpoint> peers, List<NodeEndpoint> orderers) {
        Gateway gateway = Gateway.builder(CLIENT).trustRoots(List.of(PKI.root().certificate())).peers(peers)
                .orderers(orderers).timeouts(Timeouts.defaults().withCommit(Duration.ofSeconds(20))).connect();
        closeables.add(gateway);
        return gateway.network("trade");
    }

    @Test
    void anAndPolicyCollectsBothOrganizationsAndTheNextOrdererOrdersWhenTheFirstIsUnavailable() {
        ScriptedNode org1 = peer("peer0.org1", "Org1", RESULTS);
        ScriptedNode org2 = peer("peer0.org2", "Org2", RESULTS);
        ScriptedNode busy = orderer("orderer1", BroadcastStatus.SERVICE_UNAVAILABLE, BroadcastReason.NO_LEADER);
        ScriptedNode ok = orderer("orderer2", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        Network network = network(List.of(org1.endpoint(), org2.endpoint()), List.of(busy.endpoint(), ok.endpoint()));

        // the rotation of orderers starts from the first for the first broadcast of a network
        SubmitResult result = network.contract("assets", "AND('Org1.peer', 'Org2.peer')").submit("Put", "a1", "v");

        assertThat(result.blockNumber()).isEqualTo(5);
        assertThat(result.resultText()).isEqualTo("done");
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(org1.calls(Network.ENDORSE)).isEqualTo(1);
        assertThat(org2.calls(Network.ENDORSE)).isEqualTo(1);
        assertThat(busy.calls(Network.BROADCAST) + ok.calls(Network.BROADCAST)).isBetween(1, 2);
        assertThat(ok.calls(Network.BROADCAST)).isEqualTo(1);
        assertThat(org1.calls(Network.COMMIT_STATUS)).as("the commit status is asked of the client's organization")
                .isEqualTo(1);
    }

    @Test
    void anOrPolicyAsksOnlyOneOrganizationAndTheOtherWhenItCannotEndorse() {
        ScriptedNode org1 = refusingPeer("peer0.org1", "Org1", 404, "CONTRACT_NOT_INSTALLED: assets is not installed");
        ScriptedNode org2 = peer("peer0.org2", "Org2", RESULTS);
        ScriptedNode orderer = orderer("orderer1", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        Network network = network(List.of(org1.endpoint(), org2.endpoint()), List.of(orderer.endpoint()));

        EndorsedTransaction endorsed = network.contract("assets", "OR('Org1.peer', 'Org2.peer')")
                .endorse(Invocation.of("Put", "a1", "v"));

        assertThat(endorsed.endorsers()).extracting(NodeEndpoint::mspId).containsExactly("Org2");
        assertThat(org1.calls(Network.ENDORSE) + org2.calls(Network.ENDORSE)).isBetween(1, 2);
    }

    @Test
    void anotherPeerOfTheSameOrganizationEndorsesWhenTheFirstIsDown() throws IOException {
        ScriptedNode org1 = peer("peer0.org1", "Org1", RESULTS);
        ScriptedNode org2 = peer("peer1.org2", "Org2", RESULTS);
        ScriptedNode orderer = orderer("orderer1", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        NodeEndpoint down = closedPort("peer0.org2", "Org2"); // after the nodes: none of them can be given its port
        Network network = network(List.of(org1.endpoint(), down, org2.endpoint()), List.of(orderer.endpoint()));

        EndorsedTransaction endorsed = network.contract("assets", "AND('Org1.peer', 'Org2.peer')")
                .endorse(Invocation.of("Put", "a1", "v"));

        assertThat(endorsed.endorsers()).extracting(NodeEndpoint::name).contains("peer0.org1", "peer1.org2");
    }

    @Test
    void theOrganizationWhosePeersAreAllDownIsNamedAsMissing() throws IOException {
        ScriptedNode org1 = peer("peer0.org1", "Org1", RESULTS);
        ScriptedNode orderer = orderer("orderer1", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        NodeEndpoint down = closedPort("peer0.org2", "Org2"); // after the nodes: none of them can be given its port
        Network network = network(List.of(org1.endpoint(), down), List.of(orderer.endpoint()));

        assertThatThrownBy(() -> network.contract("assets", "AND('Org1.peer', 'Org2.peer')").submit("Put", "a1", "v"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.ENDORSE);
                    assertThat(e.code()).isEqualTo(SdkErrorCode.ENDORSEMENT_POLICY_NOT_SATISFIED);
                    assertThat(e.missingOrganizations()).containsExactly("Org2");
                    assertThat(e.endorsementFailures()).singleElement().satisfies(f -> {
                        assertThat(f.peer()).isEqualTo("peer0.org2");
                        assertThat(f.reason()).isEqualTo("UNAVAILABLE");
                    });
                    assertThat(e.getMessage()).contains("Org2").contains("peer0.org2");
                    assertThat(e.txId()).isPresent();
                });
        assertThat(orderer.calls(Network.BROADCAST)).as("nothing is broadcast").isZero();
    }

    @Test
    void endorsersThatDisagreeAreReportedAndNothingIsBroadcast() {
        ScriptedNode org1 = peer("peer0.org1", "Org1", RESULTS);
        ScriptedNode org2 = peer("peer0.org2", "Org2", ByteString.copyFromUtf8("a different world state"));
        ScriptedNode orderer = orderer("orderer1", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        Network network = network(List.of(org1.endpoint(), org2.endpoint()), List.of(orderer.endpoint()));

        assertThatThrownBy(() -> network.contract("assets").submit("Put", "a1", "v"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.ENDORSE);
                    assertThat(e.code()).isEqualTo(SdkErrorCode.ENDORSEMENTS_DIFFER);
                    assertThat(e.getMessage()).contains("peer0.org1").contains("peer0.org2");
                });
        assertThat(orderer.calls(Network.BROADCAST)).isZero();
    }

    @Test
    void aContractFailureStopsTheSubmitWithTheContractsMessage() {
        ScriptedNode org1 = refusingPeer("peer0.org1", "Org1", 500, "CONTRACT_ERROR ASSET_EXISTS: asset a1 already exists");
        ScriptedNode orderer = orderer("orderer1", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        Network network = network(List.of(org1.endpoint()), List.of(orderer.endpoint()));

        assertThatThrownBy(() -> network.contract("assets").submit("Create", "a1"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.code()).isEqualTo(SdkErrorCode.CONTRACT_FAILED);
                    assertThat(e.getMessage()).contains("ASSET_EXISTS: asset a1 already exists");
                });
        assertThatThrownBy(() -> network.contract("assets").evaluate("Read", "a1"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.EVALUATE);
                    assertThat(e.code()).isEqualTo(SdkErrorCode.CONTRACT_FAILED);
                });
        assertThat(orderer.calls(Network.BROADCAST)).isZero();
    }

    @Test
    void aRevokedCreatorIsRefusedByEveryOrganization() {
        ScriptedNode org1 = refusingPeer("peer0.org1", "Org1", 403, "CREATOR_REVOKED: the certificate is revoked");
        ScriptedNode org2 = refusingPeer("peer0.org2", "Org2", 403, "CREATOR_REVOKED: the certificate is revoked");
        ScriptedNode orderer = orderer("orderer1", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        Network network = network(List.of(org1.endpoint(), org2.endpoint()), List.of(orderer.endpoint()));

        assertThatThrownBy(() -> network.contract("assets").submit("Put", "a1", "v"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.code()).isEqualTo(SdkErrorCode.PROPOSAL_REFUSED);
                    assertThat(e.endorsementFailures()).extracting(EndorsementFailure::reason)
                            .containsOnly("CREATOR_REVOKED");
                    assertThat(e.missingOrganizations()).containsExactly("Org1", "Org2");
                });
    }

    /** A peer whose contract is at its concurrency limit for the first {@code busyAnswers} proposals. */
    private ScriptedNode busyPeer(String name, String mspId, int busyAnswers) {
        TestPki.Credential signer = TestNetworkPki.peerCredential(PKI, mspId, name);
        AtomicInteger answers = new AtomicInteger();
        return node(name, mspId, Map.of(
                Network.ENDORSE, request -> answers.getAndIncrement() < busyAnswers
                        ? TestNetworkPki.refuse(500, "CONTRACT_UNAVAILABLE CONTRACT_UNAVAILABLE: assets is busy: 64 invocations"
                                + " are waiting").toByteString()
                        : TestNetworkPki.endorse(signed(request), mspId, signer, RESULTS, ByteString.EMPTY).toByteString(),
                Network.COMMIT_STATUS, request -> commitStatus(request, "VALID")));
    }

    @Test
    void aBusyPeerIsAskedAgainWithANewProposalUntilItEndorses() {
        ScriptedNode org1 = peer("peer0.org1", "Org1", RESULTS);
        ScriptedNode org2 = busyPeer("peer0.org2", "Org2", 2);
        ScriptedNode orderer = orderer("orderer1", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        Network network = network(List.of(org1.endpoint(), org2.endpoint()), List.of(orderer.endpoint()));

        SubmitResult result = network.contract("assets").submit("Put", "a1", "v");

        assertThat(result.attempts()).isEqualTo(1);
        assertThat(org2.calls(Network.ENDORSE)).isEqualTo(3);
        assertThat(orderer.calls(Network.BROADCAST)).isEqualTo(1);
    }

    @Test
    void aPeerThatStaysBusyIsReportedAsBusy() {
        ScriptedNode org1 = busyPeer("peer0.org1", "Org1", Integer.MAX_VALUE);
        ScriptedNode orderer = orderer("orderer1", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        Network network = network(List.of(org1.endpoint()), List.of(orderer.endpoint()));

        assertThatThrownBy(() -> network.contract("assets").evaluate("Read", "a1"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.EVALUATE);
                    assertThat(e.code()).isEqualTo(SdkErrorCode.PEERS_BUSY);
                });
        assertThat(org1.calls(Network.ENDORSE)).isEqualTo(Contract.BUSY_RETRIES + 1);
        assertThatThrownBy(() -> network.contract("assets").submit("Put", "a1", "v"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.ENDORSE);
                    assertThat(e.code()).isEqualTo(SdkErrorCode.PEERS_BUSY);
                    assertThat(e.missingOrganizations()).containsExactly("Org1");
                });
    }

    @Test
    void anOrdererRefusalIsNotRetriedElsewhere() {
        ScriptedNode org1 = peer("peer0.org1", "Org1", RESULTS);
        ScriptedNode refusing = orderer("orderer1", BroadcastStatus.FORBIDDEN, BroadcastReason.WRITERS_POLICY);
        ScriptedNode other = orderer("orderer2", BroadcastStatus.FORBIDDEN, BroadcastReason.WRITERS_POLICY);
        Network network = network(List.of(org1.endpoint()), List.of(refusing.endpoint(), other.endpoint()));

        assertThatThrownBy(() -> network.contract("assets").submit("Put", "a1", "v"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.ORDER);
                    assertThat(e.code()).isEqualTo(SdkErrorCode.ORDERING_REFUSED);
                    assertThat(e.getMessage()).contains("WRITERS_POLICY");
                });
        assertThat(refusing.calls(Network.BROADCAST) + other.calls(Network.BROADCAST)).isEqualTo(1);
    }

    @Test
    void noReachableOrdererIsReportedAsUnavailable() throws IOException {
        ScriptedNode org1 = peer("peer0.org1", "Org1", RESULTS);
        Network network = network(List.of(org1.endpoint()), List.of(closedPort("orderer1", "OrdererOrg"),
                closedPort("orderer2", "OrdererOrg")));

        assertThatThrownBy(() -> network.contract("assets").submit("Put", "a1", "v"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.ORDER);
                    assertThat(e.code()).isEqualTo(SdkErrorCode.ORDERERS_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("orderer1").contains("orderer2");
                });
    }

    @Test
    void anMvccConflictNamesTheKeyAndIsNotRetriedUnlessAsked() {
        ScriptedNode org1 = peer("peer0.org1", "Org1", RESULTS, "MVCC_READ_CONFLICT", "VALID");
        ScriptedNode orderer = orderer("orderer1", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        Network network = network(List.of(org1.endpoint()), List.of(orderer.endpoint()));
        Contract contract = network.contract("assets");

        assertThatThrownBy(() -> contract.submit("Transfer", "a1", "bob"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.COMMIT);
                    assertThat(e.code()).isEqualTo(SdkErrorCode.MVCC_READ_CONFLICT);
                    assertThat(e.validationCode()).contains("MVCC_READ_CONFLICT");
                    assertThat(e.conflict()).hasValueSatisfying(c -> {
                        assertThat(c.namespace()).isEqualTo("assets");
                        assertThat(c.key()).isEqualTo("a1");
                        assertThat(c.readVersion()).contains(new ReadConflict.KeyVersion(3, 1));
                        assertThat(c.committedVersion()).contains(new ReadConflict.KeyVersion(4, 0));
                    });
                    assertThat(e.getMessage()).contains("assets/a1");
                });
        assertThat(org1.calls(Network.ENDORSE)).as("no retry unless asked").isEqualTo(1);
    }

    @Test
    void anMvccConflictIsRetriedFromANewProposal() {
        ScriptedNode org1 = peer("peer0.org1", "Org1", RESULTS, "MVCC_READ_CONFLICT", "MVCC_READ_CONFLICT", "VALID");
        ScriptedNode orderer = orderer("orderer1", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        Network network = network(List.of(org1.endpoint()), List.of(orderer.endpoint()));

        SubmitResult result = network.contract("assets").submit(Invocation.of("Transfer", "a1", "bob").withMvccRetries(5));

        assertThat(result.attempts()).isEqualTo(3);
        assertThat(org1.calls(Network.ENDORSE)).isEqualTo(3);
        assertThat(orderer.calls(Network.BROADCAST)).isEqualTo(3);
    }

    @Test
    void aTransactionInvalidatedForAnotherReasonCarriesItsValidationCode() {
        ScriptedNode org1 = peer("peer0.org1", "Org1", RESULTS, "ENDORSEMENT_POLICY_FAILURE");
        ScriptedNode orderer = orderer("orderer1", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        Network network = network(List.of(org1.endpoint()), List.of(orderer.endpoint()));

        assertThatThrownBy(() -> network.contract("assets").submit(Invocation.of("Put", "k").withMvccRetries(3)))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.code()).isEqualTo(SdkErrorCode.TRANSACTION_INVALID);
                    assertThat(e.validationCode()).contains("ENDORSEMENT_POLICY_FAILURE");
                });
        assertThat(org1.calls(Network.ENDORSE)).as("only conflicts are retried").isEqualTo(1);
    }

    @Test
    void evaluateReturnsWhatTheContractReturnedFromOnePeer() {
        ScriptedNode org1 = peer("peer0.org1", "Org1", RESULTS);
        ScriptedNode org2 = peer("peer0.org2", "Org2", RESULTS);
        ScriptedNode orderer = orderer("orderer1", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        Network network = network(List.of(org2.endpoint(), org1.endpoint()), List.of(orderer.endpoint()));

        byte[] result = network.contract("assets").evaluate("Read", "a1");

        assertThat(new String(result, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("done");
        assertThat(org1.calls(Network.ENDORSE)).as("the client's own organization first").isEqualTo(1);
        assertThat(org2.calls(Network.ENDORSE)).isZero();
    }

    @Test
    void aContractWithoutAPolicyLearnsItFromAPeerOnceAndAsksOnlyTheOrganizationsItNeeds() {
        String or = "OR('Org1.peer', 'Org2.peer')";
        ScriptedNode org1 = policyPeer("peer0.org1", "Org1", List.of(defined(1, or)));
        ScriptedNode org2 = policyPeer("peer0.org2", "Org2", List.of(defined(1, or)));
        ScriptedNode orderer = orderer("orderer1", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        Network network = network(List.of(org2.endpoint(), org1.endpoint()), List.of(orderer.endpoint()));

        Contract contract = network.contract("assets");
        SubmitResult first = contract.submit("Put", "a1", "v");
        EndorsedTransaction second = network.contract("assets").endorse(Invocation.of("Put", "a2", "v"));

        assertThat(first.attempts()).isEqualTo(1);
        assertThat(second.endorsers()).hasSize(1);
        assertThat(org1.calls(Network.ENDORSE) + org2.calls(Network.ENDORSE)).as("one organization per transaction")
                .isEqualTo(2);
        assertThat(org1.calls(Network.CONTRACT_POLICY)).as("asked of the client's organization, once per network")
                .isEqualTo(1);
        assertThat(org2.calls(Network.CONTRACT_POLICY)).isZero();
        assertThat(contract.endorsementPlan()).isEqualTo(or);
        assertThat(network.contractPolicy("assets")).hasValueSatisfying(policy -> {
            assertThat(policy.sequence()).isEqualTo(1);
            assertThat(policy.organizations()).containsExactly("Org1", "Org2");
            assertThat(policy.channelDefault()).isFalse();
        });

        network.refresh();
        network.contract("assets").endorsementPlan();
        assertThat(org1.calls(Network.CONTRACT_POLICY)).as("refresh forgets what was learned").isEqualTo(2);
    }

    @Test
    void aContractThatIsNotDefinedIsReportedAsSuchAndNothingIsProposedButEvaluateStillAsksThePeer() {
        ContractPolicyResponse undefined = ContractPolicyResponse.newBuilder()
                .setOutcome(ContractPolicyOutcome.UNDEFINED_CONTRACT).setDetail("no definition of assets").build();
        ScriptedNode org1 = policyPeer("peer0.org1", "Org1", List.of(undefined));
        ScriptedNode org2 = policyPeer("peer0.org2", "Org2", List.of(undefined));
        ScriptedNode orderer = orderer("orderer1", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        Network network = network(List.of(org1.endpoint(), org2.endpoint()), List.of(orderer.endpoint()));

        assertThatThrownBy(() -> network.contract("assets").submit("Put", "a1", "v"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.ENDORSE);
                    assertThat(e.code()).isEqualTo(SdkErrorCode.CONTRACT_NOT_DEFINED);
                    assertThat(e.getMessage()).contains("'assets' is not defined on channel 'trade'")
                            .contains("define it first");
                });
        assertThat(org1.calls(Network.CONTRACT_POLICY) + org2.calls(Network.CONTRACT_POLICY))
                .as("a peer that may lag behind is not the only one asked").isEqualTo(2);
        assertThat(org1.calls(Network.ENDORSE) + org2.calls(Network.ENDORSE)).isZero();
        assertThat(orderer.calls(Network.BROADCAST)).isZero();
        assertThat(new String(network.contract("assets").evaluate("Read", "a1"), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("done");
    }

    @Test
    void aTransactionInvalidatedUnderARedefinedPolicyIsSubmittedOnceMoreUnderTheNewOne() {
        List<ContractPolicyResponse> redefined = List.of(defined(1, "OR('Org1.peer', 'Org2.peer')"),
                defined(2, "AND('Org1.peer', 'Org2.peer')"));
        ScriptedNode org1 = policyPeer("peer0.org1", "Org1", redefined, "ENDORSEMENT_POLICY_FAILURE", "VALID");
        ScriptedNode org2 = policyPeer("peer0.org2", "Org2", redefined);
        ScriptedNode orderer = orderer("orderer1", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        Network network = network(List.of(org1.endpoint(), org2.endpoint()), List.of(orderer.endpoint()));

        SubmitResult result = network.contract("assets").submit("Put", "a1", "v");

        assertThat(result.attempts()).isEqualTo(2);
        assertThat(org1.calls(Network.CONTRACT_POLICY)).isEqualTo(2);
        assertThat(org2.calls(Network.ENDORSE)).as("the new policy needs Org2 too").isEqualTo(1);
        assertThat(orderer.calls(Network.BROADCAST)).isEqualTo(2);
        assertThat(network.contractPolicy("assets")).hasValueSatisfying(p -> assertThat(p.sequence()).isEqualTo(2));
    }

    @Test
    void aTransactionInvalidatedUnderAnUnchangedDefinitionIsNotSubmittedAgain() {
        ScriptedNode org1 = policyPeer("peer0.org1", "Org1", List.of(defined(1, "OR('Org1.peer', 'Org2.peer')")),
                "ENDORSEMENT_POLICY_FAILURE");
        ScriptedNode orderer = orderer("orderer1", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        Network network = network(List.of(org1.endpoint()), List.of(orderer.endpoint()));

        assertThatThrownBy(() -> network.contract("assets").submit("Put", "a1", "v"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.code()).isEqualTo(SdkErrorCode.TRANSACTION_INVALID);
                    assertThat(e.validationCode()).contains("ENDORSEMENT_POLICY_FAILURE");
                });
        assertThat(org1.calls(Network.CONTRACT_POLICY)).as("asked again after the failure").isEqualTo(2);
        assertThat(orderer.calls(Network.BROADCAST)).isEqualTo(1);
    }

    @Test
    void peersThatDoNotTellPoliciesLeadToOneEndorsementPerOrganization() {
        ScriptedNode org1 = peer("peer0.org1", "Org1", RESULTS);
        ScriptedNode org2 = peer("peer0.org2", "Org2", RESULTS);
        ScriptedNode orderer = orderer("orderer1", BroadcastStatus.SUCCESS, BroadcastReason.REASON_NONE);
        Network network = network(List.of(org1.endpoint(), org2.endpoint()), List.of(orderer.endpoint()));

        assertThat(network.contractPolicy("assets")).isEmpty();
        assertThat(network.contract("assets").endorsementPlan()).contains("each organization").contains("Org1")
                .contains("Org2");
    }
}
