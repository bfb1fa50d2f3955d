package io.charter.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.client.cli.CliRun;
import io.charter.client.cli.ExitCodes;
import io.charter.client.wallet.TlsCredential;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.pki.Pem;
import io.charter.common.pki.Role;
import io.charter.common.testing.Await;
import io.charter.common.testing.RequiresDocker;
import io.charter.common.testing.TestPki;
import io.charter.peer.node.PeerNode;
import io.charter.peer.testing.TestContracts;
import io.charter.peer.testing.PeerDatabases;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.PeerAdminRefusal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The SDK against real nodes on loopback: an orderer and a PeerNode of each of Org1 and Org2 (PostgreSQL
 * in a container), the sample asset-transfer contract defined through the SDK with the endorsement
 * policy AND('Org1.peer', 'Org2.peer').
 */
@RequiresDocker
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoopbackNetworkSdkTest {

    private static final String CONTRACT = "asset-transfer";
    private static final String POLICY = "AND('Org1.peer', 'Org2.peer')";
    private static final Timeouts TIMEOUTS = Timeouts.defaults().withCommit(Duration.ofSeconds(30));

    private static PeerDatabases databases;
    private static LoopbackNetwork network;
    private static Path dir;
    private static Gateway org1Gateway;
    private static Gateway org2Gateway;
    private static Contract assets;
    private static String packageId;

    @BeforeAll
    static void startNetwork() throws Exception {
        // Register PostgreSQL's driver from this class loader: DriverManager looks its drivers up once per JVM,
        // and another test of this JVM may have made it do so from an isolated class loader (the local
        // network's membership service), leaving the driver of this one unregistered.
        Class.forName("org.postgresql.Driver");
        dir = Files.createTempDirectory("sdk-network");
        databases = PeerDatabases.start();
        network = new LoopbackNetwork(dir, databases);
        network.startAll();
        packageId = network.node("peer0.Org1").installedContracts().getFirst().packageId();
        define(1, POLICY);
        org1Gateway = network.gateway(network.identity("Org1", "alice", Role.CLIENT), TIMEOUTS);
        org2Gateway = network.gateway(network.identity("Org2", "bob", Role.CLIENT), TIMEOUTS);
        // the policy is learned from the channel (peer.ContractPolicy), not passed
        assets = org1Gateway.network(LoopbackNetwork.CHANNEL).contract(CONTRACT);
    }

    @AfterAll
    static void stopNetwork() {
        for (AutoCloseable closeable : new AutoCloseable[] {org1Gateway, org2Gateway, network, databases}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    /** Submits and waits until both peers committed the block, so the next proposal reads the same state on both. */
    private static SubmitResult submitAndSettle(Contract contract, Invocation invocation) {
        SubmitResult result = contract.submit(invocation);
        network.awaitPeersAt(result.blockNumber() + 1);
        return result;
    }

    @Test
    @Order(1)
    void aSubmitUnderAndOfTwoOrganizationsIsEndorsedByBothWithoutTheCallerPassingThePolicyAndBothOrganizationsReadIt() {
        assertThat(assets.endorsementPlan()).isEqualTo(io.charter.common.policy.Policy.parse(POLICY).text());
        assertThat(assets.network().contractPolicy(CONTRACT)).hasValueSatisfying(policy -> {
            assertThat(policy.sequence()).isEqualTo(1);
            assertThat(policy.channelDefault()).isFalse();
            assertThat(policy.organizations()).contains("Org1", "Org2");
        });
        EndorsedTransaction endorsed = assets.endorse(Invocation.of("CreateAsset", "a1", "blue", "5", "", "300"));
        assertThat(endorsed.endorsers()).extracting(NodeEndpoint::mspId).containsExactlyInAnyOrder("Org1", "Org2");

        SubmitResult result = assets.network().submit(endorsed);
        network.awaitPeersAt(result.blockNumber() + 1);

        assertThat(result.txId()).isEqualTo(endorsed.txId());
        assertThat(assets.network().commitStatus(result.txId()).isValid()).isTrue();
        assertThat(assets.network().transactionStatus(result.txId())).hasValueSatisfying(status -> {
            assertThat(status.isValid()).isTrue();
            assertThat(status.blockNumber()).isEqualTo(result.blockNumber());
        });
        assertThat(assets.network().transactionStatus("0".repeat(64))).isEmpty();
        assertThat(new String(assets.evaluate("ReadAsset", "a1"))).contains("alice@Org1");
        // an explicit policy still overrides what the channel says
        Contract seenByOrg2 = org2Gateway.network(LoopbackNetwork.CHANNEL).contract(CONTRACT, POLICY);
        assertThat(new String(seenByOrg2.evaluate("ReadAsset", "a1"))).contains("alice@Org1");
    }

    @Test
    @Order(2)
    void aContractFailureAndAnUndefinedContractAreReportedWithTheirCodes() {
        assertThatThrownBy(() -> assets.evaluate("ReadAsset", "no-such-asset"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.EVALUATE);
                    assertThat(e.code()).isEqualTo(SdkErrorCode.CONTRACT_FAILED);
                });
        Contract undefined = org1Gateway.network(LoopbackNetwork.CHANNEL).contract("nowhere");
        long height = network.ordererHeight();
        assertThatThrownBy(() -> undefined.submit("Anything"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.ENDORSE);
                    assertThat(e.code()).isEqualTo(SdkErrorCode.CONTRACT_NOT_DEFINED);
                    assertThat(e.getMessage()).contains("'nowhere' is not defined on channel").contains("define it first");
                });
        // evaluate asks the peer as before: its refusal names the reason
        assertThatThrownBy(() -> undefined.evaluate("Anything"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.EVALUATE);
                    assertThat(e.code()).isEqualTo(SdkErrorCode.PROPOSAL_REFUSED);
                    assertThat(e.endorsementFailures()).extracting(EndorsementFailure::reason).contains("UNDEFINED_CONTRACT");
                });
        assertThat(network.ordererHeight()).as("nothing was ordered").isEqualTo(height);
    }

    @Test
    @Order(3)
    void anMvccConflictIsSurfacedWithTheKeyThatChanged() {
        submitAndSettle(assets, Invocation.of("CreateAsset", "a2", "red", "3", "", "100"));
        EndorsedTransaction toBob = assets.endorse(Invocation.of("TransferAsset", "a2", "bob@Org2"));
        EndorsedTransaction toCarol = assets.endorse(Invocation.of("TransferAsset", "a2", "carol@Org2"));

        SubmitResult first = assets.network().submit(toBob);
        network.awaitPeersAt(first.blockNumber() + 1);

        assertThatThrownBy(() -> assets.network().submit(toCarol))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.COMMIT);
                    assertThat(e.code()).isEqualTo(SdkErrorCode.MVCC_READ_CONFLICT);
                    assertThat(e.txId()).contains(toCarol.txId());
                    assertThat(e.conflict()).hasValueSatisfying(conflict -> {
                        assertThat(conflict.namespace()).isEqualTo(CONTRACT);
                        assertThat(conflict.key()).contains("a2");
                        assertThat(conflict.readVersion()).isPresent();
                        assertThat(conflict.committedVersion()).hasValueSatisfying(v ->
                                assertThat(v.blockNumber()).isEqualTo(first.blockNumber()));
                    });
                    assertThat(e.getMessage()).contains("a2");
                });
        assertThat(new String(assets.evaluate("ReadAsset", "a2"))).contains("bob@Org2");
    }

    @Test
    @Order(4)
    void contractAndBlockEventsResumeFromABlockNumber() {
        long start = network.ordererHeight();
        SubmitResult created = submitAndSettle(assets, Invocation.of("CreateAsset", "a3", "green", "7", "", "50"));
        SubmitResult transferred = submitAndSettle(assets, Invocation.of("TransferAsset", "a3", "dave@Org2"));

        long resumeFrom;
        try (EventStream<ContractEvent> events = assets.network().contractEvents(CONTRACT, start)) {
            ContractEvent first = events.next(Duration.ofSeconds(30)).orElseThrow();
            assertThat(first.eventName()).isEqualTo("AssetCreated");
            assertThat(first.txId()).isEqualTo(created.txId());
            assertThat(first.blockNumber()).isEqualTo(created.blockNumber());
            assertThat(first.payloadText()).contains("a3");
            resumeFrom = events.nextBlockNumber();
        }
        assertThat(resumeFrom).isEqualTo(created.blockNumber() + 1);

        try (EventStream<ContractEvent> resumed = assets.network().contractEvents(CONTRACT, resumeFrom)) {
            ContractEvent next = resumed.next(Duration.ofSeconds(30)).orElseThrow();
            assertThat(next.eventName()).isEqualTo("AssetTransferred");
            assertThat(next.txId()).isEqualTo(transferred.txId());
            assertThat(next.blockNumber()).isEqualTo(transferred.blockNumber());
        }

        try (EventStream<BlockEvent> blocks = assets.network().blockEvents(created.blockNumber())) {
            List<Long> numbers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                BlockEvent block = blocks.next(Duration.ofSeconds(30)).orElseThrow();
                numbers.add(block.blockNumber());
                assertThat(block.validationCodes()).isNotEmpty();
            }
            assertThat(numbers).containsExactly(created.blockNumber(), created.blockNumber() + 1);
            assertThat(blocks.nextBlockNumber()).isEqualTo(created.blockNumber() + 2);
        }
        assertThat(assets.network().block(transferred.blockNumber(), Duration.ofSeconds(30)))
                .hasValueSatisfying(block -> assertThat(block.blockNumber()).isEqualTo(transferred.blockNumber()));
    }

    @Test
    @Order(5)
    void concurrentSubmitsThroughOneGatewayAllCommit() throws Exception {
        int count = 32;
        List<java.util.concurrent.Future<SubmitResult>> results = new ArrayList<>();
        long started = System.nanoTime();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                String id = "c" + i;
                results.add(executor.submit(() -> assets.submit("CreateAsset", id, "white", "1", "", "1")));
            }
        }
        long elapsedMillis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        java.util.Set<String> txIds = new java.util.HashSet<>();
        for (var result : results) {
            txIds.add(result.get().txId());
        }
        assertThat(txIds).hasSize(count);
        // for the record, not asserted: a shared 2-core machine measures nothing reliable
        System.out.printf("%d concurrent submits committed in %d ms (%.0f tx/s)%n", count, elapsedMillis,
                count * 1000.0 / elapsedMillis);
        network.awaitPeersAt(network.ordererHeight());
        assertThat(new String(assets.evaluate("ReadAsset", "c" + (count - 1)))).contains("white");
    }

    /** Org1's and Org2's admins approve the definition for their organizations, then Org1's admin commits it. */
    private static void define(long sequence, String policy) {
        ContractDefinition definition = ContractDefinition.newBuilder().setName(CONTRACT).setVersion(sequence + ".0")
                .setSequence(sequence).setEndorsementPolicy(policy).setPackageId(packageId).build();
        for (String org : List.of("Org1", "Org2")) {
            try (Gateway admin = network.gateway(network.identity(org, "admin" + org.substring(3), Role.ADMIN), TIMEOUTS)) {
                SubmitResult approved = admin.network(LoopbackNetwork.CHANNEL).approveContract(definition);
                network.awaitPeersAt(approved.blockNumber() + 1);
            }
        }
        try (Gateway admin = network.gateway(network.identity("Org1", "admin1", Role.ADMIN), TIMEOUTS)) {
            SubmitResult committed = admin.network(LoopbackNetwork.CHANNEL).commitContract(definition);
            network.awaitPeersAt(committed.blockNumber() + 1);
        }
    }

    @Test
    @Order(6)
    void aOneOrganizationPolicyAsksOneOrganizationAndARedefinitionIsLearnedWhenATransactionFailsItsPolicy() {
        define(2, "OR('Org1.peer', 'Org2.peer')");
        Contract relaxed = org1Gateway.network(LoopbackNetwork.CHANNEL).contract(CONTRACT);
        EndorsedTransaction one = relaxed.endorse(Invocation.of("CreateAsset", "a5", "grey", "2", "", "20"));
        assertThat(one.endorsers()).extracting(NodeEndpoint::mspId).as("one organization satisfies the OR")
                .containsExactly("Org1");
        SubmitResult committed = relaxed.network().submit(one);
        network.awaitPeersAt(committed.blockNumber() + 1);
        assertThat(relaxed.network().commitStatus(committed.txId()).isValid()).isTrue();

        // redefined with AND again: the network above still plans with the OR of sequence 2; its transaction
        // fails the policy at validation, the SDK learns sequence 3 and submits once more under it
        define(3, POLICY);
        SubmitResult resubmitted = relaxed.submit("CreateAsset", "a6", "grey", "2", "", "20");
        network.awaitPeersAt(resubmitted.blockNumber() + 1);
        assertThat(resubmitted.attempts()).isEqualTo(2);
        assertThat(relaxed.network().contractPolicy(CONTRACT)).hasValueSatisfying(p -> assertThat(p.sequence()).isEqualTo(3));
        assertThat(new String(assets.evaluate("ReadAsset", "a6"))).contains("grey");
    }

    @Test
    @Order(7)
    void aSubmitIsRefusedNamingTheOrganizationWhosePeerIsDown() {
        network.stop("peer0.Org2");
        try {
            long height = network.ordererHeight();
            assertThatThrownBy(() -> assets.submit("CreateAsset", "a4", "black", "1", "", "10"))
                    .isInstanceOfSatisfying(SdkException.class, e -> {
                        assertThat(e.step()).isEqualTo(Step.ENDORSE);
                        assertThat(e.code()).isEqualTo(SdkErrorCode.ENDORSEMENT_POLICY_NOT_SATISFIED);
                        assertThat(e.missingOrganizations()).containsExactly("Org2");
                        assertThat(e.endorsementFailures()).singleElement().satisfies(f -> {
                            assertThat(f.mspId()).isEqualTo("Org2");
                            assertThat(f.reason()).isEqualTo("UNAVAILABLE");
                        });
                        assertThat(e.getMessage()).contains("Org2");
                    });
            assertThat(network.ordererHeight()).as("nothing was ordered").isEqualTo(height);
        } finally {
            network.start("peer0.Org2");
        }
    }

    @Test
    @Order(7)
    void theCliInstallsAContractOnAndJoinsAPlainPeerCoreOverItsTransportAsTheOrganizationsAdmin() throws Exception {
        PeerNode peer = network.startUnjoined("Org1", "peer1");
        Path home = Files.createDirectories(dir.resolve("cli-home"));
        Wallet wallet = new Wallet(home.resolve("wallet"));
        for (String mspId : List.of("Org1", "Org2")) {
            TestPki.Credential signing = network.pki.organization(mspId).enroll(mspId.toLowerCase() + "-admin", Role.ADMIN);
            TestPki.Credential tls = network.pki.organization(mspId).enrollTls(mspId.toLowerCase() + "-admin", Role.ADMIN);
            wallet.put(new WalletIdentity(mspId.toLowerCase() + "-admin", signing.certificate(),
                    signing.chain().subList(1, signing.chain().size()), signing.keys().getPrivate(),
                    Optional.of(new TlsCredential(tls.certificate(), tls.chain().subList(1, tls.chain().size()),
                            tls.keys().getPrivate()))), false);
        }
        Path root = Files.writeString(home.resolve("root.pem"), Pem.encodeCertificate(network.pki.root().certificate()));
        Path jar = Files.write(home.resolve("asset-transfer.jar"), TestContracts.assetTransferJar());
        Path genesis = Files.write(home.resolve("genesis.block"), network.genesis.toByteArray());
        String address = "127.0.0.1:" + peer.port();

        CliRun refused = CliRun.charter(home, "contract", "install", "--peer", address, "--tls-root", root.toString(),
                "--as", "org2-admin", jar.toString(), "-o", "json");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.err()).contains("PERMISSION_DENIED").contains("call it with an identity of Org1 in the role admin")
                .doesNotContain("\tat ");
        assertThat(peer.installedContracts()).isEmpty();

        CliRun installed = CliRun.charter(home, "contract", "install", "--peer", address, "--tls-root", root.toString(),
                "--as", "org1-admin", jar.toString());
        assertThat(installed.exitCode()).as(installed.toString()).isZero();
        String packageId = peer.installedContracts().getFirst().packageId();
        assertThat(installed.out()).contains("installed on " + address + ": package id " + packageId);
        CliRun again = CliRun.charter(home, "contract", "install", "--peer", address, "--tls-root", root.toString(),
                "--as", "org1-admin", jar.toString(), "-o", "json");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("\"alreadyInstalled\" : true").contains(packageId);
        assertThat(peer.installedContracts()).hasSize(1);
        // what the SDK hands a caller for the peer's refusal: the wire enum, from the error frame's reason
        try (PeerAdmin admin = PeerAdmin.connect(network.identity("Org1", "admin1", Role.ADMIN),
                List.of(network.pki.root().certificate()), "127.0.0.1", peer.port(), Duration.ofSeconds(30))) {
            assertThatThrownBy(() -> admin.install("not a jar".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOfSatisfying(PeerAdmin.PeerAdminException.class, e -> {
                        assertThat(e.refusal()).isEqualTo(PeerAdminRefusal.INVALID_CONTRACT_PACKAGE);
                        assertThat(e.code()).isEqualTo("INVALID_CONTRACT_PACKAGE");
                    });
        }

        CliRun joined = CliRun.charter(home, "channel", "join", "--peer", address, "--tls-root", root.toString(),
                "--as", "org1-admin", "--genesis", genesis.toString());
        assertThat(joined.exitCode()).as(joined.toString()).isZero();
        assertThat(joined.out()).contains(address + " joined channel " + LoopbackNetwork.CHANNEL);
        assertThat(peer.channel(LoopbackNetwork.CHANNEL)).isPresent();
        // it catches up with the orderer like any peer of the channel
        Await.until("the joined peer at the orderer's height", () -> peer.channel(LoopbackNetwork.CHANNEL)
                .map(c -> c.height() >= network.ordererHeight()).orElse(false));
    }
}
