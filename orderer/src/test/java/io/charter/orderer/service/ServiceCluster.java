package io.charter.orderer.service;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.identity.Role;
import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.RevokedCertificate;
import io.charter.common.protocol.Blocks;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.TransactionIds;
import io.charter.common.testing.Await;
import io.charter.common.testing.FreePorts;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportLimits;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.common.transport.tls.TlsTrust;
import io.charter.orderer.access.ChannelTrusts;
import io.charter.orderer.blockstore.BlockStoreOptions;
import io.charter.orderer.channel.ChannelOrderer;
import io.charter.orderer.channel.ChannelSettings;
import io.charter.orderer.channel.EnvelopeValidator;
import io.charter.orderer.channel.OrdererIdentity;
import io.charter.orderer.channel.OrderingNodeConfig;
import io.charter.orderer.consensus.RaftSettings;
import io.charter.orderer.consensus.RaftTls;
import io.charter.protocol.BatchSize;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.SerializedIdentity;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whole orderers ({@link OrdererServer}: Raft over mutual TLS, broadcast validator, Netty transport)
 * on loopback, with identities from a test PKI: OrdererOrg (the orderers), ClientOrg (clients and
 * peers, one client revoked by the CRL in the channel configuration) in the channel, OutsiderOrg in
 * the PKI but not in the channel.
 */
public final class ServiceCluster implements AutoCloseable {

    static final String CHANNEL = "svc-channel";

    final TestPki pki = TestPki.create("OrdererOrg", "ClientOrg", "OutsiderOrg");
    final Path root;
    final List<Member> members = new ArrayList<>();
    final Map<Integer, OrdererServer> running = new HashMap<>();
    final List<TransportClient> clients = new ArrayList<>();
    final TestPki.Credential client = pki.organization("ClientOrg").enroll("client1", Role.CLIENT);
    final TestPki.Credential revoked = pki.organization("ClientOrg").enroll("revoked1", Role.CLIENT);
    final TestPki.Credential clientTls = pki.organization("ClientOrg").enrollTls("client1", Role.CLIENT);
    final TestPki.Credential outsiderTls = pki.organization("OutsiderOrg").enrollTls("outsider", Role.CLIENT);
    Block genesis;
    String writersPolicy = "";
    boolean fsync = true;
    io.charter.orderer.channel.ChannelObserver observer = io.charter.orderer.channel.ChannelObserver.NONE;

    record Member(int index, Endpoint cluster, OrdererIdentity identity, TestPki.Credential tls, Consenter consenter) {}

    ServiceCluster(Path root, int size) throws IOException {
        this.root = root;
        for (int i = 0; i < size; i++) {
            addMember();
        }
    }

    /** A new orderer of OrdererOrg (in the genesis block only if added before {@link #genesis}). */
    Member addMember() throws IOException {
        int i = members.size();
        var org = pki.organization("OrdererOrg");
        TestPki.Credential signing = org.enroll("orderer" + i, Role.ORDERER);
        TestPki.Credential tls = org.enrollTls("orderer" + i, Role.ORDERER);
        Endpoint endpoint = Endpoint.newBuilder().setHost("127.0.0.1").setPort(FreePorts.loopback()).build();
        OrdererIdentity identity = new OrdererIdentity("OrdererOrg", signing.certificate(), EcdsaSigner.of(signing.keys()));
        Consenter consenter = Consenter.newBuilder().setEndpoint(endpoint).setIdentity(identity.serialized())
                .setClientTlsCert(der(tls.certificate())).setServerTlsCert(der(tls.certificate())).build();
        Member member = new Member(i, endpoint, identity, tls, consenter);
        members.add(member);
        return member;
    }

    static RaftSettings fastRaft() {
        return new RaftSettings(java.time.Duration.ofMillis(300), java.time.Duration.ofMillis(600),
                java.time.Duration.ofSeconds(3), 1_000_000, 64L * 1024 * 1024, 4);
    }

    OrganizationConfig organization(String mspId, List<X509CRL> crls) {
        TestPki.Organization org = pki.organization(mspId);
        OrganizationConfig.Builder config = OrganizationConfig.newBuilder()
                .setMspId(mspId)
                .addRootCerts(der(pki.root().certificate()))
                .addIntermediateCerts(der(org.signingCa().certificate()))
                .addTlsRootCerts(der(pki.root().certificate()))
                .addTlsIntermediateCerts(der(org.tlsCa().certificate()));
        for (X509CRL crl : crls) {
            config.addCrls(crlDer(crl));
        }
        return config.build();
    }

    Block genesis(int maxCount, long preferredBytes, long absoluteBytes, java.time.Duration timeout) {
        CertificateAuthority clientCa = pki.organization("ClientOrg").signingCa();
        X509CRL crl = clientCa.issueCrl(List.of(new RevokedCertificate(revoked.certificate().getSerialNumber(),
                Instant.now().minusSeconds(60), 1)), BigInteger.ONE, Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(3600));
        ChannelConfig.Builder config = ChannelConfig.newBuilder()
                .setChannelId(CHANNEL)
                .addOrganizations(organization("OrdererOrg", List.of()))
                .addOrganizations(organization("ClientOrg", List.of(crl)))
                .setOrderer(OrdererConfig.newBuilder()
                        .addAllConsenters(members.stream().map(Member::consenter).toList())
                        .setBatchSize(BatchSize.newBuilder().setMaxMessageCount(maxCount)
                                .setPreferredMaxBytes(preferredBytes).setAbsoluteMaxBytes(absoluteBytes))
                        .setBatchTimeout(Duration.newBuilder().setSeconds(timeout.getSeconds()).setNanos(timeout.getNano())));
        if (!writersPolicy.isEmpty()) {
            config.putPolicies("Writers", writersPolicy);
        }
        genesis = Blocks.genesisBlock(config.build(), Instant.now());
        return genesis;
    }

    OrdererServer start(int index) throws IOException {
        Member member = members.get(index);
        OrderingNodeConfig config = new OrderingNodeConfig(member.cluster(), root.resolve("orderer" + index),
                member.identity(), fastRaft(),
                Optional.of(new RaftTls(member.tls().keys().getPrivate(), member.tls().chain(), List.of(pki.root().certificate()))),
                new BlockStoreOptions(64L * 1024 * 1024, fsync), new ChannelSettings(java.time.Duration.ofSeconds(30), 200_000),
                EnvelopeValidator.ACCEPT_ALL);
        OrdererServer server = OrdererServer.start(config,
                new OrdererServer.TransportSettings("127.0.0.1", 0,
                        new TlsCredentials(member.tls().keys().getPrivate(), member.tls().chain()), TransportLimits.defaults()),
                new ChannelTrusts(java.time.Clock.systemUTC(), List.of(pki.root().certificate())),
                OrdererMetrics.inMemory(), observer);
        running.put(index, server);
        return server;
    }

    void startAll() throws IOException {
        for (int i = 0; i < members.size(); i++) {
            start(i).join(genesis);
        }
    }

    ChannelOrderer channel(int index) {
        return running.get(index).node().channel(CHANNEL).orElseThrow();
    }

    int awaitLeader() {
        Await.until("a ready leader", () -> leaderIndex() >= 0, java.time.Duration.ofSeconds(30));
        return leaderIndex();
    }

    int leaderIndex() {
        for (var entry : running.entrySet()) {
            if (entry.getValue().node().channel(CHANNEL).map(ChannelOrderer::isLeader).orElse(false)) {
                return entry.getKey();
            }
        }
        return -1;
    }

    /** A transport client to orderer {@code index}, presenting {@code tls}. */
    TransportClient connect(int index, TestPki.Credential tls) {
        TransportClient transport = TransportClient.builder("127.0.0.1", running.get(index).port(),
                        new TlsCredentials(tls.keys().getPrivate(), tls.chain()),
                        TlsTrust.withoutCrls(List.of(pki.root().certificate())))
                .connect();
        clients.add(transport);
        return transport;
    }

    static ByteString serialized(String mspId, X509Certificate certificate) {
        return SerializedIdentity.newBuilder().setMspId(mspId).setCertificate(der(certificate)).build().toByteString();
    }

    /** An envelope of {@code payloadBytes} signed by {@code signer} of {@code mspId}. */
    Envelope envelope(String channel, String mspId, TestPki.Credential signer, int payloadBytes) {
        ByteString creator = serialized(mspId, signer.certificate());
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

    Envelope envelope(int payloadBytes) {
        return envelope(CHANNEL, "ClientOrg", client, payloadBytes);
    }

    List<Block> blocks(int index) throws IOException {
        ChannelOrderer channel = channel(index);
        List<Block> blocks = new ArrayList<>();
        for (long n = 0; n < channel.height(); n++) {
            blocks.add(channel.block(n));
        }
        return blocks;
    }

    static ByteString der(X509Certificate certificate) {
        try {
            return ByteString.copyFrom(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ByteString crlDer(X509CRL crl) {
        try {
            return ByteString.copyFrom(crl.getEncoded());
        } catch (java.security.cert.CRLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (TransportClient transport : clients) {
            transport.close();
        }
        for (OrdererServer server : running.values()) {
            try {
                server.close();
            } catch (IOException | RuntimeException e) {
                // best effort
            }
        }
        running.clear();
    }
}
