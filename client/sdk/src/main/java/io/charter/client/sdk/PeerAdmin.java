package io.charter.client.sdk;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.common.transport.ErrorCode;
import io.charter.protocol.ChannelsRequest;
import io.charter.protocol.ChannelsResponse;
import io.charter.protocol.HeaderType;
import io.charter.protocol.InstallContractRequest;
import io.charter.protocol.InstallContractResponse;
import io.charter.protocol.InstalledContractsRequest;
import io.charter.protocol.InstalledContractsResponse;
import io.charter.protocol.JoinChannelRequest;
import io.charter.protocol.JoinChannelResponse;
import io.charter.protocol.LeaveChannelResponse;
import io.charter.protocol.LogSpecRequest;
import io.charter.protocol.LogSpecResponse;
import io.charter.protocol.PeerAdminRefusal;
import io.charter.protocol.PeerAdminRequest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Administers one peer over its transport, as Fabric's {@code peer lifecycle chaincode install} and
 * {@code peer channel join} do over the peer's gRPC endpoint: each request is signed by the identity (a fresh
 * nonce and the signing time, docs/protocol-encodings.md) and sent on a mutual-TLS connection with the
 * identity's TLS certificate; the peer accepts it from an ADMIN of its own organization only. Works against
 * any peer, the local network's included. A refusal is a {@link PeerAdminException} with the peer's stable code
 * (docs/peer.md).
 */
public final class PeerAdmin implements AutoCloseable {

    static final String INSTALL_CONTRACT = PeerMethodNames.INSTALL_CONTRACT;
    static final String JOIN_CHANNEL = PeerMethodNames.JOIN_CHANNEL;
    static final String INSTALLED_CONTRACTS = PeerMethodNames.INSTALLED_CONTRACTS;
    static final String CHANNELS = PeerMethodNames.CHANNELS;
    static final String LOG_SPEC = PeerMethodNames.LOG_SPEC;
    static final String LEAVE_CHANNEL = PeerMethodNames.LEAVE_CHANNEL;

    private final AdminConnection connection;

    private PeerAdmin(AdminConnection connection) {
        this.connection = connection;
    }

    /** An installed contract package; {@code alreadyInstalled} when the peer had the same jar before. */
    public record InstalledContract(String packageId, String name, String sha256, boolean alreadyInstalled) {}

    /** A channel the peer has joined; {@code alreadyJoined} when it had, from the same genesis block. */
    public record JoinedChannel(String channelId, long height, String leader, boolean isLeader, boolean alreadyJoined) {}

    /**
     * A refused or failed administration call to a peer (codes: docs/peer.md, and {@link NodeAdminException}).
     * Branch on {@link #refusal()}, the peer's refusal as the wire's enum; {@link #code()} names it too, or the
     * failure of the call when the peer refused nothing.
     */
    public static final class PeerAdminException extends NodeAdminException {
        private static final long serialVersionUID = 1L;
        private final PeerAdminRefusal refusal;

        PeerAdminException(String code, boolean refused, ErrorCode transportCode, String message, Throwable cause) {
            super(code, transportCode, message, cause);
            this.refusal = refused ? refusalOf(code) : PeerAdminRefusal.PEER_ADMIN_REFUSAL_UNSPECIFIED;
        }

        /**
         * Why the peer refused: the value its error frame's reason names ({@code NOT_ADMIN}, ...);
         * {@code PEER_ADMIN_REFUSAL_UNSPECIFIED} when the call failed without a refusal of the peer (unreachable, timed
         * out, not served: see {@link #code()}); {@code UNRECOGNIZED} for a code this SDK does not know (a newer
         * peer's; {@link #code()} has its name).
         */
        public PeerAdminRefusal refusal() {
            return refusal;
        }

        /** The wire value a refusal code names, {@code UNRECOGNIZED} for any other text; never throws. */
        public static PeerAdminRefusal refusalOf(String code) {
            EnumValueDescriptor value = PeerAdminRefusal.getDescriptor().findValueByName(code);
            return value == null ? PeerAdminRefusal.UNRECOGNIZED : PeerAdminRefusal.valueOf(value);
        }
    }

    /**
     * Connects to the peer's transport at {@code host:port}, trusting {@code trustRoots} for its TLS certificate.
     * The connection opens on the first call.
     */
    public static PeerAdmin connect(Identity identity, Collection<X509Certificate> trustRoots, String host, int port,
                                    Duration timeout) {
        return new PeerAdmin(AdminConnection.open(identity, trustRoots, host, port, timeout, HeaderType.PEER_ADMIN,
                "peer", "an older version?", PeerAdminException::new));
    }

    /** Installs a contract jar on the peer; idempotent. */
    public InstalledContract install(byte[] jar) {
        InstallContractResponse response = parse(call(INSTALL_CONTRACT, PeerAdminRequest.newBuilder()
                .setInstallContract(InstallContractRequest.newBuilder().setContractJar(ByteString.copyFrom(jar))).build()),
                InstallContractResponse.parser());
        var c = response.getContract();
        return new InstalledContract(c.getPackageId(), c.getName(), c.getSha256(), response.getAlreadyInstalled());
    }

    /** Makes the peer join the channel of {@code genesis} (block 0); idempotent for the same block. */
    public JoinedChannel join(byte[] genesis) {
        JoinChannelResponse response = parse(call(JOIN_CHANNEL, PeerAdminRequest.newBuilder()
                .setJoinChannel(JoinChannelRequest.newBuilder().setGenesisBlock(ByteString.copyFrom(genesis))).build()),
                JoinChannelResponse.parser());
        return channel(response.getChannel(), response.getAlreadyJoined());
    }

    /** The contract packages installed on the peer, oldest first. */
    public List<InstalledContract> installedContracts() {
        return parse(call(INSTALLED_CONTRACTS, PeerAdminRequest.newBuilder()
                .setInstalledContracts(InstalledContractsRequest.getDefaultInstance()).build()),
                InstalledContractsResponse.parser()).getContractsList().stream()
                .map(c -> new InstalledContract(c.getPackageId(), c.getName(), c.getSha256(), true)).toList();
    }

    /** A channel the peer left: its height there when left, and whether its ledger was deleted. */
    public record LeftChannel(String channelId, long height, boolean dataRemoved) {}

    /**
     * Makes the peer leave a joined channel without stopping it; it does not rejoin it when restarted. With
     * {@code removeData} its ledger is deleted, otherwise kept (a join with the same genesis block takes it
     * back). Refused with NOT_JOINED for a channel it has not joined.
     */
    public LeftChannel leave(String channelId, boolean removeData) {
        LeaveChannelResponse response = parse(call(LEAVE_CHANNEL, PeerAdminRequest.newBuilder()
                .setLeaveChannel(io.charter.protocol.LeaveChannelRequest.newBuilder().setChannelId(channelId)
                        .setRemoveData(removeData)).build()), LeaveChannelResponse.parser());
        return new LeftChannel(response.getChannelId(), response.getHeight(), response.getDataRemoved());
    }

    /**
     * A snapshot of a channel on the peer (docs/snapshots.md): the height it reflects and its hash, equal on every
     * peer at that height.
     */
    public record Snapshot(String channelId, long height, String snapshotHash, String lastBlockHash, long configSequence,
                           String folder, List<SnapshotFile> files) {}

    /** A file of a snapshot. */
    public record SnapshotFile(String name, long records, long bytes, String sha256) {}

    /**
     * Makes the peer write a snapshot of a joined channel at its current height (refusals: NOT_JOINED,
     * SNAPSHOT_EXISTS, SNAPSHOT_IN_PROGRESS, SNAPSHOT_FAILED, ...).
     */
    public Snapshot createSnapshot(String channelId) {
        return snapshot(parse(call(PeerMethodNames.CREATE_SNAPSHOT, PeerAdminRequest.newBuilder()
                .setCreateSnapshot(io.charter.protocol.CreateSnapshotRequest.newBuilder().setChannelId(channelId)).build()),
                io.charter.protocol.CreateSnapshotResponse.parser()).getSnapshot());
    }

    /** The snapshots of a joined channel on the peer, lowest height first. */
    public List<Snapshot> snapshots(String channelId) {
        return parse(call(PeerMethodNames.SNAPSHOTS, PeerAdminRequest.newBuilder()
                .setSnapshots(io.charter.protocol.SnapshotsRequest.newBuilder().setChannelId(channelId)).build()),
                io.charter.protocol.SnapshotsResponse.parser()).getSnapshotsList().stream().map(PeerAdmin::snapshot).toList();
    }

    private static Snapshot snapshot(io.charter.protocol.Snapshot s) {
        return new Snapshot(s.getChannelId(), s.getHeight(), s.getSnapshotHash(), s.getLastBlockHash(), s.getConfigSequence(),
                s.getFolder(), s.getFilesList().stream().map(f -> new SnapshotFile(f.getName(), f.getRecords(), f.getBytes(),
                        f.getSha256())).toList());
    }

    /** The channels the peer has joined. */
    public List<JoinedChannel> channels() {
        return parse(call(CHANNELS, PeerAdminRequest.newBuilder().setChannels(ChannelsRequest.getDefaultInstance()).build()),
                ChannelsResponse.parser()).getChannelsList().stream().map(c -> channel(c, true)).toList();
    }

    private static JoinedChannel channel(io.charter.protocol.JoinedChannel c, boolean alreadyJoined) {
        return new JoinedChannel(c.getChannelId(), c.getHeight(), c.getLeader(), c.getIsLeader(), alreadyJoined);
    }

    /**
     * The log levels of the peer's process in Fabric's log spec format; with {@code spec} present, replaces them
     * first and answers those now in force (refusals: INVALID_LOG_SPEC, NOT_ADMIN, ...).
     */
    public String logSpec(Optional<String> spec) {
        return parse(call(LOG_SPEC, PeerAdminRequest.newBuilder().setLogSpec(LogSpecRequest.newBuilder()
                .setSpec(spec.orElse(""))).build()), LogSpecResponse.parser()).getSpec();
    }

    private ByteString call(String method, PeerAdminRequest request) {
        return connection.call(method, request.toByteString());
    }

    private <T> T parse(ByteString bytes, com.google.protobuf.Parser<T> parser) {
        return connection.parse(bytes, parser);
    }

    @Override
    public void close() {
        connection.close();
    }
}
