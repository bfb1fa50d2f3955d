package io.charter.peer.admin;

import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.peer.administration.AdminRefusedException;
import io.charter.peer.administration.AdministeredChannel;
import io.charter.peer.administration.PeerAdministration;
import io.charter.peer.app.PeerChannels;
import io.charter.peer.contract.ContractPackage;
import io.charter.peer.ledger.KeyVersion;
import io.charter.peer.ledger.LedgerException;
import io.charter.peer.snapshot.SnapshotManifest;
import io.charter.peer.snapshot.SnapshotStore;
import io.charter.peer.ledger.MvccConflictRecord;
import io.charter.peer.ledger.TxRecord;
import io.charter.peer.lifecycle.DefinedContract;
import io.charter.peer.node.ChannelPeer;
import io.charter.peer.node.PeerNode;
import io.charter.protocol.Block;
import io.charter.protocol.Envelope;
import io.charter.protocol.Payload;
import io.charter.protocol.TxValidationCode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The peer's admin API on the admin HTTPS listener (client certificate required), for admins of the
 * peer's organization ({@link AdminAccess}; installing, joining and listing are the core's
 * {@link PeerAdministration} operations, which the transport serves too): channels (join with a genesis block, list, show, leave,
 * blocks, transactions with their validation code and MVCC conflict), contracts (install, list) and
 * each channel's contract definitions. Errors are {@code {code, message}} with stable codes.
 */
@RestController
@RequestMapping("/api/v1")
public class AdminController {

    private static final Logger LOG = LoggerFactory.getLogger(AdminController.class);
    private static final HexFormat HEX = HexFormat.of();

    private final PeerNode node;
    private final PeerChannels channels;
    private final AdminAccess access;

    public AdminController(PeerNode node, PeerChannels channels, AdminAccess access) {
        this.node = node;
        this.channels = channels;
        this.access = access;
    }

    /** A snapshot of a channel: its height, hashes and files (docs/snapshots.md). */
    public record SnapshotView(String channelId, long height, String snapshotHash, String lastBlockHash,
                               long configSequence, String folder, List<SnapshotManifest.SnapshotFile> files) {
        static SnapshotView of(SnapshotStore.StoredSnapshot stored) {
            SnapshotManifest m = stored.manifest();
            return new SnapshotView(m.channelId(), m.height(), m.snapshotHash(), m.lastBlockHash(), m.configSequence(),
                    stored.folder().toString(), m.files());
        }
    }

    /**
     * A joined channel: status {@code active} when the organization has a known leader, else {@code electing};
     * {@code removed} when a config update removed this peer's organization from the channel.
     * {@code configSequence} is the sequence of the configuration in force (the genesis one's, + 1 per applied
     * update), {@code organizations} its MSP ids.
     */
    /** A channel's configuration in force, summarized. */
    public record ConfigView(String channelId, long sequence, List<String> organizations, java.util.Map<String, String> policies,
                             List<String> consenters) {}

    public record ChannelView(String id, long height, String leader, boolean isLeader, String status,
                              long configSequence, List<String> organizations) {}

    public record TxSummary(int position, String txId, String type, String validationCode) {}

    public record BlockView(long number, String previousHash, String dataHash, long lastConfigBlock,
                            List<TxSummary> transactions) {}

    public record VersionView(long blockNumber, int txNumber) {}

    /** Private writes of a committed transaction this member peer misses; expiryBlock null when kept forever. */
    public record MissingPrivateDataView(String txId, long blockNumber, int txNumber, String namespace, String collection,
                                         Long expiryBlock) {}

    /** The most entries the missing private data view lists. */
    static final int MISSING_LIMIT = 1000;

    /** Which read failed MVCC: the key, the version the endorser read and the one committed (null = absent). */
    public record ConflictView(String namespace, String key, boolean phantom, VersionView readVersion,
                               VersionView committedVersion) {}

    public record TransactionView(String txId, long blockNumber, int position, String validationCode,
                                  ConflictView mvccConflict) {}

    public record ContractView(String packageId, String name, String sha256) {}

    /**
     * A committed definition; an empty endorsement policy means the channel's Endorsement policy; {@code approvedBy}
     * the organizations whose approvals committed it (empty for a definition committed by the retired single step);
     * {@code collections} its private data collections (docs/private-data.md), with Fabric's field names.
     */
    public record DefinitionView(String name, String version, long sequence, String endorsementPolicy,
                                 String packageId, List<String> approvedBy, List<CollectionView> collections) {}

    /** A private data collection of a committed definition; an empty endorsement policy means the contract's. */
    public record CollectionView(String name, String policy, int requiredPeerCount, int maxPeerCount, long blockToLive,
                                 boolean memberOnlyRead, boolean memberOnlyWrite, String endorsementPolicy) {}

    public record ErrorView(String code, String message) {}

    // ---- channels

    @PostMapping(path = "/channels", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public ResponseEntity<ChannelView> join(@RequestBody byte[] body, HttpServletRequest request) {
        PeerAdministration.Join join = node.administration().joinChannel(access.caller(request), body);
        if (join.alreadyJoined()) {
            throw new AdminException(HttpStatus.CONFLICT, "ALREADY_JOINED", "already joined channel "
                    + join.channel().channelId());
        }
        AdministeredChannel channel = join.channel();
        return ResponseEntity.status(HttpStatus.CREATED).header("Location", "/api/v1/channels/" + channel.channelId())
                .body(view(channel));
    }

    @GetMapping("/channels")
    public List<ChannelView> list(HttpServletRequest request) {
        return node.administration().channels(access.caller(request)).stream().map(AdminController::view).toList();
    }

    @GetMapping("/channels/{id}")
    public ChannelView show(@PathVariable String id, HttpServletRequest request) {
        access.requireAdmin(request);
        return view(channel(id));
    }

    /**
     * The channel's configuration in force, as the serialized {@code charter.config.ChannelConfig}: what a
     * config update edits (its {@code sequence} + 1 is the next update's).
     */
    @GetMapping(path = "/channels/{id}/config", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public byte[] config(@PathVariable String id, HttpServletRequest request) {
        access.requireAdmin(request);
        return channel(id).currentConfig().config().toByteArray();
    }

    /**
     * The configuration in force as JSON: sequence, organizations (MSP ids), channel policies and the
     * consenters' (Raft) endpoints.
     */
    @GetMapping(path = "/channels/{id}/config", produces = MediaType.APPLICATION_JSON_VALUE)
    public ConfigView configView(@PathVariable String id, HttpServletRequest request) {
        access.requireAdmin(request);
        var config = channel(id).currentConfig().config();
        return new ConfigView(config.getChannelId(), config.getSequence(),
                config.getOrganizationsList().stream().map(o -> o.getMspId()).toList(),
                new java.util.TreeMap<>(config.getPoliciesMap()),
                config.getOrderer().getConsentersList().stream()
                        .map(c -> c.getEndpoint().getHost() + ":" + c.getEndpoint().getPort()).toList());
    }

    /** Leaves the channel (not rejoined at restart); its ledger is kept unless {@code removeData=true}. */
    @DeleteMapping("/channels/{id}")
    public ResponseEntity<Void> leave(@PathVariable String id,
            @org.springframework.web.bind.annotation.RequestParam(defaultValue = "false") boolean removeData,
            HttpServletRequest request) {
        var caller = access.requireAdmin(request);
        channel(id);
        if (!channels.leave(id, removeData)) {
            throw notJoined(id);
        }
        LOG.info("left channel {}{} at the request of {}", id, removeData ? " (ledger deleted)" : "",
                caller.getSubjectX500Principal());
        return ResponseEntity.noContent().build();
    }

    /** The block as stored (with this peer's validation codes): JSON summary, or the raw bytes for octet-stream. */
    @GetMapping(path = "/channels/{id}/blocks/{number}", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public byte[] rawBlock(@PathVariable String id, @PathVariable long number, HttpServletRequest request) {
        access.requireAdmin(request);
        return block(channel(id), number).toByteArray();
    }

    @GetMapping(path = "/channels/{id}/blocks/{number}", produces = MediaType.APPLICATION_JSON_VALUE)
    public BlockView block(@PathVariable String id, @PathVariable long number, HttpServletRequest request) {
        access.requireAdmin(request);
        Block block = block(channel(id), number);
        List<TxSummary> transactions = new ArrayList<>();
        for (int i = 0; i < block.getData().getEnvelopesCount(); i++) {
            String txId = "";
            String type = "";
            try {
                Payload payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getEnvelopes(i)).getPayload());
                txId = payload.getHeader().getTxId();
                type = payload.getHeader().getType().name();
            } catch (InvalidProtocolBufferException e) {
                type = "MALFORMED";
            }
            String code = i < block.getMetadata().getValidationCodesCount()
                    ? block.getMetadata().getValidationCodes(i).name() : (number == 0 ? TxValidationCode.VALID.name() : "");
            transactions.add(new TxSummary(i, txId, type, code));
        }
        return new BlockView(number, HEX.formatHex(block.getHeader().getPreviousHash().toByteArray()),
                HEX.formatHex(block.getHeader().getDataHash().toByteArray()), block.getMetadata().getLastConfigBlock(),
                transactions);
    }

    @GetMapping("/channels/{id}/transactions/{txId}")
    public TransactionView transaction(@PathVariable String id, @PathVariable String txId, HttpServletRequest request) {
        access.requireAdmin(request);
        ChannelPeer channel = channel(id);
        TxRecord record = channel.ledger().transaction(txId).orElseThrow(() -> new AdminException(HttpStatus.NOT_FOUND,
                "TRANSACTION_NOT_FOUND", "no transaction " + txId + " in the ledger of " + id + " (not yet committed, or unknown)"));
        ConflictView conflict = channel.ledger().conflict(txId).map(AdminController::conflict).orElse(null);
        return new TransactionView(record.txId(), record.blockNumber(), record.txNumber(), record.code().name(), conflict);
    }

    /** Private data this member peer should hold and does not (reconciliation pending), the oldest first. */
    @GetMapping("/channels/{id}/private-data/missing")
    public List<MissingPrivateDataView> missingPrivateData(@PathVariable String id, HttpServletRequest request) {
        access.requireAdmin(request);
        return channel(id).ledger().missingPrivateData(MISSING_LIMIT).stream()
                .map(m -> new MissingPrivateDataView(m.txId(), m.position().blockNumber(), m.position().txNumber(),
                        m.namespace(), m.collection(), m.expiryBlock().orElse(null)))
                .toList();
    }

    /**
     * Writes a snapshot of the channel at its current height (one at a time per peer: 409 SNAPSHOT_IN_PROGRESS;
     * 409 SNAPSHOT_EXISTS when one at this height exists). Every peer at the same height answers the same
     * snapshotHash.
     */
    @PostMapping("/channels/{id}/snapshots")
    public ResponseEntity<SnapshotView> createSnapshot(@PathVariable String id, HttpServletRequest request) {
        access.requireAdmin(request);
        channel(id);
        SnapshotStore.StoredSnapshot stored = node.administration().createSnapshot(access.caller(request), id);
        return ResponseEntity.status(HttpStatus.CREATED).body(SnapshotView.of(stored));
    }

    /** The channel's snapshots on this peer, lowest height first. */
    @GetMapping("/channels/{id}/snapshots")
    public List<SnapshotView> snapshots(@PathVariable String id, HttpServletRequest request) {
        access.requireAdmin(request);
        channel(id);
        return node.administration().snapshots(access.caller(request), id).stream().map(SnapshotView::of).toList();
    }

    @GetMapping("/channels/{id}/contracts")
    public List<DefinitionView> definitions(@PathVariable String id, HttpServletRequest request) {
        access.requireAdmin(request);
        return channel(id).definitions().all().values().stream().map(AdminController::view).toList();
    }

    // ---- contracts

    @PostMapping(path = "/contracts", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public ResponseEntity<ContractView> install(@RequestBody byte[] jar, HttpServletRequest request) {
        ContractPackage installed = node.administration().installContract(access.caller(request), jar).contract();
        return ResponseEntity.status(HttpStatus.CREATED).body(view(installed));
    }

    @GetMapping("/contracts")
    public List<ContractView> contracts(HttpServletRequest request) {
        return node.administration().installedContracts(access.caller(request)).stream().map(AdminController::view).toList();
    }

    // ---- errors

    @ExceptionHandler(AdminException.class)
    ResponseEntity<ErrorView> refused(AdminException e) {
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON).body(new ErrorView(e.code(), e.getMessage()));
    }

    @ExceptionHandler(AdminRefusedException.class)
    ResponseEntity<ErrorView> refused(AdminRefusedException e) {
        return ResponseEntity.status(e.refusal().httpStatus()).contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorView(e.refusal().name(), e.getMessage()));
    }

    @ExceptionHandler(LedgerException.class)
    ResponseEntity<ErrorView> ledgerDown(LedgerException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorView("LEDGER_UNAVAILABLE", e.getMessage()));
    }

    // ---- helpers

    private ChannelPeer channel(String id) {
        return node.channel(id).orElseThrow(() -> notJoined(id));
    }

    private static AdminException notJoined(String id) {
        return new AdminException(HttpStatus.NOT_FOUND, "CHANNEL_NOT_JOINED", "this peer has not joined channel " + id);
    }

    private static Block block(ChannelPeer channel, long number) {
        return channel.ledger().block(number).orElseThrow(() -> new AdminException(HttpStatus.NOT_FOUND, "BLOCK_NOT_FOUND",
                "channel " + channel.channelId() + " has no block " + number + " (height " + channel.height() + ")"));
    }

    private static ChannelView view(AdministeredChannel channel) {
        String leader = channel.leader().orElse("");
        var config = channel.context().config();
        return new ChannelView(channel.channelId(), channel.height(), leader, channel.isLeader(),
                !channel.isMember() ? "removed" : leader.isEmpty() ? "electing" : "active", config.getSequence(),
                config.getOrganizationsList().stream().map(o -> o.getMspId()).toList());
    }

    private static ContractView view(ContractPackage contract) {
        return new ContractView(contract.packageId(), contract.name(), contract.sha256());
    }

    private static DefinitionView view(DefinedContract defined) {
        var d = defined.definition();
        return new DefinitionView(d.getName(), d.getVersion(), d.getSequence(), d.getEndorsementPolicy(), d.getPackageId(),
                List.copyOf(d.getApprovedByList()), d.getCollectionsList().stream().map(c -> new CollectionView(c.getName(),
                        c.getMemberPolicy(), c.getRequiredPeerCount(), c.getMaxPeerCount(), c.getBlockToLive(),
                        c.getMemberOnlyRead(), c.getMemberOnlyWrite(), c.getEndorsementPolicy())).toList());
    }

    private static ConflictView conflict(MvccConflictRecord record) {
        // the REST API's JSON keeps null for an absent version
        return new ConflictView(record.namespace(), record.key(), record.phantom(),
                record.readVersion().map(AdminController::version).orElse(null),
                record.committedVersion().map(AdminController::version).orElse(null));
    }

    private static VersionView version(KeyVersion version) {
        return new VersionView(version.blockNumber(), version.txNumber());
    }
}
