package io.charter.peer.node;

import io.charter.common.identity.IdentityValidator;
import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.SubjectName;
import io.charter.common.policy.Policy;
import io.charter.common.policy.PolicyParser;
import io.charter.peer.administration.AdministeredChannel;
import io.charter.peer.delivery.BlockSink;
import io.charter.peer.delivery.DeliverClient;
import io.charter.peer.dissemination.AntiEntropy;
import io.charter.peer.dissemination.BlockPusher;
import io.charter.peer.dissemination.HeartbeatElection;
import io.charter.peer.dissemination.LeaderElection;
import io.charter.peer.events.CommitEvents;
import io.charter.peer.ledger.Ledger;
import io.charter.peer.lifecycle.ContractDefinitions;
import io.charter.peer.service.ServedChannel;
import io.charter.peer.validation.BlockCommitter;
import io.charter.peer.validation.BlockValidator;
import io.charter.peer.validation.ChannelContext;
import io.charter.peer.validation.CommitResult;
import io.charter.peer.validation.CurrentConfig;
import io.charter.peer.validation.PrevalidatedBlock;
import io.charter.peer.validation.ValidationStats;
import io.charter.protocol.Block;
import io.charter.protocol.HeartbeatRequest;
import io.charter.protocol.HeartbeatResponse;
import io.charter.protocol.PushBlockResponse;
import io.charter.protocol.PushOutcome;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel on one peer: ledger, validator and committer, commit events, the organization's leader
 * election, the deliver client (running only while this peer leads), the pusher (leader) and the
 * anti-entropy puller (every peer). Every block, whatever its source, commits through {@link #commit},
 * one at a time.
 */
public final class ChannelPeer implements BlockSink, AdministeredChannel, ServedChannel, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelPeer.class);

    private final String mspId;
    private final Ledger ledger;
    private final CurrentConfig config;
    private final BlockValidator validator;
    private final ContractDefinitions definitions;
    private final BlockCommitter committer;
    private final CommitEvents events;
    private final Clock clock;
    /** CRLs refreshed from the membership service, by organization: given again to each new configuration. */
    private final Map<String, List<X509CRL>> refreshedCrls = new ConcurrentHashMap<>();
    private volatile Access access;
    private final AtomicLong pushesRefused = new AtomicLong();
    private final AtomicLong pushesCommitted = new AtomicLong();
    private final AtomicLong commitNanos = new AtomicLong();
    private volatile boolean closed;
    private volatile java.util.function.LongConsumer commitLatency = nanos -> {};
    private HeartbeatElection election;
    /** Who leads: the index's lease over the heartbeat election, or the heartbeat election alone (no index). */
    private LeaderElection leadership;
    private BlockPusher pusher;
    private AntiEntropy antiEntropy;
    private DeliverClient deliver;
    private final Object neighboursLock = new Object();
    private volatile Neighbours neighbours = new Neighbours(List.of(), List.of(), "none");

    /** Who may call this channel's methods, from the configuration in force. */
    private record Access(ChannelContext context, IdentityValidator tlsIdentities, Policy readers) {}

    ChannelPeer(String mspId, Ledger ledger, ContractDefinitions definitions, BlockValidator validator, Clock clock) {
        this.mspId = mspId;
        this.ledger = ledger;
        this.config = validator.currentConfig();
        this.definitions = definitions;
        this.validator = validator;
        this.clock = clock;
        this.committer = new BlockCommitter(ledger, validator, mspId);
        this.events = new CommitEvents(ledger);
        this.access = access(config.get());
        config.beforeSwitch(this::giveRefreshedCrls);
        config.onSwitch(next -> {
            giveRefreshedCrls(next); // again: CRLs refreshed while the switch was under way
            access = access(next);
            if (!isMember()) {
                LOG.error("channel {}: this peer's organization {} is not in the configuration sequence {} now in force:"
                        + " it no longer endorses for the channel, and the channel's orderers and peers no longer accept"
                        + " it; leave the channel (DELETE /api/v1/channels/{})", channelId(), mspId,
                        next.config().getSequence(), channelId());
            }
        });
    }

    private Access access(ChannelContext context) {
        return new Access(context, new IdentityValidator(context.registry(), CertificatePurpose.TLS, clock, 1_000),
                PolicyParser.parse(context.config().getPoliciesMap().getOrDefault("Readers", "ANY Readers")));
    }

    /**
     * Replaces the CRLs of {@code mspId} in the configuration in force (and remembers them for the next
     * configurations, whose own CRLs are those the config update carried).
     *
     * @throws IllegalArgumentException when a CRL was signed by none of the organization's CAs
     */
    void updateCrls(String mspId, List<X509CRL> crls) {
        ChannelContext context = config.get();
        if (context.registry().mspIds().contains(mspId)) {
            context.registry().updateCrls(mspId, crls);
            refreshedCrls.put(mspId, List.copyOf(crls));
        }
    }

    private void giveRefreshedCrls(ChannelContext next) {
        refreshedCrls.forEach((organization, crls) -> {
            if (next.registry().mspIds().contains(organization)) {
                try {
                    next.registry().updateCrls(organization, crls);
                } catch (IllegalArgumentException e) {
                    // the update replaced the organization's CAs: its refreshed CRLs no longer apply
                    refreshedCrls.remove(organization);
                    LOG.warn("channel {}: the CRLs refreshed for {} do not fit its new CAs: {}", channelId(), organization,
                            e.getMessage());
                }
            } else {
                refreshedCrls.remove(organization);
            }
        });
    }

    /** Whether this peer's organization is in the configuration in force. */
    public boolean isMember() {
        return config.get().registry().mspIds().contains(mspId);
    }

    /** The channel's configuration in force (switched by each committed config block). */
    public CurrentConfig currentConfig() {
        return config;
    }

    void wire(HeartbeatElection election, LeaderElection leadership, BlockPusher pusher, AntiEntropy antiEntropy,
              DeliverClient deliver,
              java.util.Map<String, List<io.charter.peer.delivery.Endpoint>> otherOrganizations) {
        this.neighbours = new Neighbours(election.peers().stream().map(io.charter.peer.dissemination.OrgPeer::endpoint).toList(),
                deliver.orderers(), "join", otherOrganizations);
        this.election = election;
        this.leadership = leadership;
        this.pusher = pusher;
        this.antiEntropy = antiEntropy;
        this.deliver = deliver;
        leadership.onLeadershipChange(leading -> {
            if (leading) {
                deliver.start();
            } else {
                deliver.stop();
            }
        });
    }

    /**
     * Replaces this channel's organization peers (election, pusher, anti-entropy) and, when
     * {@code next} names any, its orderers (delivery); with no orderer in {@code next} the known ones
     * are kept, since without one the organization could never receive blocks.
     */
    void updateNeighbours(Neighbours next, List<io.charter.peer.dissemination.OrgPeer> orgPeers) {
        synchronized (neighboursLock) {
            // when every peer pulls from the orderers, each leads alone and pushes nothing
            election.updatePeers(pusher.settings().everyPeerPulls() ? List.of() : orgPeers);
            pusher.updatePeers(orgPeers);
            antiEntropy.updatePeers(orgPeers);
            List<io.charter.peer.delivery.Endpoint> orderers = next.orderers().isEmpty() ? deliver.orderers() : next.orderers();
            if (!next.orderers().isEmpty()) {
                deliver.updateOrderers(orderers);
            }
            neighbours = new Neighbours(orgPeers.stream().map(io.charter.peer.dissemination.OrgPeer::endpoint).toList(),
                    orderers, next.source(), next.otherOrganizations());
        }
    }

    /** The organization peers and orderers this channel works with now. */
    public Neighbours neighbours() {
        return neighbours;
    }

    void start() {
        election.start();
        if (leadership != election) {
            leadership.start();
        }
        antiEntropy.start();
    }

    @Override
    public String channelId() {
        return ledger.channelId();
    }

    @Override
    public long height() {
        return ledger.height();
    }

    @Override
    public PrevalidatedBlock prevalidate(Block block) {
        return validator.prevalidate(block);
    }

    @Override
    public synchronized CommitResult commit(PrevalidatedBlock block) {
        if (closed) {
            throw new IllegalStateException("channel " + channelId() + " is closed on this peer");
        }
        long started = System.nanoTime();
        CommitResult result = committer.commit(block);
        if (result instanceof CommitResult.Committed) {
            long nanos = System.nanoTime() - started;
            commitNanos.addAndGet(nanos);
            commitLatency.accept(nanos);
        }
        if (result instanceof CommitResult.Committed committed) {
            events.committed(block.block(), committed.codes());
            if (leadership != null && leadership.isLeader()) {
                pusher.push(block.block());
            }
        }
        return result;
    }

    /**
     * A block pushed by the organization's leader (or a peer relaying for it), passed on to {@code relayTo} when
     * committed here or when this peer already had exactly this block (same header); after a gap or a refusal the
     * subtree is left to its anti-entropy, so nothing this peer could not validate travels on.
     */
    @Override
    public PushBlockResponse receivePush(Block block, List<String> relayTo) {
        PushBlockResponse response = receivePush(block);
        boolean valid = switch (response.getOutcome()) {
            case COMMITTED -> true;
            case ALREADY_HAVE -> ledger.block(block.getHeader().getNumber())
                    .map(stored -> stored.getHeader().equals(block.getHeader())).orElse(false);
            default -> false;
        };
        if (valid && !relayTo.isEmpty()) {
            pusher.relay(block, relayTo);
        }
        return response;
    }

    /** A block pushed by the organization's leader. */
    public PushBlockResponse receivePush(Block block) {
        long number = block.getHeader().getNumber();
        long height = height();
        PushBlockResponse.Builder response = PushBlockResponse.newBuilder();
        if (number < height) {
            return response.setOutcome(PushOutcome.ALREADY_HAVE).setHeight(height).build();
        }
        if (number > height) {
            antiEntropy.trigger();
            return response.setOutcome(PushOutcome.GAP).setHeight(height)
                    .setDetail("height " + height + ", pulling the missing blocks from the organization").build();
        }
        CommitResult result = commit(prevalidate(block));
        switch (result) {
            case CommitResult.Committed c -> {
                pushesCommitted.incrementAndGet();
                response.setOutcome(PushOutcome.COMMITTED);
            }
            case CommitResult.AlreadyCommitted a -> response.setOutcome(PushOutcome.ALREADY_HAVE);
            case CommitResult.Refused r -> {
                pushesRefused.incrementAndGet();
                response.setOutcome(PushOutcome.REFUSED).setDetail(r.reason() + ": " + r.detail());
            }
        }
        return response.setHeight(height()).build();
    }

    /** The caller's TLS certificate as an identity of one of the channel's organizations. */
    public Optional<ValidatedIdentity> tlsCaller(X509Certificate certificate) {
        String callerMsp = SubjectName.from(certificate).map(SubjectName::organization).orElse("");
        return access.tlsIdentities().validate(callerMsp, certificate).identity();
    }

    /** Whether the caller is a valid TLS identity of this peer's own organization. */
    public boolean isOrganizationMember(X509Certificate certificate) {
        return tlsCaller(certificate).map(id -> id.mspId().equals(mspId)).orElse(false);
    }

    /** Whether the caller's TLS identity satisfies the channel's Readers policy. */
    public boolean isReader(X509Certificate certificate) {
        Access now = access;
        String callerMsp = SubjectName.from(certificate).map(SubjectName::organization).orElse("");
        return now.tlsIdentities().validate(callerMsp, certificate).identity()
                .map(id -> now.context().evaluate(now.readers(), List.of(id)).satisfied()).orElse(false);
    }

    public Ledger ledger() {
        return ledger;
    }

    /** The context of the configuration in force now. */
    public ChannelContext context() {
        return config.get();
    }

    public CommitEvents events() {
        return events;
    }

    /** The contracts defined on this channel (whence the validator's endorsement policies). */
    public ContractDefinitions definitions() {
        return definitions;
    }

    /** The organization's current leader on this channel, as this peer sees it. */
    public Optional<String> leader() {
        return leadership.leader();
    }

    /** Total time spent validating and committing the committed blocks (nanoseconds). */
    public long commitNanos() {
        return commitNanos.get();
    }

    /** Called with the validation and commit time (nanoseconds) of each committed block, e.g. by a metrics timer. */
    public void onCommitLatency(java.util.function.LongConsumer listener) {
        this.commitLatency = listener;
    }

    public boolean isClosed() {
        return closed;
    }

    public ValidationStats stats() {
        return committer.stats();
    }

    public HeartbeatElection election() {
        return election;
    }

    /** Who decides that this peer leads: the index's lease (with the heartbeat election as fallback) or the heartbeat election. */
    public LeaderElection leadership() {
        return leadership;
    }

    /** A heartbeat of another peer of the organization, for this channel's election. */
    @Override
    public HeartbeatResponse onHeartbeat(HeartbeatRequest request) {
        return election.onHeartbeat(request);
    }

    public boolean isLeader() {
        return leadership.isLeader();
    }

    public DeliverClient deliver() {
        return deliver;
    }

    public AntiEntropy antiEntropy() {
        return antiEntropy;
    }

    public BlockPusher pusher() {
        return pusher;
    }

    /** Pushed blocks refused whole (bad orderer signatures, broken chain, malformed). */
    public long pushesRefused() {
        return pushesRefused.get();
    }

    public long pushesCommitted() {
        return pushesCommitted.get();
    }

    /**
     * Stops leadership, delivery and anti-entropy, then waits for a block commit in progress to finish
     * (commits hold this object's lock) before closing the validator: a peer stopped mid-commit still
     * ends at a block boundary without relying on the database's rollback.
     */
    @Override
    public void close() {
        if (leadership != election) {
            leadership.close();
        }
        election.close();
        deliver.stop();
        antiEntropy.close();
        synchronized (this) {
            closed = true;
            validator.close();
        }
    }
}
