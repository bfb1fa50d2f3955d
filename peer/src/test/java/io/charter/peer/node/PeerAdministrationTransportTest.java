package io.charter.peer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.logging.LogLevels;
import io.charter.common.logging.LogSpec;
import io.charter.common.logging.LogbackLevels;
import io.charter.common.pki.Role;
import io.charter.common.protocol.Blocks;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.common.protocol.TransactionIds;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportException;
import io.charter.peer.administration.AdminRefusal;
import io.charter.peer.administration.PeerAdministration;
import io.charter.peer.contract.ContractPackage;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerNetwork;
import io.charter.peer.testing.TestContracts;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelsRequest;
import io.charter.protocol.CreateSnapshotRequest;
import io.charter.protocol.CreateSnapshotResponse;
import io.charter.protocol.SnapshotsRequest;
import io.charter.protocol.SnapshotsResponse;
import io.charter.protocol.ChannelsResponse;
import io.charter.protocol.HeaderType;
import io.charter.protocol.InstallContractRequest;
import io.charter.protocol.InstallContractResponse;
import io.charter.protocol.InstalledContractsRequest;
import io.charter.protocol.InstalledContractsResponse;
import io.charter.protocol.JoinChannelRequest;
import io.charter.protocol.JoinChannelResponse;
import io.charter.protocol.JoinedChannel;
import io.charter.protocol.LeaveChannelRequest;
import io.charter.protocol.LeaveChannelResponse;
import io.charter.protocol.LogSpecRequest;
import io.charter.protocol.LogSpecResponse;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.PeerAdminRefusal;
import io.charter.protocol.PeerAdminRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The administration methods over the real transport (peer.InstallContract, peer.JoinChannel,
 * peer.InstalledContracts, peer.Channels), signed by the caller: an admin of the peer's organization
 * installs and joins (both idempotent); anyone else, a bad signature, a replay or bad input is refused with
 * its code, and nothing is installed or joined.
 */
class PeerAdministrationTransportTest extends PeerNetworkTestBase {

    private static final Duration CALL = Duration.ofSeconds(30);
    /** An identity as a CLI would use it: its signing credential and its TLS credential. */
    private record Caller(TestPki.Credential signing, TestPki.Credential tls) {}

    private Caller enroll(String mspId, String name, Role role) {
        return new Caller(network.pki.organization(mspId).enroll(name, role),
                network.pki.organization(mspId).enrollTls(name, role));
    }

    private static ByteString signed(TestPki.Credential signer, PeerAdminRequest request, Instant at) {
        ByteString creator = ChannelFixture.identity(signer);
        ByteString nonce = TransactionIds.newNonce();
        PayloadHeader header = PayloadHeader.newBuilder().setType(HeaderType.PEER_ADMIN)
                .setTxId(TransactionIds.compute(nonce, creator)).setNonce(nonce).setCreator(creator)
                .setTimestamp(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano())).build();
        return Envelopes.seal(header, request.toByteString(), EcdsaSigner.of(signer.keys())).toByteString();
    }

    private static PeerAdminRequest install(byte[] jar) {
        return PeerAdminRequest.newBuilder().setInstallContract(InstallContractRequest.newBuilder()
                .setContractJar(ByteString.copyFrom(jar))).build();
    }

    private static PeerAdminRequest join(byte[] genesis) {
        return PeerAdminRequest.newBuilder().setJoinChannel(JoinChannelRequest.newBuilder()
                .setGenesisBlock(ByteString.copyFrom(genesis))).build();
    }

    private ByteString call(TransportClient client, String method, ByteString body) throws Exception {
        return client.call(method, body, CALL).get(60, TimeUnit.SECONDS);
    }

    /** The refusal of a call: asserts its transport code, its wire enum in the frame's reason and at the start of the message. */
    private void assertRefused(TransportClient client, String method, ByteString body, AdminRefusal refusal) {
        ExecutionException failure = catchThrowableOfType(ExecutionException.class,
                () -> client.call(method, body, CALL).get(60, TimeUnit.SECONDS));
        assertThat(failure).as("a refusal with " + refusal).isNotNull();
        assertThat(failure.getCause()).isInstanceOf(TransportException.class);
        TransportException refused = (TransportException) failure.getCause();
        assertThat(refused.code()).as(refused.getMessage()).isEqualTo(refusal.transportCode());
        // what a client sees: the frame's reason names the wire value (the SDK's PeerAdminException.refusal())
        assertThat(refused.reason().map(PeerAdminRefusal::valueOf)).contains(refusal.wire());
        assertThat(refused.detail()).startsWith(refusal.name() + ": ");
    }

    /**
     * The refusal of the transport's access table, before the signed request is opened: only admins of the
     * peer's organization may call its administration methods.
     */
    private void assertDeniedByTable(TransportClient client, String method, ByteString body) {
        ExecutionException failure = catchThrowableOfType(ExecutionException.class,
                () -> client.call(method, body, CALL).get(60, TimeUnit.SECONDS));
        assertThat(failure).as("a refusal by the access table").isNotNull();
        TransportException refused = (TransportException) failure.getCause();
        assertThat(refused.code()).as(refused.getMessage()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(refused.detail()).startsWith(method + " is for admin of ");
    }

    @Test
    void anOrganizationAdminInstallsAContractIdempotentlyAndEveryoneElseIsRefusedWithNothingInstalled() throws Exception {
        network = new PeerNetwork(dir, databases, 1, 1);
        PeerNode peer = network.start("peer0.Org1");
        Caller admin = enroll("Org1", "org1-admin", Role.ADMIN);
        Caller member = enroll("Org1", "org1-user", Role.CLIENT);
        Caller otherAdmin = enroll("Org2", "org2-admin", Role.ADMIN);
        Caller stranger = enroll("Org1", "org1-admin", Role.ADMIN);
        byte[] jar = TestContracts.assetTransferJar();
        TransportClient asAdmin = network.connect("peer0.Org1", admin.tls());
        TransportClient asMember = network.connect("peer0.Org1", member.tls());
        TransportClient asOtherAdmin = network.connect("peer0.Org1", otherAdmin.tls());

        assertDeniedByTable(asMember, PeerMethodNames.INSTALL_CONTRACT, signed(member.signing(), install(jar), Instant.now()));
        assertDeniedByTable(asOtherAdmin, PeerMethodNames.INSTALL_CONTRACT, signed(otherAdmin.signing(), install(jar), Instant.now()));
        // an admin's TLS connection carrying a member's signed request, and the reverse
        assertRefused(asAdmin, PeerMethodNames.INSTALL_CONTRACT, signed(member.signing(), install(jar), Instant.now()),
                AdminRefusal.NOT_ADMIN);
        assertDeniedByTable(asMember, PeerMethodNames.INSTALL_CONTRACT, signed(admin.signing(), install(jar), Instant.now()));
        // another admin's signed request on this admin's connection
        Caller secondAdmin = enroll("Org1", "org1-admin2", Role.ADMIN);
        assertRefused(asAdmin, PeerMethodNames.INSTALL_CONTRACT, signed(secondAdmin.signing(), install(jar), Instant.now()),
                AdminRefusal.CREATOR_MISMATCH);
        // signed by a key that is not the creator's: the certificate claims an admin, the signature is another key's
        ByteString forged = signed(admin.signing(), install(jar), Instant.now());
        io.charter.protocol.Envelope envelope = io.charter.protocol.Envelope.parseFrom(forged);
        ByteString badSignature = envelope.toBuilder().setSignature(ByteString.copyFrom(
                EcdsaSigner.of(stranger.signing().keys()).sign(envelope.getPayload().toByteArray()))).build().toByteString();
        assertRefused(asAdmin, PeerMethodNames.INSTALL_CONTRACT, badSignature, AdminRefusal.BAD_SIGNATURE);
        assertRefused(asAdmin, PeerMethodNames.INSTALL_CONTRACT,
                signed(admin.signing(), install(jar), Instant.now().minus(Duration.ofMinutes(30))), AdminRefusal.STALE_REQUEST);
        assertRefused(asAdmin, PeerMethodNames.INSTALL_CONTRACT, ByteString.copyFromUtf8("not an envelope"),
                AdminRefusal.MALFORMED_REQUEST);
        assertRefused(asAdmin, PeerMethodNames.JOIN_CHANNEL, signed(admin.signing(), install(jar), Instant.now()),
                AdminRefusal.MALFORMED_REQUEST);
        assertRefused(asAdmin, PeerMethodNames.INSTALL_CONTRACT,
                signed(admin.signing(), install("not a jar".getBytes()), Instant.now()), AdminRefusal.INVALID_CONTRACT_PACKAGE);
        assertRefused(asAdmin, PeerMethodNames.INSTALL_CONTRACT, signed(admin.signing(),
                install(new byte[PeerAdministration.MAX_CONTRACT_BYTES + 1]), Instant.now()), AdminRefusal.TOO_LARGE);
        assertThat(peer.installedContracts()).as("nothing installed by a refused request").isEmpty();
        assertThat(dir.resolve("peer0.Org1").resolve("contracts").toFile().list()).isNullOrEmpty();

        ByteString first = signed(admin.signing(), install(jar), Instant.now());
        InstallContractResponse installed = InstallContractResponse.parseFrom(call(asAdmin, PeerMethodNames.INSTALL_CONTRACT, first));
        assertThat(installed.getAlreadyInstalled()).isFalse();
        assertThat(installed.getContract().getName()).isEqualTo("asset-transfer");
        assertThat(peer.installedContracts()).extracting(ContractPackage::packageId)
                .containsExactly(installed.getContract().getPackageId());

        InstallContractResponse again = InstallContractResponse.parseFrom(call(asAdmin, PeerMethodNames.INSTALL_CONTRACT,
                signed(admin.signing(), install(jar), Instant.now())));
        assertThat(again.getAlreadyInstalled()).isTrue();
        assertThat(again.getContract()).isEqualTo(installed.getContract());
        assertThat(peer.installedContracts()).hasSize(1);

        assertRefused(asAdmin, PeerMethodNames.INSTALL_CONTRACT, first, AdminRefusal.REPLAYED_REQUEST);

        InstalledContractsResponse listed = InstalledContractsResponse.parseFrom(call(asAdmin, PeerMethodNames.INSTALLED_CONTRACTS,
                signed(admin.signing(), PeerAdminRequest.newBuilder()
                        .setInstalledContracts(InstalledContractsRequest.getDefaultInstance()).build(), Instant.now())));
        assertThat(listed.getContractsList()).containsExactly(installed.getContract());
        ChannelsResponse channels = ChannelsResponse.parseFrom(call(asAdmin, PeerMethodNames.CHANNELS, signed(admin.signing(),
                PeerAdminRequest.newBuilder().setChannels(ChannelsRequest.getDefaultInstance()).build(), Instant.now())));
        assertThat(channels.getChannelsList()).extracting(JoinedChannel::getChannelId).containsExactly(ChannelFixture.CHANNEL);
        assertDeniedByTable(asMember, PeerMethodNames.CHANNELS, signed(member.signing(),
                PeerAdminRequest.newBuilder().setChannels(ChannelsRequest.getDefaultInstance()).build(), Instant.now()));
    }

    @Test
    void aPeerThatJoinedNoChannelJoinsOneFromItsGenesisBlockAndRefusesBadBlocksAndOtherOrganizations() throws Exception {
        network = new PeerNetwork(dir, databases, 1, 1);
        PeerNetwork.PeerSpec spec = network.specs.get("peer0.Org2");
        // a fresh peer: no channel, reachable through the consortium root its host trusts
        PeerNode peer = new PeerNode(network.settings(spec).withTrustedRoots(List.of(network.pki.root().certificate())));
        peer.administration().joinChannelsThrough(genesis -> peer.join(spec.dataSource(), genesis));
        peer.start();
        network.nodes.put("peer0.Org2", peer);
        Caller admin = enroll("Org2", "org2-admin", Role.ADMIN);
        Caller otherAdmin = enroll("Org1", "org1-admin", Role.ADMIN);
        TransportClient asAdmin = network.connect("peer0.Org2", admin.tls());
        TransportClient asOtherAdmin = network.connect("peer0.Org2", otherAdmin.tls());
        byte[] genesis = network.genesis.toByteArray();

        assertDeniedByTable(asOtherAdmin, PeerMethodNames.JOIN_CHANNEL, signed(otherAdmin.signing(), join(genesis), Instant.now()));
        assertRefused(asAdmin, PeerMethodNames.JOIN_CHANNEL, signed(admin.signing(), join("not a block".getBytes()),
                Instant.now()), AdminRefusal.NOT_A_GENESIS_BLOCK);
        byte[] notGenesis = network.genesis.toBuilder().setHeader(network.genesis.getHeader().toBuilder().setNumber(1))
                .build().toByteArray();
        assertRefused(asAdmin, PeerMethodNames.JOIN_CHANNEL, signed(admin.signing(), join(notGenesis), Instant.now()),
                AdminRefusal.NOT_A_GENESIS_BLOCK);
        byte[] noConfig = Block.newBuilder().setHeader(network.genesis.getHeader()).build().toByteArray();
        assertRefused(asAdmin, PeerMethodNames.JOIN_CHANNEL, signed(admin.signing(), join(noConfig), Instant.now()),
                AdminRefusal.NOT_A_GENESIS_BLOCK);
        assertThat(peer.channels()).as("nothing joined by a refused request").isEmpty();
        assertThat(new io.charter.peer.ledger.PostgresLedger(spec.dataSource(), ChannelFixture.CHANNEL).block(0)).isEmpty();

        JoinChannelResponse joined = JoinChannelResponse.parseFrom(call(asAdmin, PeerMethodNames.JOIN_CHANNEL,
                signed(admin.signing(), join(genesis), Instant.now())));
        assertThat(joined.getAlreadyJoined()).isFalse();
        assertThat(joined.getChannel().getChannelId()).isEqualTo(ChannelFixture.CHANNEL);
        assertThat(peer.channel(ChannelFixture.CHANNEL)).isPresent();

        JoinChannelResponse again = JoinChannelResponse.parseFrom(call(asAdmin, PeerMethodNames.JOIN_CHANNEL,
                signed(admin.signing(), join(genesis), Instant.now())));
        assertThat(again.getAlreadyJoined()).isTrue();

        Block otherGenesis = Blocks.genesisBlock(ChannelContextOf.config(network.genesis).toBuilder()
                .putPolicies("Extra", "OR('Org2.member')").build(), Instant.now());
        assertRefused(asAdmin, PeerMethodNames.JOIN_CHANNEL, signed(admin.signing(), join(otherGenesis.toByteArray()),
                Instant.now()), AdminRefusal.ALREADY_JOINED);
        assertThat(peer.channels()).hasSize(1);
    }

    /** The channel configuration of a genesis block. */
    private static final class ChannelContextOf {
        static io.charter.protocol.ChannelConfig config(Block genesis) {
            return io.charter.peer.validation.ChannelContext.configOf(genesis);
        }
    }

    private static PeerAdminRequest logSpec(String spec) {
        return PeerAdminRequest.newBuilder().setLogSpec(LogSpecRequest.newBuilder().setSpec(spec)).build();
    }

    @Test
    void anOrganizationAdminReadsAndChangesTheLogLevelsAndABadSpecOrAnyoneElseChangesNothing() throws Exception {
        network = new PeerNetwork(dir, databases, 1, 1);
        network.start("peer0.Org1");
        Caller admin = enroll("Org1", "org1-admin", Role.ADMIN);
        Caller member = enroll("Org1", "org1-user", Role.CLIENT);
        Caller otherAdmin = enroll("Org2", "org2-admin", Role.ADMIN);
        TransportClient asAdmin = network.connect("peer0.Org1", admin.tls());
        TransportClient asMember = network.connect("peer0.Org1", member.tls());
        TransportClient asOtherAdmin = network.connect("peer0.Org1", otherAdmin.tls());
        LogLevels levels = LogbackLevels.ofProcess().orElseThrow();
        LogSpec before = levels.current();
        try {
            String read = LogSpecResponse.parseFrom(call(asAdmin, PeerMethodNames.LOG_SPEC,
                    signed(admin.signing(), logSpec(""), Instant.now()))).getSpec();
            assertThat(read).isEqualTo(before.toString());

            assertDeniedByTable(asMember, PeerMethodNames.LOG_SPEC, signed(member.signing(), logSpec("trace"), Instant.now()));
            assertDeniedByTable(asOtherAdmin, PeerMethodNames.LOG_SPEC,
                    signed(otherAdmin.signing(), logSpec("trace"), Instant.now()));
            assertRefused(asAdmin, PeerMethodNames.LOG_SPEC, signed(admin.signing(), logSpec("info:io..charter=debug"),
                    Instant.now()), AdminRefusal.INVALID_LOG_SPEC);
            assertRefused(asAdmin, PeerMethodNames.LOG_SPEC, signed(admin.signing(), logSpec("loud"), Instant.now()),
                    AdminRefusal.INVALID_LOG_SPEC);
            assertThat(levels.current()).as("nothing changed by a refused request").isEqualTo(before);

            String set = LogSpecResponse.parseFrom(call(asAdmin, PeerMethodNames.LOG_SPEC, signed(admin.signing(),
                    logSpec("warn:io.charter.peer.validation=debug"), Instant.now()))).getSpec();
            assertThat(set).isEqualTo("warn:io.charter.peer.validation=debug");
            assertThat(org.slf4j.LoggerFactory.getLogger("io.charter.peer.validation.BlockValidator").isDebugEnabled())
                    .isTrue();
            assertThat(org.slf4j.LoggerFactory.getLogger("io.charter.peer.ledger").isInfoEnabled()).isFalse();
        } finally {
            levels.apply(before);
        }
    }

    /**
     * Snapshots over the transport: only an admin of the peer's organization (the transport's table refuses a
     * member and another organization's admin before reading; a member's signed request on an admin's connection
     * is NOT_ADMIN); peers of both organizations at the same height agree on the hash; once per height.
     */
    @Test
    void organizationAdminsSnapshotAChannelAndPeersOfBothOrganizationsAgreeOnItsHash() throws Exception {
        network = new PeerNetwork(dir, databases, 1, 1);
        network.startAll();
        network.submit("snap", 12);
        long height = network.awaitConverged(PeerNetwork.PATIENCE);
        Map<String, SnapshotsResponse> listed = new java.util.HashMap<>();
        Map<String, io.charter.protocol.Snapshot> written = new java.util.HashMap<>();
        for (String name : List.of("peer0.Org1", "peer0.Org2")) {
            String mspId = network.specs.get(name).mspId();
            network.nodes.get(name).administration().snapshotsIn(new io.charter.peer.snapshot.SnapshotStore(
                    dir.resolve("snapshots-" + name), new io.charter.peer.snapshot.SnapshotWriter(network.specs.get(name).dataSource())));
            Caller admin = enroll(mspId, mspId.toLowerCase(java.util.Locale.ROOT) + "-snapshot-admin", Role.ADMIN);
            Caller member = enroll(mspId, mspId.toLowerCase(java.util.Locale.ROOT) + "-snapshot-user", Role.CLIENT);
            TransportClient asAdmin = network.connect(name, admin.tls());
            TransportClient asMember = network.connect(name, member.tls());
            assertDeniedByTable(asMember, PeerMethodNames.CREATE_SNAPSHOT,
                    signed(member.signing(), snapshot(ChannelFixture.CHANNEL), Instant.now()));
            assertRefused(asAdmin, PeerMethodNames.CREATE_SNAPSHOT,
                    signed(member.signing(), snapshot(ChannelFixture.CHANNEL), Instant.now()), AdminRefusal.NOT_ADMIN);
            assertRefused(asAdmin, PeerMethodNames.CREATE_SNAPSHOT,
                    signed(admin.signing(), snapshot("never-joined"), Instant.now()), AdminRefusal.NOT_JOINED);
            assertThat(dir.resolve("snapshots-" + name)).as("nothing written by a refused request").doesNotExist();

            written.put(name, CreateSnapshotResponse.parseFrom(call(asAdmin, PeerMethodNames.CREATE_SNAPSHOT,
                    signed(admin.signing(), snapshot(ChannelFixture.CHANNEL), Instant.now()))).getSnapshot());
            assertRefused(asAdmin, PeerMethodNames.CREATE_SNAPSHOT,
                    signed(admin.signing(), snapshot(ChannelFixture.CHANNEL), Instant.now()), AdminRefusal.SNAPSHOT_EXISTS);
            listed.put(name, SnapshotsResponse.parseFrom(call(asAdmin, PeerMethodNames.SNAPSHOTS, signed(admin.signing(),
                    PeerAdminRequest.newBuilder().setSnapshots(SnapshotsRequest.newBuilder()
                            .setChannelId(ChannelFixture.CHANNEL)).build(), Instant.now()))));
        }
        io.charter.protocol.Snapshot org1 = written.get("peer0.Org1");
        io.charter.protocol.Snapshot org2 = written.get("peer0.Org2");
        assertThat(org1.getHeight()).isEqualTo(height);
        assertThat(org2.getHeight()).isEqualTo(height);
        assertThat(org1.getSnapshotHash()).as("the same ledger at the same height").isEqualTo(org2.getSnapshotHash());
        // the 12 keys written, and the contract's definition in the lifecycle namespace
        assertThat(org1.getFilesList().getFirst().getRecords()).isGreaterThan(12);
        assertThat(org1.getFilesList()).isEqualTo(org2.getFilesList());
        assertThat(listed.get("peer0.Org2").getSnapshotsList()).extracting(io.charter.protocol.Snapshot::getSnapshotHash)
                .containsExactly(org1.getSnapshotHash());
    }

    private static PeerAdminRequest snapshot(String channelId) {
        return PeerAdminRequest.newBuilder().setCreateSnapshot(CreateSnapshotRequest.newBuilder().setChannelId(channelId))
                .build();
    }

    private static PeerAdminRequest leave(String channelId, boolean removeData) {
        return PeerAdminRequest.newBuilder().setLeaveChannel(LeaveChannelRequest.newBuilder().setChannelId(channelId)
                .setRemoveData(removeData)).build();
    }

    private List<String> channelsOf(TransportClient client, Caller admin) throws Exception {
        return ChannelsResponse.parseFrom(call(client, PeerMethodNames.CHANNELS, signed(admin.signing(),
                PeerAdminRequest.newBuilder().setChannels(ChannelsRequest.getDefaultInstance()).build(), Instant.now())))
                .getChannelsList().stream().map(JoinedChannel::getChannelId).toList();
    }

    @Test
    void anOrganizationAdminLeavesAChannelKeepingOrRemovingItsLedgerWhileThePeerServesItsOtherChannels() throws Exception {
        network = new PeerNetwork(dir, databases, 1, 1);
        PeerNetwork.PeerSpec spec = network.specs.get("peer0.Org1");
        PeerNode peer = network.start("peer0.Org1");
        JoinedChannels record = new JoinedChannels(dir.resolve("host-record"));
        peer.administration().joinChannelsThrough(genesis -> {
            ChannelPeer channel = peer.join(spec.dataSource(), genesis);
            record.add(channel.channelId());
            return channel;
        });
        peer.administration().leaveChannelsThrough((channelId, removeData) -> {
            boolean left = peer.leave(channelId, removeData);
            if (left) {
                record.remove(channelId);
            }
            return left;
        });
        Block other = Blocks.genesisBlock(ChannelContextOf.config(network.genesis).toBuilder().setChannelId("other")
                .build(), Instant.now());
        peer.join(spec.dataSource(), other);
        Caller admin = enroll("Org1", "org1-admin", Role.ADMIN);
        Caller member = enroll("Org1", "org1-user", Role.CLIENT);
        Caller otherAdmin = enroll("Org2", "org2-admin", Role.ADMIN);
        TransportClient asAdmin = network.connect("peer0.Org1", admin.tls());
        TransportClient asMember = network.connect("peer0.Org1", member.tls());
        TransportClient asOtherAdmin = network.connect("peer0.Org1", otherAdmin.tls());
        io.charter.peer.ledger.PostgresLedger ledger =
                new io.charter.peer.ledger.PostgresLedger(spec.dataSource(), ChannelFixture.CHANNEL);

        assertDeniedByTable(asMember, PeerMethodNames.LEAVE_CHANNEL,
                signed(member.signing(), leave(ChannelFixture.CHANNEL, true), Instant.now()));
        assertDeniedByTable(asOtherAdmin, PeerMethodNames.LEAVE_CHANNEL,
                signed(otherAdmin.signing(), leave(ChannelFixture.CHANNEL, true), Instant.now()));
        assertRefused(asAdmin, PeerMethodNames.LEAVE_CHANNEL,
                signed(member.signing(), leave(ChannelFixture.CHANNEL, true), Instant.now()), AdminRefusal.NOT_ADMIN);
        assertRefused(asAdmin, PeerMethodNames.LEAVE_CHANNEL,
                signed(admin.signing(), leave("never-joined", false), Instant.now()), AdminRefusal.NOT_JOINED);
        assertThat(channelsOf(asAdmin, admin)).as("nothing left by a refused request")
                .containsExactlyInAnyOrder(ChannelFixture.CHANNEL, "other");
        assertThat(ledger.block(0)).isPresent();

        LeaveChannelResponse kept = LeaveChannelResponse.parseFrom(call(asAdmin, PeerMethodNames.LEAVE_CHANNEL,
                signed(admin.signing(), leave(ChannelFixture.CHANNEL, false), Instant.now())));
        assertThat(kept.getChannelId()).isEqualTo(ChannelFixture.CHANNEL);
        assertThat(kept.getHeight()).isPositive();
        assertThat(kept.getDataRemoved()).isFalse();
        assertThat(peer.channel(ChannelFixture.CHANNEL)).isEmpty();
        assertThat(channelsOf(asAdmin, admin)).as("the peer runs on, serving its other channel").containsExactly("other");
        assertThat(record.hasLeft(ChannelFixture.CHANNEL)).as("recorded by the host: not rejoined at start").isTrue();
        assertThat(new io.charter.peer.ledger.PostgresLedger(spec.dataSource(), ChannelFixture.CHANNEL).height())
                .as("the ledger kept").isEqualTo(kept.getHeight());
        assertRefused(asAdmin, PeerMethodNames.LEAVE_CHANNEL,
                signed(admin.signing(), leave(ChannelFixture.CHANNEL, false), Instant.now()), AdminRefusal.NOT_JOINED);

        // joined again from the same genesis block: the kept ledger is reopened at its height
        JoinChannelResponse rejoined = JoinChannelResponse.parseFrom(call(asAdmin, PeerMethodNames.JOIN_CHANNEL,
                signed(admin.signing(), join(network.genesis.toByteArray()), Instant.now())));
        assertThat(rejoined.getChannel().getHeight()).isGreaterThanOrEqualTo(kept.getHeight());
        assertThat(record.hasLeft(ChannelFixture.CHANNEL)).isFalse();

        LeaveChannelResponse removed = LeaveChannelResponse.parseFrom(call(asAdmin, PeerMethodNames.LEAVE_CHANNEL,
                signed(admin.signing(), leave(ChannelFixture.CHANNEL, true), Instant.now())));
        assertThat(removed.getDataRemoved()).isTrue();
        assertThat(new io.charter.peer.ledger.PostgresLedger(spec.dataSource(), ChannelFixture.CHANNEL).height())
                .as("the ledger deleted").isZero();
        assertThat(new io.charter.peer.ledger.PostgresLedger(spec.dataSource(), "other").height())
                .as("the other channel's ledger untouched").isEqualTo(1);
        assertThat(channelsOf(asAdmin, admin)).containsExactly("other");
    }
}
