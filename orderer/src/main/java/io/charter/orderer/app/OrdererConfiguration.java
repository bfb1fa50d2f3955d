package io.charter.orderer.app;

import io.charter.common.crypto.CryptoProviders;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.membership.NodeBootstrap;
import io.charter.common.membership.NodeRequests;
import io.charter.common.pki.Role;
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
import io.charter.shell.MembershipSetup;
import io.charter.shell.NodeKeys;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
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
        return new ChannelTrusts(Clock.systemUTC(), properties.tls().readTrustedRoots());
    }

    /** The membership service's client and this orderer's enrolled identity, when {@code membership.url} is set. */
    @Bean(destroyMethod = "")
    @ConditionalOnProperty("charter.orderer.membership.url")
    MembershipSetup membershipSetup(OrdererProperties properties) throws IOException {
        var m = properties.membership();
        String host = m.advertisedHost() != null ? m.advertisedHost() : properties.cluster().host();
        return MembershipSetup.enroll(OrdererProperties.PREFIX, Role.ORDERER, properties.mspId(), m,
                properties.tls().readTrustedRoots(), properties.dataDir(),
                new NodeRequests.Endpoint(host, properties.transport().port()));
    }

    /**
     * Raft's gRPC TLS, the transport's TLS and the block signer are built once at start: a renewal restarts the
     * orderer.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("charter.orderer.membership.url")
    NodeBootstrap nodeBootstrap(MembershipSetup setup, OrdererServer server, ChannelTrusts trusts,
            OrdererProperties properties, ConfigurableApplicationContext context) {
        return setup.start(OrdererProperties.PREFIX, properties.membership().renewAt(), trusts, () -> {
            Map<String, Long> heights = new TreeMap<>();
            server.node().channels().forEach(c -> heights.put(c.channelId(), c.height()));
            return heights;
        }, context);
    }

    @Bean(destroyMethod = "close")
    OrdererServer ordererServer(OrdererProperties properties, ChannelTrusts trusts, OrdererMetrics metrics,
            ObjectProvider<MembershipSetup> membership) throws IOException {
        NodeKeys keys = NodeKeys.of(Optional.ofNullable(membership.getIfAvailable()), properties.signing(),
                properties.tls(), OrdererProperties.PREFIX);
        X509Certificate signing = keys.signingChain().getFirst();
        OrdererIdentity identity = new OrdererIdentity(properties.mspId(), signing,
                EcdsaSigner.of(keys.signingKey(), signing.getPublicKey(), CryptoProviders.preferred()));
        var raft = properties.raft();
        OrderingNodeConfig config = new OrderingNodeConfig(
                Endpoint.newBuilder().setHost(properties.cluster().host()).setPort(properties.cluster().port()).build(),
                properties.dataDir(),
                identity,
                new RaftSettings(raft.electionTimeoutMin(), raft.electionTimeoutMax(), raft.requestTimeout(),
                        raft.snapshotEveryEntries(), raft.logSegmentMaxSize().toBytes(), raft.purgeGap()),
                Optional.of(new RaftTls(keys.tlsKey(), keys.tlsChain(), properties.tls().readTrustedRoots())),
                new BlockStoreOptions(properties.blockStore().segmentSize().toBytes(), properties.blockStore().fsync()),
                new ChannelSettings(properties.channel().commitTimeout(), properties.channel().recentTxIds()),
                EnvelopeValidator.ACCEPT_ALL); // replaced by the server's BroadcastValidator
        return OrdererServer.start(config, new OrdererServer.TransportSettings(properties.transport().host(),
                properties.transport().port(), new TlsCredentials(keys.tlsKey(), keys.tlsChain()),
                properties.transport().limits().toTransportLimits()),
                trusts, metrics);
    }
}
