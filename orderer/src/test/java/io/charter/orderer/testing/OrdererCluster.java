package io.charter.orderer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.pki.Role;
import io.charter.common.protocol.BlockSignatures;
import io.charter.common.protocol.Blocks;
import io.charter.common.protocol.ChainVerdict;
import io.charter.common.protocol.ChainVerifier;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.TransactionIds;
import io.charter.common.testing.Await;
import io.charter.common.testing.FreePorts;
import io.charter.common.testing.TestChannels;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportLimits;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.common.transport.tls.TlsTrust;
import io.charter.orderer.access.ChannelTrusts;
import io.charter.orderer.blockstore.BlockStoreOptions;
import io.charter.orderer.channel.ChannelObserver;
import io.charter.orderer.channel.ChannelOrderer;
import io.charter.orderer.channel.ChannelSettings;
import io.charter.orderer.channel.EnvelopeValidator;
import io.charter.orderer.channel.OrdererIdentity;
import io.charter.orderer.channel.OrderingNode;
import io.charter.orderer.channel.OrderingNodeConfig;
import io.charter.orderer.consensus.RaftSettings;
import io.charter.orderer.consensus.RaftTls;
import io.charter.orderer.service.OrdererMetrics;
import io.charter.orderer.service.OrdererServer;
import io.charter.protocol.BatchSize;
import io.charter.protocol.Block;
import io.charter.protocol.BlockSignature;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.SerializedIdentity;
import io.charter.protocol.SignatureHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Orderers of OrdererOrg on loopback in this JVM, each with its own signing and TLS identity from a {@link TestPki},
 * for the orderer's, the peer's and the clients' tests. A member runs either as a whole {@link OrdererServer} (Raft
 * over mutual TLS, broadcast checks, the Netty transport: {@link #start}) or as its Raft core alone
 * ({@link OrderingNode}, with the cluster's envelope validator and optionally plaintext Raft: {@link #startNode}).
 *
 * <p>The channel's genesis block lists every member added so far as a consenter; the test builds it with
 * {@link #genesis(int, long, long, Duration)} (OrdererOrg and the cluster's {@code organizations}) or
 * {@link #genesis(ChannelConfig)} (a configuration of its own around {@link #ordererConfig}).
 */
public final class OrdererCluster implements AutoCloseable {

    public static final String ORDERER_ORG = "OrdererOrg";

    /** A member: where its Raft server listens, who it is, and how the channel configuration lists it. */
    public record Member(int index, Endpoint cluster, OrdererIdentity identity, TestPki.Credential tls, Consenter consenter) {}

    private final TestPki pki;
    private final Path root;
    private final String channelId;
    private final List<String> organizations;
    private final Settings settings;
    private final List<Member> members = new ArrayList<>();
    private final Map<Integer, OrderingNode> nodes = new TreeMap<>();
    private final Map<Integer, OrdererServer> servers = new TreeMap<>();
    private final List<TransportClient> clients = new ArrayList<>();
    private final Optional<TestPki.Credential> client;
    private final Optional<TestPki.Credential> clientTls;
    private Block genesis;

    /** How members run; the defaults suit a test on a busy machine, each test changes what it is about. */
    public record Settings(RaftSettings raft, boolean raftTls, BlockStoreOptions blockStore, ChannelSettings channel,
                           EnvelopeValidator validator, ChannelObserver observer) {

        /** Fast elections, mutual TLS, fsynced 64 MiB segments, a 30 s commit timeout. */
        public static Settings defaults() {
            return new Settings(new RaftSettings(Duration.ofMillis(300), Duration.ofMillis(600), Duration.ofSeconds(3),
                    1_000_000, 64L * 1024 * 1024, 4), true, new BlockStoreOptions(64L * 1024 * 1024, true),
                    new ChannelSettings(Duration.ofSeconds(30), 200_000), EnvelopeValidator.ACCEPT_ALL, ChannelObserver.NONE);
        }

        public Settings withRaft(RaftSettings value) {
            return new Settings(value, raftTls, blockStore, channel, validator, observer);
        }

        /** Plaintext Raft when false (cores only: a server always runs Raft over TLS). */
        public Settings withRaftTls(boolean value) {
            return new Settings(raft, value, blockStore, channel, validator, observer);
        }

        public Settings withBlockStore(BlockStoreOptions value) {
            return new Settings(raft, raftTls, value, channel, validator, observer);
        }

        public Settings withChannel(ChannelSettings value) {
            return new Settings(raft, raftTls, blockStore, value, validator, observer);
        }

        /** The broadcast checks of a core; a server installs its own. */
        public Settings withValidator(EnvelopeValidator value) {
            return new Settings(raft, raftTls, blockStore, channel, value, observer);
        }

        public Settings withObserver(ChannelObserver value) {
            return new Settings(raft, raftTls, blockStore, channel, validator, value);
        }
    }

    /**
     * {@code size} members of {@code pki}'s OrdererOrg, data under {@code root}, for {@code channelId}; the
     * {@code organizations} join OrdererOrg in {@link #genesis(int, long, long, Duration)}, and the first of them
     * is the organization of the {@link #client()}.
     */
    public OrdererCluster(TestPki pki, Path root, int size, String channelId, List<String> organizations,
                          Settings settings) {
        this.pki = pki;
        this.root = root;
        this.channelId = channelId;
        this.organizations = List.copyOf(organizations);
        this.settings = settings;
        this.client = organizations.stream().findFirst().map(mspId -> pki.organization(mspId).enroll("client1", Role.CLIENT));
        this.clientTls = organizations.stream().findFirst()
                .map(mspId -> pki.organization(mspId).enrollTls("client1", Role.CLIENT));
        for (int i = 0; i < size; i++) {
            addMember();
        }
    }

    public TestPki pki() {
        return pki;
    }

    public Path root() {
        return root;
    }

    public String channelId() {
        return channelId;
    }

    public Settings settings() {
        return settings;
    }

    /** A client of the first of the cluster's organizations. */
    public TestPki.Credential client() {
        return client.orElseThrow(() -> new IllegalStateException("the cluster was given no client organization"));
    }

    /** The TLS identity of {@link #client()}. */
    public TestPki.Credential clientTls() {
        return clientTls.orElseThrow(() -> new IllegalStateException("the cluster was given no client organization"));
    }

    /** A new member (a consenter of the genesis block only if added before it is built). */
    public Member addMember() {
        int index = members.size();
        TestPki.Organization org = pki.organization(ORDERER_ORG);
        TestPki.Credential signing = org.enroll("orderer" + index, Role.ORDERER);
        TestPki.Credential tls = org.enrollTls("orderer" + index, Role.ORDERER);
        Consenter consenter = consenter(ORDERER_ORG, "127.0.0.1", FreePorts.loopback(), signing, tls);
        OrdererIdentity identity = new OrdererIdentity(ORDERER_ORG, signing.certificate(), EcdsaSigner.of(signing.keys()));
        Member member = new Member(index, consenter.getEndpoint(), identity, tls, consenter);
        members.add(member);
        return member;
    }

    /**
     * How a channel configuration lists an orderer of {@code mspId}: its Raft endpoint, its signing certificate and
     * its TLS certificate (for both directions).
     */
    public static Consenter consenter(String mspId, String host, int port, TestPki.Credential signing,
                                      TestPki.Credential tls) {
        return Consenter.newBuilder()
                .setEndpoint(Endpoint.newBuilder().setHost(host).setPort(port))
                .setIdentity(SerializedIdentity.newBuilder().setMspId(mspId)
                        .setCertificate(TestChannels.der(signing.certificate())).build().toByteString())
                .setClientTlsCert(TestChannels.der(tls.certificate()))
                .setServerTlsCert(TestChannels.der(tls.certificate()))
                .build();
    }

    public List<Member> members() {
        return members;
    }

    /** The first {@code count} members as consenters. */
    public List<Consenter> consenters(int count) {
        return members.subList(0, count).stream().map(Member::consenter).toList();
    }

    /** Every member as a consenter, with a batch size and timeout. */
    public OrdererConfig.Builder ordererConfig(int maxCount, long preferredBytes, long absoluteBytes, Duration timeout) {
        return OrdererConfig.newBuilder().addAllConsenters(consenters(members.size()))
                .setBatchSize(BatchSize.newBuilder().setMaxMessageCount(maxCount).setPreferredMaxBytes(preferredBytes)
                        .setAbsoluteMaxBytes(absoluteBytes))
                .setBatchTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(timeout.getSeconds())
                        .setNanos(timeout.getNano()));
    }

    /** The channel of OrdererOrg and the cluster's organizations, every member a consenter. */
    public Block genesis(int maxCount, long preferredBytes, long absoluteBytes, Duration timeout) {
        return genesis(maxCount, preferredBytes, absoluteBytes, timeout, UnaryOperator.identity());
    }

    /** As above, its configuration changed by {@code configure} (CRLs, policies). */
    public Block genesis(int maxCount, long preferredBytes, long absoluteBytes, Duration timeout,
                         UnaryOperator<ChannelConfig.Builder> configure) {
        ChannelConfig.Builder config = ChannelConfig.newBuilder().setChannelId(channelId)
                .addOrganizations(TestChannels.organization(pki, ORDERER_ORG));
        organizations.forEach(mspId -> config.addOrganizations(TestChannels.organization(pki, mspId)));
        config.setOrderer(ordererConfig(maxCount, preferredBytes, absoluteBytes, timeout));
        return genesis(configure.apply(config).build());
    }

    /** The genesis block of {@code config}, which the members join from now on. */
    public Block genesis(ChannelConfig config) {
        genesis = Blocks.genesisBlock(config, Instant.now());
        return genesis;
    }

    public Block genesis() {
        if (genesis == null) {
            throw new IllegalStateException("no genesis block built yet");
        }
        return genesis;
    }

    /** Starts member {@code index} as a whole orderer server (transport on an ephemeral port). */
    public OrdererServer start(int index) {
        Member member = members.get(index);
        try {
            OrdererServer server = OrdererServer.start(config(member, true),
                    new OrdererServer.TransportSettings("127.0.0.1", 0,
                            new TlsCredentials(member.tls().keys().getPrivate(), member.tls().chain()),
                            TransportLimits.defaults()),
                    new ChannelTrusts(Clock.systemUTC(), List.of(pki.root().certificate())), OrdererMetrics.inMemory(),
                    settings.observer());
            servers.put(index, server);
            nodes.put(index, server.node());
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts every member as a server and joins each to the genesis block (as its administration would). */
    public void startAll() {
        for (int i = 0; i < members.size(); i++) {
            try {
                start(i).join(genesis());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Starts member {@code index}'s Raft core alone, with the cluster's validator. */
    public OrderingNode startNode(int index) {
        try {
            OrderingNode node = OrderingNode.start(config(members.get(index), settings.raftTls()));
            nodes.put(index, node);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the cores of members [0, count) and joins each to the genesis block. */
    public void startNodes(int count) {
        for (int i = 0; i < count; i++) {
            try {
                startNode(i).join(genesis());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private OrderingNodeConfig config(Member member, boolean raftTls) {
        Optional<RaftTls> tls = raftTls
                ? Optional.of(new RaftTls(member.tls().keys().getPrivate(), member.tls().chain(),
                        List.of(pki.root().certificate())))
                : Optional.empty();
        return new OrderingNodeConfig(member.cluster(), root.resolve("orderer" + member.index()), member.identity(),
                settings.raft(), tls, settings.blockStore(), settings.channel(), settings.validator(), settings.observer());
    }

    /** The indexes of the running members. */
    public Set<Integer> running() {
        return new TreeSet<>(nodes.keySet());
    }

    /** Member {@code index}'s core (a server's own). */
    public OrderingNode node(int index) {
        return running(nodes, index);
    }

    /** Member {@code index}'s server, when it was started as one. */
    public OrdererServer server(int index) {
        return running(servers, index);
    }

    private static <T> T running(Map<Integer, T> map, int index) {
        T value = map.get(index);
        if (value == null) {
            throw new IllegalStateException("orderer " + index + " is not running (as asked)");
        }
        return value;
    }

    /** Member {@code index}'s channel. */
    public ChannelOrderer channel(int index) {
        return node(index).channel(channelId).orElseThrow();
    }

    /** The channel on the leading member, or on any running one while there is none. */
    public ChannelOrderer channel() {
        int leader = leaderIndex();
        return channel(leader >= 0 ? leader : running().iterator().next());
    }

    /** Stops a member gracefully: it hands over the leadership of its channels first. */
    public void stop(int index) {
        close(index, false);
    }

    /** Stops a member's core the way a crash looks to the others: no leadership handover (a server just closes). */
    public void kill(int index) {
        close(index, true);
    }

    private void close(int index, boolean abort) {
        OrderingNode node = nodes.remove(index);
        OrdererServer server = servers.remove(index);
        try {
            if (server != null) {
                server.close();
            } else if (node != null && abort) {
                node.abort();
            } else if (node != null) {
                node.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The leading member, or -1 while there is none. */
    public int leaderIndex() {
        for (var entry : nodes.entrySet()) {
            if (entry.getValue().channel(channelId).map(ChannelOrderer::isLeader).orElse(false)) {
                return entry.getKey();
            }
        }
        return -1;
    }

    public int awaitLeader() {
        Await.until("a ready leader", () -> leaderIndex() >= 0);
        return leaderIndex();
    }

    /** Waits until every running member holds {@code height} blocks or more. */
    public void awaitHeight(long height) {
        Await.until("height " + height + " on every orderer",
                () -> running().stream().allMatch(i -> channel(i).height() >= height));
    }

    public void awaitSameHeight() {
        Await.until("the same height everywhere",
                () -> running().stream().map(i -> channel(i).height()).distinct().count() == 1);
    }

    /** Member {@code index}'s chain from genesis. */
    public List<Block> blocks(int index) {
        ChannelOrderer channel = channel(index);
        List<Block> blocks = new ArrayList<>();
        try {
            for (long n = 0; n < channel.height(); n++) {
                blocks.add(channel.block(n));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return blocks;
    }

    /** Every running member's chain is intact from genesis, identical to the others, and signed by a member. */
    public void assertIdenticalSignedChains() {
        awaitSameHeight();
        List<Block> reference = null;
        for (int index : running()) {
            List<Block> blocks = blocks(index);
            assertThat(ChainVerifier.verifyFromGenesis(blocks)).isInstanceOf(ChainVerdict.Intact.class);
            if (reference == null) {
                reference = blocks;
            } else {
                for (int n = 0; n < blocks.size(); n++) {
                    assertThat(blocks.get(n).toByteArray()).as("block %d on orderer %d", n, index)
                            .isEqualTo(reference.get(n).toByteArray());
                }
            }
            for (Block block : blocks.subList(1, blocks.size())) {
                assertSignedByAConsenter(block);
            }
        }
    }

    public void assertSignedByAConsenter(Block block) {
        assertThat(block.getMetadata().getSignaturesList()).hasSize(1);
        BlockSignature signature = block.getMetadata().getSignatures(0);
        SignatureHeader header;
        try {
            header = SignatureHeader.parseFrom(signature.getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        Member signer = members.stream().filter(m -> m.identity().serialized().equals(header.getCreator()))
                .findFirst().orElseThrow(() -> new AssertionError("block signed by a non-consenter"));
        assertThat(BlockSignatures.verify(block, signature, new EcdsaVerifier(), signer.identity().certificate().getPublicKey()))
                .as("signature of block %d", block.getHeader().getNumber()).isTrue();
    }

    /** A transport client to server {@code index}, presenting {@code tls}; closed with the cluster. */
    public TransportClient connect(int index, TestPki.Credential tls) {
        TransportClient transport = TransportClient.builder("127.0.0.1", server(index).port(),
                        new TlsCredentials(tls.keys().getPrivate(), tls.chain()),
                        TlsTrust.withoutCrls(List.of(pki.root().certificate())))
                .connect();
        clients.add(transport);
        return transport;
    }

    /** An envelope of {@code payloadBytes} zero bytes on {@code channel}, created and signed by {@code signer}. */
    public static Envelope envelope(String channel, String mspId, TestPki.Credential signer, int payloadBytes) {
        ByteString creator = SerializedIdentity.newBuilder().setMspId(mspId)
                .setCertificate(TestChannels.der(signer.certificate())).build().toByteString();
        ByteString nonce = TransactionIds.newNonce();
        PayloadHeader header = PayloadHeader.newBuilder()
                .setType(HeaderType.ENDORSER_TRANSACTION)
                .setChannelId(channel)
                .setTxId(TransactionIds.compute(nonce, creator))
                .setCreator(creator)
                .setNonce(nonce)
                .build();
        return Envelopes.seal(header, ByteString.copyFrom(new byte[payloadBytes]), EcdsaSigner.of(signer.keys()));
    }

    /** An envelope of {@code payloadBytes} on the cluster's channel from {@link #client()}. */
    public Envelope envelope(int payloadBytes) {
        return envelope(channelId, organizations.getFirst(), client(), payloadBytes);
    }

    @Override
    public void close() {
        clients.forEach(TransportClient::close);
        for (int index : running()) {
            try {
                kill(index);
            } catch (RuntimeException e) {
                // best effort: the test is over
            }
        }
    }
}
