package io.charter.peer.administration;

import io.charter.peer.snapshot.SnapshotException;
import io.charter.peer.snapshot.SnapshotStore;
import io.charter.common.admin.AdminCaller;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.logging.LogLevels;
import io.charter.common.logging.LogSpec;
import io.charter.common.logging.LogSpecException;
import io.charter.common.logging.LogbackLevels;
import io.charter.common.protocol.BlockHashing;
import io.charter.peer.contract.ContractLoadException;
import io.charter.peer.contract.ContractPackage;
import io.charter.peer.contract.ContractStore;
import io.charter.peer.validation.ChannelContext;
import io.charter.protocol.Block;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's administration operations, for the admin REST API and the transport alike: each checks the
 * caller ({@link AdminAuthorization}) and its input first, and writes nothing when it refuses.
 */
public final class PeerAdministration {

    private static final Logger LOG = LoggerFactory.getLogger(PeerAdministration.class);

    /** The largest contract package (jar) accepted. */
    public static final int MAX_CONTRACT_BYTES = 8 * 1024 * 1024;
    /** The largest genesis block accepted. */
    public static final int MAX_GENESIS_BYTES = 8 * 1024 * 1024;

    private final AdministeredPeer node;
    private final AdminAuthorization authorization;
    private final Clock clock;
    private final Optional<LogLevels> logLevels;
    private volatile ChannelJoining joining;
    private volatile ChannelLeaving leaving;
    private volatile Optional<SnapshotStore> snapshots = Optional.empty();

    public PeerAdministration(AdministeredPeer node, AdminAuthorization authorization, Clock clock) {
        this(node, authorization, clock, LogbackLevels.ofProcess());
    }

    public PeerAdministration(AdministeredPeer node, AdminAuthorization authorization, Clock clock,
            Optional<LogLevels> logLevels) {
        this.node = node;
        this.authorization = authorization;
        this.clock = clock;
        this.logLevels = logLevels;
        this.joining = genesis -> {
            throw new AdminRefusedException(AdminRefusal.JOIN_UNAVAILABLE, "peer " + node.peerId()
                    + " was started without a ledger database for new channels: its host joins them");
        };
        this.leaving = node::leave;
    }

    /** An installed package, and whether it was installed before this request. */
    public record Installation(ContractPackage contract, boolean alreadyInstalled) {}

    /** A joined channel, and whether it was joined (with the same genesis block) before this request. */
    public record Join(AdministeredChannel channel, boolean alreadyJoined) {}

    /** A left channel: its height when left, and whether its ledger was deleted. */
    public record Leave(String channelId, long height, boolean dataRemoved) {}

    /** Sets how this peer opens the ledger of a channel it is asked to join (by its host, before serving). */
    public void joinChannelsThrough(ChannelJoining joining) {
        this.joining = joining;
    }

    /**
     * Sets how this peer leaves a channel it is asked to leave (by its host, before serving: its record of joined
     * channels and its metrics); the node alone otherwise.
     */
    public void leaveChannelsThrough(ChannelLeaving leaving) {
        this.leaving = leaving;
    }

    /** Sets where this peer writes its channels' snapshots (by its host, before serving); none otherwise. */
    public void snapshotsIn(SnapshotStore store) {
        this.snapshots = Optional.of(store);
    }

    /**
     * Writes a snapshot of a joined channel at its current height.
     *
     * @throws AdminRefusedException not an admin; NOT_JOINED; SNAPSHOT_EXISTS, SNAPSHOT_IN_PROGRESS, SNAPSHOT_FAILED;
     *     SNAPSHOTS_UNAVAILABLE; nothing is written then
     */
    public SnapshotStore.StoredSnapshot createSnapshot(AdminCaller caller, String channelId) {
        authorize(caller);
        node.channel(channelId).orElseThrow(() -> notJoined(channelId));
        SnapshotStore.StoredSnapshot stored = snapshotStore().map(store -> {
            try {
                return store.create(channelId);
            } catch (SnapshotException e) {
                throw refusal(e);
            }
        }).orElseThrow();
        LOG.info("snapshot of {} at height {} written to {} (hash {}) at the request of {}", channelId,
                stored.manifest().height(), stored.folder(), stored.manifest().snapshotHash(),
                caller.tls().getSubjectX500Principal());
        return stored;
    }

    /**
     * The snapshots of a joined channel on this peer, lowest height first.
     *
     * @throws AdminRefusedException not an admin; NOT_JOINED; SNAPSHOT_INVALID, SNAPSHOT_FAILED; SNAPSHOTS_UNAVAILABLE
     */
    public List<SnapshotStore.StoredSnapshot> snapshots(AdminCaller caller, String channelId) {
        authorize(caller);
        node.channel(channelId).orElseThrow(() -> notJoined(channelId));
        return snapshotStore().map(store -> {
            try {
                return store.list(channelId);
            } catch (SnapshotException e) {
                throw refusal(e);
            }
        }).orElseThrow();
    }

    private Optional<SnapshotStore> snapshotStore() {
        if (snapshots.isEmpty()) {
            throw new AdminRefusedException(AdminRefusal.SNAPSHOTS_UNAVAILABLE, "peer " + node.peerId()
                    + " was started without a folder for snapshots");
        }
        return snapshots;
    }

    private static AdminRefusedException refusal(SnapshotException e) {
        AdminRefusal refusal = switch (e.code()) {
            case "SNAPSHOT_EXISTS" -> AdminRefusal.SNAPSHOT_EXISTS;
            case "SNAPSHOT_IN_PROGRESS" -> AdminRefusal.SNAPSHOT_IN_PROGRESS;
            case "SNAPSHOT_INVALID" -> AdminRefusal.SNAPSHOT_INVALID;
            default -> AdminRefusal.SNAPSHOT_FAILED;
        };
        return new AdminRefusedException(refusal, e.getMessage());
    }

    public AdminAuthorization authorization() {
        return authorization;
    }

    /** Checks that the caller may administer this peer; for operations that only read. */
    public void authorize(AdminCaller caller) {
        authorization.requireAdmin(caller, Optional.empty());
    }

    /**
     * Installs a contract jar; idempotent.
     *
     * @throws AdminRefusedException not an admin, TOO_LARGE, INVALID_CONTRACT_PACKAGE; nothing is installed then
     */
    public Installation installContract(AdminCaller caller, byte[] jar) {
        authorize(caller);
        if (jar.length > MAX_CONTRACT_BYTES) {
            throw new AdminRefusedException(AdminRefusal.TOO_LARGE, "the contract package has " + jar.length
                    + " bytes; this peer accepts at most " + MAX_CONTRACT_BYTES);
        }
        String sha256 = ContractStore.sha256(jar);
        boolean before = node.installedContracts().stream().anyMatch(p -> p.sha256().equals(sha256));
        ContractPackage installed;
        try {
            installed = node.installContract(jar);
        } catch (ContractLoadException e) {
            throw new AdminRefusedException(AdminRefusal.INVALID_CONTRACT_PACKAGE, e.getMessage());
        }
        LOG.info("{} {} at the request of {}", before ? "already had" : "installed", installed.packageId(),
                caller.tls().getSubjectX500Principal());
        return new Installation(installed, before);
    }

    /**
     * Joins the channel of a genesis block; idempotent for the same block.
     *
     * @throws AdminRefusedException not an admin, TOO_LARGE, NOT_A_GENESIS_BLOCK, ORGANIZATION_NOT_IN_CHANNEL,
     *     ALREADY_JOINED (from another genesis block), NO_ORDERERS, JOIN_UNAVAILABLE; nothing is joined then
     */
    public Join joinChannel(AdminCaller caller, byte[] genesisBytes) {
        if (genesisBytes.length > MAX_GENESIS_BYTES) {
            authorize(caller);
            throw new AdminRefusedException(AdminRefusal.TOO_LARGE, "the genesis block has " + genesisBytes.length
                    + " bytes; this peer accepts at most " + MAX_GENESIS_BYTES);
        }
        Block genesis;
        ChannelContext context;
        try {
            genesis = Block.parseFrom(genesisBytes);
            if (!genesis.hasHeader() || genesis.getHeader().getNumber() != 0) {
                throw new IllegalArgumentException("block " + genesis.getHeader().getNumber() + " is not a genesis block");
            }
            context = ChannelContext.of(ChannelContext.configOf(genesis), clock);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            authorize(caller);
            throw new AdminRefusedException(AdminRefusal.NOT_A_GENESIS_BLOCK,
                    "not a genesis config block: " + e.getMessage());
        }
        authorization.requireAdmin(caller, Optional.of(context));
        Optional<? extends AdministeredChannel> joined = node.channel(context.channelId());
        if (joined.isPresent()) {
            return new Join(joined.get(), sameGenesis(joined.get(), genesis));
        }
        AdministeredChannel channel;
        try {
            channel = joining.join(genesis);
        } catch (IllegalStateException e) {
            AdministeredChannel now = node.channel(context.channelId()).orElseThrow(() -> e);
            return new Join(now, sameGenesis(now, genesis));
        } catch (IllegalArgumentException e) {
            throw new AdminRefusedException(AdminRefusal.NOT_A_GENESIS_BLOCK, e.getMessage());
        }
        LOG.info("joined channel {} at the request of {}", channel.channelId(), caller.tls().getSubjectX500Principal());
        return new Join(channel, false);
    }

    /**
     * Leaves a joined channel without stopping the peer: it stops pulling, validating, endorsing and serving it,
     * and its host does not rejoin it at the next start. Its ledger is kept (joining again with the same genesis
     * block reopens it at its height) unless {@code removeData}.
     *
     * @throws AdminRefusedException not an admin; NOT_JOINED; nothing is left then
     */
    public Leave leaveChannel(AdminCaller caller, String channelId, boolean removeData) {
        authorize(caller);
        AdministeredChannel channel = node.channel(channelId).orElseThrow(() -> notJoined(channelId));
        long height = channel.height();
        if (!leaving.leave(channelId, removeData)) {
            throw notJoined(channelId);
        }
        LOG.info("left channel {} at height {}{} at the request of {}", channelId, height,
                removeData ? ", its ledger deleted," : "", caller.tls().getSubjectX500Principal());
        return new Leave(channelId, height, removeData);
    }

    private AdminRefusedException notJoined(String channelId) {
        return new AdminRefusedException(AdminRefusal.NOT_JOINED, "peer " + node.peerId() + " has not joined channel '"
                + channelId + "'; it has joined " + node.channels().stream().map(AdministeredChannel::channelId).toList());
    }

    /** The installed packages, oldest installation first. */
    public List<ContractPackage> installedContracts(AdminCaller caller) {
        authorize(caller);
        return node.installedContracts();
    }

    /**
     * The log levels of the peer's process, read ({@code spec} empty) or replaced (Fabric's {@code /logspec}).
     * Changes are logged with the admin who made them.
     *
     * @throws AdminRefusedException not an admin; INVALID_LOG_SPEC (the levels unchanged); LOG_LEVELS_UNAVAILABLE
     */
    public LogSpec logSpec(AdminCaller caller, Optional<String> spec) {
        authorize(caller);
        LogLevels levels = logLevels.orElseThrow(() -> new AdminRefusedException(AdminRefusal.LOG_LEVELS_UNAVAILABLE,
                "this peer's process does not log through Logback, so its levels cannot be changed at run time"));
        LogSpec applied;
        try {
            applied = levels.readOrApply(spec);
        } catch (LogSpecException e) {
            throw new AdminRefusedException(AdminRefusal.INVALID_LOG_SPEC, e.getMessage());
        }
        if (spec.isEmpty()) {
            return applied;
        }
        LOG.warn("log levels set to '{}' at the request of {}", applied, caller.tls().getSubjectX500Principal());
        return applied;
    }

    /** The joined channels, by id. */
    public List<AdministeredChannel> channels(AdminCaller caller) {
        authorize(caller);
        return List.copyOf(node.channels());
    }

    /** True when the channel's block 0 is {@code genesis}; a refusal when it is another channel of the same id. */
    private static boolean sameGenesis(AdministeredChannel channel, Block genesis) {
        boolean same = channel.ledger().block(0)
                .map(b -> BlockHashing.headerHash(b.getHeader()).equals(BlockHashing.headerHash(genesis.getHeader())))
                .orElse(false);
        if (!same) {
            throw new AdminRefusedException(AdminRefusal.ALREADY_JOINED, "this peer has joined channel "
                    + channel.channelId() + " from another genesis block");
        }
        return true;
    }
}
