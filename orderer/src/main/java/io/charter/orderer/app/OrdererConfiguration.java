package io.charter.orderer.app;

import io.charter.common.crypto.CryptoProviders;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.pki.Pem;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.orderer.access.ChannelTrusts;
import io.charter.orderer.blockstore.BlockStoreOptions;
import io.charter.orderer.channel.ChannelSettings;
import io.charter.orderer.channel.EnvelopeValidator;
import io.charter.orderer.channel.OrdererIdentity;
import io.charter.orderer.channel.OrderingNodeConfig;
import io.charter.orderer.consensus.RaftSettings;
import io.charter.orderer.consensus.RaftTls;
import io.charter.orderer.service.OrdererMetrics;
import io.charter.orderer.service.OrdererServer;
import io.charter.protocol.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import io.charter.common.membership.MembershipClient;
import io.charter.common.membership.NodeRequests;
import io.charter.common.membership.NodeBootstrap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the plain-Java orderer from {@link OrdererProperties}. */
@Configuration(proxyBeanMethods = false)
public class OrdererConfiguration {

    @Bean
    OrdererMetrics ordererMetrics(MeterRegistry registry) {
        return new OrdererMetrics(registry);
    }

    @Bean
    ChannelTrusts channelTrusts(OrdererProperties properties) {
        return new ChannelTrusts(Clock.systemUTC(), trustedRoots(properties));
    }

    /** The membership service's client and this orderer's enrolled identity, when {@code membership.url} is set. */
    record MembershipSetup(MembershipClient client, NodeBootstrap.Membership membership, NodeBootstrap.Settings settings,
            NodeBootstrap.Identity identity) {}

    @Bean(destroyMethod = "")
    @ConditionalOnProperty("charter.orderer.membership.url")
    MembershipSetup membershipSetup(OrdererProperties properties) throws IOException {
        var m = properties.membership();
        List<X509Certificate> roots = trustedRoots(properties);
        if (roots.isEmpty()) {
            throw new IllegalStateException("charter.orderer.tls.trusted-roots (the consortium root) is required with "
                    + "charter.orderer.membership.url");
        }
        String enrollmentId = requireText(m.enrollmentId(), "charter.orderer.membership.enrollment-id");
        MembershipClient client = new MembershipClient(m.url(), roots.getFirst());
        NodeBootstrap.Membership membership = NodeBootstrap.Membership.of(client);
        String host = m.advertisedHost() != null ? m.advertisedHost() : properties.cluster().host();
        NodeBootstrap.Settings settings = new NodeBootstrap.Settings(io.charter.common.identity.Role.ORDERER, properties.mspId(), enrollmentId,
                m.enrollmentSecret() == null ? "" : m.enrollmentSecret(), m.nodeId() != null ? m.nodeId() : enrollmentId,
                properties.dataDir(), m.tlsHosts(), List.of(new NodeRequests.Endpoint(host, properties.transport().port())));
        return new MembershipSetup(client, membership, settings, NodeBootstrap.enrollOrLoad(membership, settings));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("charter.orderer.membership.url")
    NodeBootstrap nodeBootstrap(MembershipSetup setup, OrdererServer server, ChannelTrusts trusts, OrdererProperties properties,
            ConfigurableApplicationContext context) {
        NodeBootstrap bootstrap = new NodeBootstrap(setup.membership(), setup.settings(), setup.identity(),
                NodeBootstrap.Renewal.fromProperty(properties.membership().renewAt(), "charter.orderer.membership.renew-at"), trusts, () -> {
            java.util.Map<String, Long> heights = new java.util.TreeMap<>();
            server.node().channels().forEach(c -> heights.put(c.channelId(), c.height()));
            return heights;
        }, Clock.systemUTC());
        try {
            bootstrap.register();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(OrdererConfiguration.class)
                    .warn("registering with the membership service failed; retrying with the heartbeats: {}", e.getMessage());
        }
        // Raft's gRPC TLS, the transport's TLS and the block signer are built once at start: the renewed
        // identity is taken into use by a restart, which loads it from the data directory.
        bootstrap.onRenewed(identity -> NodeBootstrap.exitForRestart(
                () -> SpringApplication.exit(context, () -> NodeBootstrap.RESTART_EXIT_CODE)));
        bootstrap.start();
        return bootstrap;
    }

    @Bean(destroyMethod = "close")
    OrdererServer ordererServer(OrdererProperties properties, ChannelTrusts trusts, OrdererMetrics metrics,
            ObjectProvider<MembershipSetup> membership) throws IOException {
        MembershipSetup enrolled = membership.getIfAvailable();
        List<X509Certificate> signingChain = enrolled != null ? enrolled.identity().signingChain()
                : Pem.readCertificates(require(properties.signing().certificate(), "charter.orderer.signing.certificate"));
        PrivateKey signingKey = enrolled != null ? enrolled.identity().signingKey()
                : Pem.readPrivateKey(require(properties.signing().privateKey(), "charter.orderer.signing.private-key"));
        List<X509Certificate> tlsChain = enrolled != null ? enrolled.identity().tlsChain()
                : Pem.readCertificates(require(properties.tls().certificate(), "charter.orderer.tls.certificate"));
        PrivateKey tlsKey = enrolled != null ? enrolled.identity().tlsKey()
                : Pem.readPrivateKey(require(properties.tls().privateKey(), "charter.orderer.tls.private-key"));
        OrdererIdentity identity = new OrdererIdentity(properties.mspId(), signingChain.getFirst(),
                EcdsaSigner.of(signingKey, signingChain.getFirst().getPublicKey(), CryptoProviders.preferred()));
        var raft = properties.raft();
        OrderingNodeConfig config = new OrderingNodeConfig(
                Endpoint.newBuilder().setHost(properties.cluster().host()).setPort(properties.cluster().port()).build(),
                properties.dataDir(),
                identity,
                new RaftSettings(raft.electionTimeoutMin(), raft.electionTimeoutMax(), raft.requestTimeout(),
                        raft.snapshotEveryEntries(), raft.logSegmentMaxSize().toBytes(), raft.purgeGap()),
                Optional.of(new RaftTls(tlsKey, tlsChain, trustedRoots(properties))),
                new BlockStoreOptions(properties.blockStore().segmentSize().toBytes(), properties.blockStore().fsync()),
                new ChannelSettings(properties.channel().commitTimeout(), properties.channel().recentTxIds()),
                EnvelopeValidator.ACCEPT_ALL); // replaced by the server's BroadcastValidator
        return OrdererServer.start(config, new OrdererServer.TransportSettings(properties.transport().host(),
                properties.transport().port(), new TlsCredentials(tlsKey, tlsChain),
                properties.transport().limits().toTransportLimits()),
                trusts, metrics);
    }

    static List<X509Certificate> trustedRoots(OrdererProperties properties) {
        Path roots = properties.tls().trustedRoots();
        return roots == null ? List.of() : Pem.readCertificates(roots);
    }

    private static String requireText(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(key + " is required");
        }
        return value;
    }

    private static Path require(Path path, String key) {
        if (path == null) {
            throw new IllegalStateException(key + " is required (a PEM file)");
        }
        return path;
    }
}
