package io.charter.peer.service;

import io.charter.peer.snapshot.SnapshotStore;
import io.charter.common.admin.AdminCaller;
import com.google.protobuf.ByteString;
import io.charter.common.logging.LogSpec;
import io.charter.common.transport.CallContext;
import io.charter.peer.administration.AdminRefusal;
import io.charter.peer.administration.AdminRefusedException;
import io.charter.peer.administration.AdministeredChannel;
import io.charter.peer.administration.PeerAdministration;
import io.charter.peer.administration.SignedAdminRequests;
import io.charter.peer.contract.ContractPackage;
import io.charter.protocol.ChannelsResponse;
import io.charter.protocol.InstallContractResponse;
import io.charter.protocol.InstalledContract;
import io.charter.protocol.InstalledContractsResponse;
import io.charter.protocol.JoinChannelResponse;
import io.charter.protocol.JoinedChannel;
import io.charter.protocol.LeaveChannelResponse;
import io.charter.protocol.LogSpecResponse;
import io.charter.protocol.PeerAdminRequest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The transport's administration methods ({@code peer.InstallContract}, {@code peer.JoinChannel},
 * {@code peer.InstalledContracts}, {@code peer.Channels}, {@code peer.LogSpec}, {@code peer.LeaveChannel}, {@code peer.CreateSnapshot}, {@code peer.Snapshots}): each opens the signed request
 * ({@link SignedAdminRequests}), authorizes its creator together with the connection's TLS certificate,
 * remembers its tx id against replays and runs the {@link PeerAdministration} operation. A refusal is an
 * error frame whose message starts with its {@link AdminRefusal} name.
 */
public final class AdminMethods {

    private final PeerAdministration administration;
    private final SignedAdminRequests requests;

    public AdminMethods(PeerAdministration administration, SignedAdminRequests requests) {
        this.administration = administration;
        this.requests = requests;
    }

    /** {@code peer.InstallContract}. */
    public CompletableFuture<ByteString> installContract(CallContext call, ByteString body) {
        return handle(call, body, PeerAdminRequest.RequestCase.INSTALL_CONTRACT, this::install);
    }

    /** {@code peer.JoinChannel}. */
    public CompletableFuture<ByteString> joinChannel(CallContext call, ByteString body) {
        return handle(call, body, PeerAdminRequest.RequestCase.JOIN_CHANNEL, this::join);
    }

    /** {@code peer.InstalledContracts}. */
    public CompletableFuture<ByteString> installedContracts(CallContext call, ByteString body) {
        return handle(call, body, PeerAdminRequest.RequestCase.INSTALLED_CONTRACTS, this::listContracts);
    }

    /** {@code peer.Channels}. */
    public CompletableFuture<ByteString> channels(CallContext call, ByteString body) {
        return handle(call, body, PeerAdminRequest.RequestCase.CHANNELS, this::listChannels);
    }

    /** {@code peer.LeaveChannel}. */
    public CompletableFuture<ByteString> leaveChannel(CallContext call, ByteString body) {
        return handle(call, body, PeerAdminRequest.RequestCase.LEAVE_CHANNEL, this::leave);
    }

    /** {@code peer.CreateSnapshot}. */
    public CompletableFuture<ByteString> createSnapshot(CallContext call, ByteString body) {
        return handle(call, body, PeerAdminRequest.RequestCase.CREATE_SNAPSHOT, this::snapshot);
    }

    /** {@code peer.Snapshots}. */
    public CompletableFuture<ByteString> snapshots(CallContext call, ByteString body) {
        return handle(call, body, PeerAdminRequest.RequestCase.SNAPSHOTS, this::listSnapshots);
    }

    /** {@code peer.LogSpec}. */
    public CompletableFuture<ByteString> logSpec(CallContext call, ByteString body) {
        return handle(call, body, PeerAdminRequest.RequestCase.LOG_SPEC, this::readOrSetLogSpec);
    }

    private record Request(AdminCaller caller, PeerAdminRequest body) {}

    private CompletableFuture<ByteString> handle(CallContext call, ByteString body, PeerAdminRequest.RequestCase expected,
            Function<Request, ByteString> operation) {
        try {
            SignedAdminRequests.Opened opened = requests.open(body, expected);
            AdminCaller caller = new AdminCaller(call.peerCertificate(), java.util.Optional.of(opened.creator()));
            // authorized before it is remembered, so that no one else can use up a tx id; the operation
            // authorizes again (cheap, cached) as it does for the REST API
            administration.authorize(caller);
            requests.accept(opened.txId());
            return CompletableFuture.completedFuture(operation.apply(new Request(caller, opened.request())));
        } catch (AdminRefusedException e) {
            throw e.toTransport();
        }
    }

    private ByteString install(Request request) {
        PeerAdministration.Installation installed = administration.installContract(request.caller(),
                request.body().getInstallContract().getContractJar().toByteArray());
        return InstallContractResponse.newBuilder().setContract(proto(installed.contract()))
                .setAlreadyInstalled(installed.alreadyInstalled()).build().toByteString();
    }

    private ByteString join(Request request) {
        PeerAdministration.Join join = administration.joinChannel(request.caller(),
                request.body().getJoinChannel().getGenesisBlock().toByteArray());
        return JoinChannelResponse.newBuilder().setChannel(proto(join.channel())).setAlreadyJoined(join.alreadyJoined())
                .build().toByteString();
    }

    private ByteString leave(Request request) {
        var leave = request.body().getLeaveChannel();
        PeerAdministration.Leave left = administration.leaveChannel(request.caller(), leave.getChannelId(),
                leave.getRemoveData());
        return LeaveChannelResponse.newBuilder().setChannelId(left.channelId()).setHeight(left.height())
                .setDataRemoved(left.dataRemoved()).build().toByteString();
    }

    private ByteString snapshot(Request request) {
        SnapshotStore.StoredSnapshot stored = administration.createSnapshot(request.caller(),
                request.body().getCreateSnapshot().getChannelId());
        return io.charter.protocol.CreateSnapshotResponse.newBuilder().setSnapshot(proto(stored)).build().toByteString();
    }

    private ByteString listSnapshots(Request request) {
        io.charter.protocol.SnapshotsResponse.Builder response = io.charter.protocol.SnapshotsResponse.newBuilder();
        administration.snapshots(request.caller(), request.body().getSnapshots().getChannelId())
                .forEach(stored -> response.addSnapshots(proto(stored)));
        return response.build().toByteString();
    }

    private static io.charter.protocol.Snapshot proto(SnapshotStore.StoredSnapshot stored) {
        var m = stored.manifest();
        io.charter.protocol.Snapshot.Builder snapshot = io.charter.protocol.Snapshot.newBuilder().setChannelId(m.channelId())
                .setHeight(m.height()).setSnapshotHash(m.snapshotHash()).setLastBlockHash(m.lastBlockHash())
                .setConfigSequence(m.configSequence()).setFolder(stored.folder().toString());
        m.files().forEach(f -> snapshot.addFiles(io.charter.protocol.SnapshotFile.newBuilder().setName(f.name())
                .setRecords(f.records()).setBytes(f.bytes()).setSha256(f.sha256())));
        return snapshot.build();
    }

    private ByteString listContracts(Request request) {
        InstalledContractsResponse.Builder response = InstalledContractsResponse.newBuilder();
        administration.installedContracts(request.caller()).forEach(p -> response.addContracts(proto(p)));
        return response.build().toByteString();
    }

    private ByteString listChannels(Request request) {
        ChannelsResponse.Builder response = ChannelsResponse.newBuilder();
        administration.channels(request.caller()).forEach(c -> response.addChannels(proto(c)));
        return response.build().toByteString();
    }

    private ByteString readOrSetLogSpec(Request request) {
        String spec = request.body().getLogSpec().getSpec();
        LogSpec inForce = administration.logSpec(request.caller(), spec.isEmpty() ? Optional.empty() : Optional.of(spec));
        return LogSpecResponse.newBuilder().setSpec(inForce.toString()).build().toByteString();
    }

    private static InstalledContract proto(ContractPackage contract) {
        return InstalledContract.newBuilder().setPackageId(contract.packageId()).setName(contract.name())
                .setSha256(contract.sha256()).build();
    }

    private static JoinedChannel proto(AdministeredChannel channel) {
        return JoinedChannel.newBuilder().setChannelId(channel.channelId()).setHeight(channel.height())
                .setLeader(channel.leader().orElse("")).setIsLeader(channel.isLeader()).build();
    }
}
