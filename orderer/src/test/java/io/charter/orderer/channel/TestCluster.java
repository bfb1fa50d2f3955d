package io.charter.orderer.channel;

import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.crypto.EcdsaVerifier;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.identity.Role;
import io.charter.common.protocol.BlockSignatures;
import io.charter.common.protocol.Blocks;
import io.charter.common.protocol.ChainVerdict;
import io.charter.common.protocol.ChainVerifier;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.TransactionIds;
import io.charter.common.testing.Await;
import io.charter.common.testing.FreePorts;
import io.charter.common.testing.TestPki;
import io.charter.orderer.blockstore.BlockStoreOptions;
import io.charter.orderer.consensus.RaftSettings;
import io.charter.orderer.consensus.RaftTls;
import io.charter.protocol.BatchSize;
import io.charter.protocol.Block;
import io.charter.protocol.BlockSignature;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.SerializedIdentity;
import io.charter.protocol.SignatureHeader;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Orderers on loopback in this JVM, each with its own identity and TLS certificate from a test PKI. */
final class TestCluster implements AutoCloseable {

    static final String CHANNEL = "test-channel";

    final TestPki pki = TestPki.create("OrdererOrg", "ClientOrg");
    final Path root;
    final boolean tls;
    final RaftSettings raft;
    final List<Member> members = new ArrayList<>();
    final Map<Integer, OrderingNode> running = new HashMap<>();
    private final TestPki.Credential client = pki.organization("ClientOrg").enroll("client", Role.CLIENT);
    private final ByteString clientIdentity;
    Block genesis;
    EnvelopeValidator validator = EnvelopeValidator.ACCEPT_ALL;
    java.time.Duration commitTimeout = java.time.Duration.ofSeconds(8);

    record Member(int index, Endpoint endpoint, OrdererIdentity identity, TestPki.Credential tls, Consenter consenter) {}

    TestCluster(Path root, int size, boolean tls, RaftSettings raft) throws IOException {
        this.root = root;
        this.tls = tls;
        this.raft = raft;
        this.clientIdentity = SerializedIdentity.newBuilder()
                .setMspId("ClientOrg")
                .setCertificate(der(client.certificate()))
                .build().toByteString();
        for (int i = 0; i < size; i++) {
            addMember();
        }
    }

    static RaftSettings fastRaft() {
        return new RaftSettings(java.time.Duration.ofMillis(300), java.time.Duration.ofMillis(600),
                java.time.Duration.ofSeconds(3), 1_000_000, 32 * 1024, 4);
    }

    Member addMember() throws IOException {
        int index = members.size();
        var org = pki.organization("OrdererOrg");
        TestPki.Credential signing = org.enroll("orderer" + index, Role.ORDERER);
        TestPki.Credential tlsCredential = org.enrollTls("orderer" + index, Role.ORDERER);
        Endpoint endpoint = Endpoint.newBuilder().setHost("127.0.0.1").setPort(FreePorts.loopback()).build();
        OrdererIdentity identity = new OrdererIdentity("OrdererOrg", signing.certificate(), EcdsaSigner.of(signing.keys()));
        Consenter consenter = Consenter.newBuilder()
                .setEndpoint(endpoint)
                .setIdentity(identity.serialized())
                .setClientTlsCert(der(tlsCredential.certificate()))
                .setServerTlsCert(der(tlsCredential.certificate()))
                .build();
        Member member = new Member(index, endpoint, identity, tlsCredential, consenter);
        members.add(member);
        return member;
    }

    List<Consenter> consenters(int count) {
        return members.subList(0, count).stream().map(Member::consenter).toList();
    }

    Block genesis(int maxCount, long preferredBytes, long absoluteBytes, java.time.Duration timeout) {
        ChannelConfig config = ChannelConfig.newBuilder()
                .setChannelId(CHANNEL)
                .addOrganizations(organization("OrdererOrg"))
                .addOrganizations(organization("ClientOrg"))
                .setOrderer(OrdererConfig.newBuilder()
                        .addAllConsenters(consenters(members.size()))
                        .setBatchSize(BatchSize.newBuilder()
                                .setMaxMessageCount(maxCount)
                                .setPreferredMaxBytes(preferredBytes)
                                .setAbsoluteMaxBytes(absoluteBytes))
                        .setBatchTimeout(Duration.newBuilder()
                                .setSeconds(timeout.getSeconds()).setNanos(timeout.getNano())))
                .build();
        genesis = Blocks.genesisBlock(config, Instant.now());
        return genesis;
    }

    /** An organization of the test PKI as the channel configuration describes it (signing and TLS CAs). */
    OrganizationConfig organization(String mspId) {
        TestPki.Organization org = pki.organization(mspId);
        return OrganizationConfig.newBuilder()
                .setMspId(mspId)
                .addRootCerts(der(pki.root().certificate()))
                .addIntermediateCerts(der(org.signingCa().certificate()))
                .addTlsRootCerts(der(pki.root().certificate()))
                .addTlsIntermediateCerts(der(org.tlsCa().certificate()))
                .build();
    }

    OrderingNode start(int index) throws IOException {
        Member member = members.get(index);
        Optional<RaftTls> raftTls = tls
                ? Optional.of(new RaftTls(member.tls().keys().getPrivate(), member.tls().chain(),
                        List.of(pki.root().certificate())))
                : Optional.empty();
        OrderingNode node = OrderingNode.start(new OrderingNodeConfig(
                member.endpoint(), root.resolve("orderer" + index), member.identity(), raft, raftTls,
                new BlockStoreOptions(64 * 1024, true),
                new ChannelSettings(commitTimeout, 100_000),
                validator));
        running.put(index, node);
        return node;
    }

    /** Stops a member gracefully: it hands over the leadership of its channels first. */
    void stop(int index) throws IOException {
        OrderingNode node = running.remove(index);
        if (node != null) {
            node.close();
        }
    }

    /** Stops a member the way a crash would look to the others: no leadership handover. */
    void kill(int index) throws IOException {
        OrderingNode node = running.remove(index);
        if (node != null) {
            node.abort();
        }
    }

    ChannelOrderer channel(int index) {
        return running.get(index).channel(CHANNEL).orElseThrow();
    }

    /** Starts members [0, count) and joins them to the channel. */
    void startAll(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            start(i).join(genesis);
        }
    }

    int leaderIndex() {
        for (var entry : running.entrySet()) {
            if (entry.getValue().channel(CHANNEL).map(ChannelOrderer::isLeader).orElse(false)) {
                return entry.getKey();
            }
        }
        return -1;
    }

    int awaitLeader() {
        Await.until("a ready leader", () -> leaderIndex() >= 0, java.time.Duration.ofSeconds(30));
        return leaderIndex();
    }

    Envelope envelope(int payloadBytes) {
        ByteString nonce = TransactionIds.newNonce();
        PayloadHeader header = PayloadHeader.newBuilder()
                .setType(HeaderType.ENDORSER_TRANSACTION)
                .setChannelId(CHANNEL)
                .setTxId(TransactionIds.compute(nonce, clientIdentity))
                .setCreator(clientIdentity)
                .setNonce(nonce)
                .build();
        return Envelopes.seal(header, ByteString.copyFrom(new byte[payloadBytes]), EcdsaSigner.of(client.keys()));
    }

    static String txId(Envelope envelope) {
        return TxIds.of(envelope.toByteString());
    }

    List<Block> blocks(int index) throws IOException {
        ChannelOrderer channel = channel(index);
        List<Block> blocks = new ArrayList<>();
        for (long n = 0; n < channel.height(); n++) {
            blocks.add(channel.block(n));
        }
        return blocks;
    }

    /** Waits until every running member holds {@code height} blocks or more. */
    void awaitHeight(long height) {
        Await.until("height " + height + " on every orderer",
                () -> running.keySet().stream().allMatch(i -> channel(i).height() >= height), java.time.Duration.ofSeconds(60));
    }

    void awaitSameHeight() {
        Await.until("the same height everywhere", () -> running.keySet().stream()
                .map(i -> channel(i).height()).distinct().count() == 1, java.time.Duration.ofSeconds(60));
    }

    /** Every running member's chain is intact from genesis, identical to the others, and orderer-signed. */
    void assertIdenticalSignedChains() throws IOException {
        awaitSameHeight();
        List<Block> reference = null;
        for (int index : running.keySet()) {
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

    void assertSignedByAConsenter(Block block) throws InvalidProtocolBufferException {
        assertThat(block.getMetadata().getSignaturesList()).hasSize(1);
        BlockSignature signature = block.getMetadata().getSignatures(0);
        SignatureHeader header = SignatureHeader.parseFrom(signature.getSignatureHeader());
        Member signer = members.stream().filter(m -> m.identity().serialized().equals(header.getCreator()))
                .findFirst().orElseThrow(() -> new AssertionError("block signed by a non-consenter"));
        assertThat(BlockSignatures.verify(block, signature, new EcdsaVerifier(), signer.identity().certificate().getPublicKey()))
                .as("signature of block %d", block.getHeader().getNumber()).isTrue();
    }

    private static ByteString der(X509Certificate certificate) {
        try {
            return ByteString.copyFrom(certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (int index : List.copyOf(running.keySet())) {
            try {
                kill(index);
            } catch (IOException | RuntimeException e) {
                // best effort
            }
        }
    }
}
