package io.charter.peer.node;

import io.charter.common.identity.MspDefinition;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.common.transport.MethodAccess;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportRefusals;
import io.charter.common.transport.TransportServer;
import io.charter.common.transport.tls.ExpectedServer;
import io.charter.common.transport.tls.TlsTrust;
import io.charter.peer.administration.AdminAuthorization;
import io.charter.peer.administration.AdministeredPeer;
import io.charter.peer.administration.PeerAdministration;
import io.charter.peer.administration.SignedAdminRequests;
import io.charter.peer.contract.ContractPackage;
import io.charter.peer.contract.ContractRuntime;
import io.charter.peer.contract.ContractStore;
import io.charter.peer.delivery.DeliverClient;
import io.charter.peer.delivery.Endpoint;
import io.charter.peer.dissemination.AntiEntropy;
import io.charter.peer.dissemination.BlockPusher;
import io.charter.peer.dissemination.HeartbeatElection;
import io.charter.peer.dissemination.LeaderElection;
import io.charter.peer.dissemination.LeaseElection;
import io.charter.peer.dissemination.OrgPeer;
import io.charter.peer.endorsement.EndorsementStats;
import io.charter.peer.endorsement.Endorser;
import io.charter.peer.endorsement.EndorsingChannel;
import io.charter.peer.ledger.CommittedConfig;
import io.charter.peer.ledger.PostgresLedger;
import io.charter.peer.lifecycle.ContractDefinitions;
import io.charter.peer.service.AdminMethods;
import io.charter.peer.service.CommitEventHandlers;
import io.charter.peer.service.ContractHandlers;
import io.charter.peer.service.DisseminationHandlers;
import io.charter.peer.service.EndorseHandler;
import io.charter.peer.service.PeerMethods;
import io.charter.peer.service.PrivateDataHandlers;
import io.charter.peer.privatedata.Dissemination;
import io.charter.peer.privatedata.Reconciler;
import io.charter.peer.service.ServedChannels;
import io.charter.peer.validation.BlockCommitter;
import io.charter.peer.validation.BlockValidator;
import io.charter.peer.validation.ChannelContext;
import io.charter.peer.validation.CurrentConfig;
import io.charter.peer.validation.EndorsementPolicies;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer: its channels ({@link ChannelPeer}: ledger, contract definitions, committer, election,
 * delivery, dissemination, events), its installed contracts ({@link ContractStore} under
 * {@code <dataDir>/contracts}, run by one {@link ContractRuntime}), one {@link Endorser} signing with
 * the peer's signing identity for every joined channel, one mutual-TLS {@link TransportServer} serving
 * {@code peer.Endorse}, {@code peer.GetBlocks}, {@code peer.PushBlock}, {@code peer.Heartbeat},
 * {@code peer.CommitStatus}, {@code peer.BlockEvents}, {@code peer.ContractPolicy} and
 * {@code peer.ContractDefinitions} and, for admins of its organization, the administration methods
 * ({@code peer.InstallContract}, {@code peer.JoinChannel}, {@code peer.InstalledContracts}, {@code peer.Channels},
 * {@code peer.LogSpec}), and one transport client per organization peer and per orderer. The node wires the
 * server; the methods' handlers are the {@code io.charter.peer.service} package's, which reach the joined
 * channels through {@link ChannelPeer}'s {@code ServedChannel} side and the administration through
 * {@link PeerAdministration}. Trust (server and clients) is the union of the settings' trusted
 * roots (the consortium root: admins reach a peer that has joined no channel yet) and the TLS roots and CRLs
 * of the joined channels' organizations, re-read at every handshake.
 *
 * <p>The validator of each channel takes its endorsement policies from the channel's committed
 * contract definitions: a transaction on a namespace without a definition is UNDEFINED_CONTRACT.
 */
public final class PeerNode implements AdministeredPeer, AutoCloseable,
        io.charter.common.membership.NodeBootstrap.CrlTarget {

    private static final Logger LOG = LoggerFactory.getLogger(PeerNode.class);

    private final PeerSettings settings;
    private final Map<String, ChannelPeer> channels = new ConcurrentHashMap<>();
    private final Map<String, EndorsingChannel> endorsing = new ConcurrentHashMap<>();
    private final ContractStore contracts;
    private final ContractRuntime runtime;
    private final Endorser endorser;
    private final EndorsementStats endorsements = new EndorsementStats();
    private final PeerAdministration administration;
    private final Map<Endpoint, TransportClient> clients = new ConcurrentHashMap<>();
    /** Clients to peers of collections' member organizations (any organization), by endpoint and organization. */
    private final Map<String, TransportClient> collectionClients = new ConcurrentHashMap<>();
    private final Map<String, Reconciler> reconcilers = new ConcurrentHashMap<>();
    private final Dissemination dissemination;
    private final TlsTrust trust = new ChannelsTrust();
    private final List<java.util.function.BiConsumer<String, ChannelConfig>> configApplied =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private TransportServer server;
    private volatile boolean closed;
    /** The index's leader leases, when the peer has a membership service; otherwise the heartbeat election alone. */
    private volatile Optional<IndexLeases> leases = Optional.empty();
    private volatile java.util.function.Function<String, Optional<Long>> ordererHeights = channelId -> Optional.empty();

    /** The index's lease calls and how often a peer asks. */
    private record IndexLeases(LeaseElection.Leases leases, Duration renewInterval) {}

    public PeerNode(PeerSettings settings) {
        this.settings = settings;
        this.contracts = new ContractStore(settings.dataDir().resolve("contracts"));
        this.runtime = new ContractRuntime(contracts, settings.contracts());
        this.dissemination = new Dissemination(settings.mspId(), this::memberPeers, this::collectionPeerClient,
                settings.privateData());
        this.endorser = new Endorser(settings.signing(), channelId -> Optional.ofNullable(endorsing.get(channelId)),
                runtime, settings.clock(), settings.endorsement(), dissemination);
        this.administration = new PeerAdministration(this,
                new AdminAuthorization(settings.mspId(), this::channels, settings.clock()), settings.clock());
    }

    /**
     * Lets the index's leader lease decide who leads each channel joined from now on (the heartbeat election
     * stays as the fallback while the index cannot be reached); call before joining or restoring channels.
     */
    public PeerNode leadThroughIndex(LeaseElection.Leases leases, Duration renewInterval) {
        this.leases = Optional.of(new IndexLeases(leases, renewInterval));
        return this;
    }

    /**
     * Where the orderers' height of a channel comes from (e.g. the index's last report): a follower far behind it and
     * standing still pulls from the orderers itself (LeaseElection). Unknown heights by default.
     */
    public PeerNode ordererHeightsFrom(java.util.function.Function<String, Optional<Long>> heights) {
        this.ordererHeights = heights;
        return this;
    }

    /** Installing contracts and joining channels for admins of the organization (REST API and transport). */
    public PeerAdministration administration() {
        return administration;
    }

    public PeerSettings settings() {
        return settings;
    }

    @Override
    public String peerId() {
        return settings.peerId();
    }

    /**
     * Joins (or, after a restart, reopens) the channel of {@code genesis} with its ledger in {@code dataSource}
     * and starts its election, anti-entropy and, when leading, delivery.
     */
    public synchronized ChannelPeer join(DataSource dataSource, Block genesis) {
        return join(dataSource, genesis, new Neighbours(settings.organizationPeers(), settings.orderers(), "configuration"));
    }

    /**
     * As {@link #join(DataSource, Block)}, with this channel's organization peers and orderers (e.g.
     * discovered through the index) instead of the settings' lists.
     */
    public synchronized ChannelPeer join(DataSource dataSource, Block genesis, Neighbours neighbours) {
        String channelId = ChannelContext.configOf(genesis).getChannelId();
        if (channels.containsKey(channelId)) {
            throw new IllegalStateException("already joined " + channelId);
        }
        PostgresLedger ledger = new PostgresLedger(dataSource, channelId);
        BlockCommitter.commitGenesis(ledger, genesis);
        // the latest configuration committed (a restart continues with it); the genesis one on older ledgers
        ChannelConfig inForce = ledger.latestConfig().map(CommittedConfig::config)
                .orElseGet(() -> ChannelContext.configOf(ledger.block(0).orElseThrow()));
        CurrentConfig config = new CurrentConfig(ChannelContext.of(inForce, settings.clock()), settings.clock());
        ContractDefinitions definitions = new ContractDefinitions(() -> config.get().endorsement(), ledger);
        BlockValidator validator = new BlockValidator(config, EndorsementPolicies.definedBy(definitions));
        ChannelPeer channel = new ChannelPeer(settings.mspId(), ledger, definitions, validator, settings.clock());
        config.onSwitch(next -> configApplied.forEach(listener -> listener.accept(channelId, next.config())));
        List<OrgPeer> orgPeers = neighbours.organizationPeers().stream().filter(e -> !e.id().equals(settings.peerId()))
                .map(e -> new OrgPeer(e, organizationPeerClient(e))).toList();
        // when every peer pulls from the orderers, each peer's election knows no other peer: it leads alone
        List<OrgPeer> electing = settings.dissemination().everyPeerPulls() ? List.of() : orgPeers;
        HeartbeatElection election = new HeartbeatElection(channelId, settings.peerId(), electing,
                settings.electionTimeout(), settings.leaderMaxLag(), settings.clock(), channel::height);
        BlockPusher pusher = new BlockPusher(channelId, settings.peerId(), orgPeers, Duration.ofSeconds(30),
                settings.dissemination());
        AntiEntropy antiEntropy = new AntiEntropy(channel, orgPeers, election::aliveHeights, settings.antiEntropyInterval());
        DeliverClient deliver = new DeliverClient(channel, neighbours.orderers(), this::ordererClient, settings.deliverRetry());
        // every peer leading (no super nodes) takes no lease: one holder per organization is what a lease means
        LeaderElection leadership = leases.filter(index -> !settings.dissemination().everyPeerPulls())
                .<LeaderElection>map(index -> new LeaseElection(channelId, settings.peerId(), index.leases(), election,
                        election::aliveHeights, () -> ordererHeights.apply(channelId), channel::height,
                        settings.leaderMaxLag(), index.renewInterval(), settings.clock())).orElse(election);
        channel.wire(election, leadership, pusher, antiEntropy, deliver, neighbours.otherOrganizations());
        channels.put(channelId, channel);
        endorsing.put(channelId, new EndorsingChannel(config, ledger, definitions));
        reconcilers.put(channelId, new Reconciler(ledger, (namespace, collection) -> definitions.definition(namespace)
                .flatMap(defined -> io.charter.peer.privatedata.Collection.of(defined.definition(), collection,
                        config.get().applicationOrganizations())), this::memberPeers, this::collectionPeerClient,
                settings.privateData().pushTimeout()).start(settings.privateData().reconcileInterval()));
        channel.start();
        LOG.info("{} joined channel {} at height {}, configuration sequence {}", settings.peerId(), channelId,
                ledger.height(), config.sequence());
        if (!channel.isMember()) {
            LOG.error("channel {}: this peer's organization {} is not in its configuration sequence {}: the peer does not"
                    + " endorse for it and its orderers and peers do not accept it; leave the channel", channelId,
                    settings.mspId(), config.sequence());
        }
        return channel;
    }

    /**
     * Replaces the organization peers and orderers a joined channel works with (e.g. after the index
     * changed): election, pusher and anti-entropy use the new organization peers and delivery the new
     * orderers from now on (with no orderer in {@code neighbours}, the known ones are kept); the
     * transport client of a node no joined channel uses any more is closed. This peer itself is never
     * its own neighbour.
     *
     * @return false when this peer has not joined {@code channelId}
     */
    public synchronized boolean updateNeighbours(String channelId, Neighbours neighbours) {
        ChannelPeer channel = channels.get(channelId);
        if (channel == null || closed) {
            return false;
        }
        Neighbours before = channel.neighbours();
        List<OrgPeer> orgPeers = neighbours.organizationPeers().stream().filter(e -> !e.id().equals(settings.peerId()))
                .map(e -> new OrgPeer(e, organizationPeerClient(e))).toList();
        channel.updateNeighbours(neighbours, orgPeers);
        Neighbours after = channel.neighbours();
        if (!after.organizationPeers().equals(before.organizationPeers()) || !after.orderers().equals(before.orderers())) {
            LOG.info("channel {}: now {} organization peers {} and {} orderers {} ({})", channelId,
                    after.organizationPeers().size(), after.organizationPeers(), after.orderers().size(), after.orderers(),
                    neighbours.source());
        }
        closeUnusedClients();
        return true;
    }

    /** The nodes this peer holds a transport client to (organization peers and orderers). */
    public Set<Endpoint> connectedEndpoints() {
        return Set.copyOf(clients.keySet());
    }

    /** Closes the clients of nodes that no joined channel names as a neighbour any more. */
    private void closeUnusedClients() {
        Set<Endpoint> used = new java.util.HashSet<>();
        for (ChannelPeer channel : channels.values()) {
            used.addAll(channel.neighbours().organizationPeers());
            used.addAll(channel.neighbours().orderers());
        }
        for (Endpoint endpoint : List.copyOf(clients.keySet())) {
            if (!used.contains(endpoint)) {
                TransportClient client = clients.remove(endpoint);
                if (client != null) {
                    client.close(Duration.ofMillis(200));
                    LOG.info("{} closed its connection to {}", settings.peerId(), endpoint);
                }
            }
        }
    }

    /**
     * Leaves a channel without stopping the peer: stops its election, delivery and anti-entropy, waits
     * for a commit in progress, and stops endorsing and serving it. The ledger stays in the database;
     * joining again with the same genesis block reopens it at its height.
     *
     * @return false when this peer had not joined {@code channelId}
     */
    public boolean leave(String channelId) {
        return leave(channelId, false);
    }

    /**
     * As {@link #leave(String)}; with {@code removeData}, the channel's ledger is then deleted from the database
     * (blocks, state, history, indexes), so that joining again starts from the genesis block.
     *
     * @return false when this peer had not joined {@code channelId}
     */
    @Override
    public synchronized boolean leave(String channelId, boolean removeData) {
        ChannelPeer channel = channels.remove(channelId);
        if (channel == null) {
            return false;
        }
        endorsing.remove(channelId);
        Reconciler reconciler = reconcilers.remove(channelId);
        if (reconciler != null) {
            reconciler.close();
        }
        channel.close();
        closeUnusedClients();
        long height = channel.height();
        if (removeData) {
            channel.ledger().deleteAll();
        }
        LOG.info("{} left channel {} at height {}{}", settings.peerId(), channelId, height,
                removeData ? "; its ledger is deleted" : "");
        return true;
    }

    @Override
    public Optional<ChannelPeer> channel(String channelId) {
        return Optional.ofNullable(channels.get(channelId));
    }

    /** The joined channels, by id. */
    @Override
    public List<ChannelPeer> channels() {
        return channels.values().stream().sorted(java.util.Comparator.comparing(ChannelPeer::channelId)).toList();
    }

    /** The contracts defined on a joined channel, by name; empty when the channel is not joined. */
    public Optional<ContractDefinitions> definitions(String channelId) {
        return channel(channelId).map(ChannelPeer::definitions);
    }

    /**
     * Installs a contract jar on this peer (idempotent: the same bytes give the same package).
     *
     * @throws io.charter.peer.contract.ContractLoadException when the bytes are not a jar with exactly one
     *     usable contract; nothing is installed then
     */
    @Override
    public ContractPackage installContract(byte[] jar) {
        ContractPackage installed = contracts.install(jar);
        LOG.info("{} installed contract package {}", settings.peerId(), installed.packageId());
        return installed;
    }

    /** The installed contract packages, oldest installation first. */
    @Override
    public List<ContractPackage> installedContracts() {
        return contracts.list();
    }

    /** The organizations of the joined channels (whose CRLs the membership service may refresh). */
    @Override
    public Set<String> mspIds() {
        Set<String> mspIds = new java.util.TreeSet<>();
        channels.values().forEach(c -> mspIds.addAll(c.context().registry().mspIds()));
        return mspIds;
    }

    /**
     * Replaces the CRLs of {@code mspId} in every joined channel that has it: endorsement, validation
     * and the transport's TLS trust use them from the next proposal, block or handshake on.
     *
     * @throws IllegalArgumentException when a CRL was signed by none of the organization's CAs
     */
    @Override
    public void updateCrls(String mspId, List<X509CRL> crls) {
        for (ChannelPeer channel : channels.values()) {
            channel.updateCrls(mspId, crls);
        }
    }

    /**
     * Calls {@code listener} with the channel id and the new configuration each time a config block of a
     * joined channel has committed and its configuration is in force (on the committing thread: hand slow work
     * elsewhere). The shell uses it to ask the index for the channel's orderers again at once.
     */
    public void onConfigApplied(java.util.function.BiConsumer<String, ChannelConfig> listener) {
        configApplied.add(listener);
    }

    /** Heights of the joined channels, by id. */
    public Map<String, Long> heights() {
        Map<String, Long> heights = new java.util.TreeMap<>();
        channels.values().forEach(c -> heights.put(c.channelId(), c.height()));
        return heights;
    }

    public Endorser endorser() {
        return endorser;
    }

    /** Endorsement outcomes since the node started. */
    public EndorsementStats endorsementStats() {
        return endorsements;
    }

    /**
     * Starts the transport server: each method with its entry of the access table and its handler
     * ({@code io.charter.peer.service}).
     */
    public synchronized PeerNode start() {
        ServedChannels served = new ServedChannels(channelId -> Optional.ofNullable(channels.get(channelId)),
                settings.mspId(), settings.peerId());
        DisseminationHandlers dissemination = new DisseminationHandlers(served);
        CommitEventHandlers commits = new CommitEventHandlers(served);
        ContractHandlers contractInfo = new ContractHandlers(served);
        PrivateDataHandlers privateData = new PrivateDataHandlers(served, this.dissemination.settings());
        AdminMethods admin = new AdminMethods(administration, new SignedAdminRequests(settings.clock()));
        server = TransportServer.builder(settings.tls(), trust)
                .bind(settings.host(), settings.port())
                .limits(settings.limits())
                .unary(PeerMethodNames.ENDORSE, PeerMethods.access(PeerMethodNames.ENDORSE), new EndorseHandler(endorser, endorsements))
                .serverStream(PeerMethodNames.GET_BLOCKS, PeerMethods.access(PeerMethodNames.GET_BLOCKS), dissemination::getBlocks)
                .unary(PeerMethodNames.PUSH_BLOCK, PeerMethods.access(PeerMethodNames.PUSH_BLOCK), dissemination::pushBlock)
                .unary(PeerMethodNames.HEARTBEAT, PeerMethods.access(PeerMethodNames.HEARTBEAT), dissemination::heartbeat)
                .unary(PeerMethodNames.PUSH_PRIVATE_DATA, PeerMethods.access(PeerMethodNames.PUSH_PRIVATE_DATA), privateData::push)
                .unary(PeerMethodNames.PULL_PRIVATE_DATA, PeerMethods.access(PeerMethodNames.PULL_PRIVATE_DATA), privateData::pull)
                .unary(PeerMethodNames.COMMIT_STATUS, PeerMethods.access(PeerMethodNames.COMMIT_STATUS), commits::commitStatus)
                .serverStream(PeerMethodNames.BLOCK_EVENTS, PeerMethods.access(PeerMethodNames.BLOCK_EVENTS), commits::blockEvents)
                .unary(PeerMethodNames.CONTRACT_POLICY, PeerMethods.access(PeerMethodNames.CONTRACT_POLICY), contractInfo::contractPolicy)
                .unary(PeerMethodNames.CONTRACT_DEFINITIONS, PeerMethods.access(PeerMethodNames.CONTRACT_DEFINITIONS),
                        contractInfo::contractDefinitions)
                .unary(PeerMethodNames.INSTALL_CONTRACT, PeerMethods.access(PeerMethodNames.INSTALL_CONTRACT), admin::installContract)
                .unary(PeerMethodNames.JOIN_CHANNEL, PeerMethods.access(PeerMethodNames.JOIN_CHANNEL), admin::joinChannel)
                .unary(PeerMethodNames.INSTALLED_CONTRACTS, PeerMethods.access(PeerMethodNames.INSTALLED_CONTRACTS),
                        admin::installedContracts)
                .unary(PeerMethodNames.CHANNELS, PeerMethods.access(PeerMethodNames.CHANNELS), admin::channels)
                .unary(PeerMethodNames.LOG_SPEC, PeerMethods.access(PeerMethodNames.LOG_SPEC), admin::logSpec)
                .unary(PeerMethodNames.LEAVE_CHANNEL, PeerMethods.access(PeerMethodNames.LEAVE_CHANNEL), admin::leaveChannel)
                .unary(PeerMethodNames.CREATE_SNAPSHOT, PeerMethods.access(PeerMethodNames.CREATE_SNAPSHOT), admin::createSnapshot)
                .unary(PeerMethodNames.SNAPSHOTS, PeerMethods.access(PeerMethodNames.SNAPSHOTS), admin::snapshots)
                .build()
                .start();
        return this;
    }

    public int port() {
        return server.port();
    }

    /** The methods this peer serves and who may call them, as its transport enforces them. */
    public Map<String, MethodAccess> accessTable() {
        return server.accessTable();
    }

    /** What the transport refused for {@code reason} since the peer started (0 before it started), for the metrics. */
    public long transportRefusals(TransportRefusals.Reason reason) {
        TransportServer running = server;
        return running == null ? 0 : running.refusals().total(reason);
    }

    /** The channel's reconciliation of missed private data; empty when the channel is not joined. */
    public Optional<Reconciler> reconciler(String channelId) {
        return Optional.ofNullable(reconcilers.get(channelId));
    }

    /**
     * The peers of a channel's organizations this peer can send private data to, by organization: the other peers of
     * its own organization (its neighbours), the other organizations' peers the index lists, and every organization's
     * anchor peers from the configuration in force; never this peer itself.
     */
    private Map<String, List<io.charter.peer.privatedata.PeerAddress>> memberPeers(String channelId) {
        ChannelPeer channel = channels.get(channelId);
        if (channel == null) {
            return Map.of();
        }
        Map<String, List<io.charter.peer.privatedata.PeerAddress>> peers = new java.util.TreeMap<>();
        Set<String> seen = new java.util.HashSet<>();
        seen.add(settings.host() + ":" + settings.port());
        for (Endpoint neighbour : channel.neighbours().organizationPeers()) {
            if (!neighbour.id().equals(settings.peerId()) && seen.add(neighbour.host() + ":" + neighbour.port())) {
                peers.computeIfAbsent(settings.mspId(), m -> new ArrayList<>())
                        .add(new io.charter.peer.privatedata.PeerAddress(neighbour.id(), neighbour.host(), neighbour.port()));
            }
        }
        channel.neighbours().otherOrganizations().forEach((mspId, endpoints) -> {
            for (Endpoint endpoint : endpoints) {
                if (!mspId.equals(settings.mspId()) && seen.add(endpoint.host() + ":" + endpoint.port())) {
                    peers.computeIfAbsent(mspId, m -> new ArrayList<>())
                            .add(new io.charter.peer.privatedata.PeerAddress(endpoint.id(), endpoint.host(), endpoint.port()));
                }
            }
        });
        for (io.charter.protocol.OrganizationConfig organization : channel.context().config().getOrganizationsList()) {
            for (io.charter.protocol.Endpoint anchor : organization.getAnchorPeersList()) {
                String address = anchor.getHost() + ":" + anchor.getPort();
                if (seen.add(address)) {
                    peers.computeIfAbsent(organization.getMspId(), m -> new ArrayList<>())
                            .add(new io.charter.peer.privatedata.PeerAddress(address, anchor.getHost(), anchor.getPort()));
                }
            }
        }
        return peers;
    }

    /** A peer of {@code mspId} for private data: the client accepts only a PEER TLS certificate of that organization. */
    private TransportClient collectionPeerClient(io.charter.peer.privatedata.PeerAddress endpoint, String mspId) {
        if (closed) {
            throw new IllegalStateException(settings.peerId() + " is closed");
        }
        return collectionClients.computeIfAbsent(mspId + "@" + endpoint.host() + ":" + endpoint.port(),
                key -> TransportClient.builder(endpoint.host(), endpoint.port(), settings.tls(), trust)
                        .expectServer(ExpectedServer.peer().ofOrganization(mspId))
                        .backoff(settings.reconnectBackoff())
                        .limits(settings.limits())
                        .connect());
    }

    /** A peer of this peer's organization: a client that accepts no other organization's node, nor an orderer. */
    private TransportClient organizationPeerClient(Endpoint endpoint) {
        return client(endpoint, ExpectedServer.peer().ofOrganization(settings.mspId()));
    }

    private TransportClient ordererClient(Endpoint endpoint) {
        return client(endpoint, ExpectedServer.orderer());
    }

    private TransportClient client(Endpoint endpoint, ExpectedServer expected) {
        return clients.computeIfAbsent(endpoint, e -> TransportClient.builder(e.host(), e.port(), settings.tls(), trust)
                .expectServer(expected)
                .backoff(settings.reconnectBackoff())
                .limits(settings.limits())
                .connect());
    }

    /** Trust of the node's transport: every joined channel's organizations' TLS roots and CRLs. */
    private final class ChannelsTrust implements TlsTrust {
        @Override
        public Collection<X509Certificate> trustedRoots() {
            Set<X509Certificate> roots = new LinkedHashSet<>(settings.trustedRoots());
            for (ChannelPeer channel : channels.values()) {
                for (String mspId : channel.context().registry().mspIds()) {
                    channel.context().registry().definition(mspId).map(MspDefinition::tlsRootCertificates).ifPresent(roots::addAll);
                }
            }
            return roots;
        }

        @Override
        public Collection<X509CRL> currentCrls() {
            List<X509CRL> crls = new ArrayList<>();
            for (ChannelPeer channel : channels.values()) {
                for (String mspId : channel.context().registry().mspIds()) {
                    channel.context().registry().definition(mspId).map(MspDefinition::crls).ifPresent(crls::addAll);
                }
            }
            return crls;
        }
    }

    /**
     * Stops the server (no more pushes or proposals), then the channels (leadership, delivery,
     * anti-entropy; each waits for a block commit in progress), the clients and the contract runtime.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.close(Duration.ofMillis(200));
        }
        reconcilers.values().forEach(Reconciler::close);
        channels.values().forEach(ChannelPeer::close);
        clients.values().forEach(c -> c.close(Duration.ofMillis(200)));
        collectionClients.values().forEach(c -> c.close(Duration.ofMillis(200)));
        runtime.close();
        LOG.info("{} closed", settings.peerId());
    }
}
