package io.charter.peer.app;

import com.google.protobuf.ByteString;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.charter.common.crypto.CryptoProviders;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.membership.MembershipClient;
import io.charter.common.membership.NodeBootstrap;
import io.charter.common.membership.NodeRequests;
import io.charter.common.pki.Role;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.peer.administration.AdminRefusal;
import io.charter.peer.administration.AdminRefusedException;
import io.charter.peer.delivery.Endpoint;
import io.charter.peer.endorsement.SigningIdentity;
import io.charter.peer.ledger.LedgerSchema;
import io.charter.peer.dissemination.LeaseElection;
import io.charter.peer.node.IndexDiscovery;
import io.charter.peer.node.Neighbours;
import io.charter.peer.node.PeerNode;
import io.charter.peer.node.PeerSettings;
import io.charter.protocol.SerializedIdentity;
import io.charter.shell.MembershipSetup;
import io.charter.shell.NodeKeys;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the plain-Java peer from {@link PeerProperties}. */
@Configuration(proxyBeanMethods = false)
public class PeerConfiguration {

    /** The ledger's database: a Hikari pool on {@code charter.peer.database.*}, migrated by Flyway. */
    @Bean(destroyMethod = "close")
    HikariDataSource ledgerDataSource(PeerProperties properties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("charter-peer-ledger");
        config.setJdbcUrl(properties.database().url());
        config.setUsername(properties.database().username());
        config.setPassword(properties.database().password());
        config.setMaximumPoolSize(10);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            LedgerSchema.migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }

    /** The membership service's client and this peer's enrolled identity, when {@code membership.url} is set. */
    @Bean(destroyMethod = "")
    @ConditionalOnProperty("charter.peer.membership.url")
    MembershipSetup membershipSetup(PeerProperties properties) throws IOException {
        return MembershipSetup.enroll(PeerProperties.PREFIX, Role.PEER, properties.mspId(), properties.membership(),
                properties.tls().readTrustedRoots(), properties.dataDir(),
                new NodeRequests.Endpoint(advertisedHost(properties), properties.transport().port()));
    }

    /**
     * The peer; it depends on the ledger's pool so that, at shutdown, it is closed (finishing a block
     * commit in progress) before the pool is.
     */
    @Bean(destroyMethod = "close")
    PeerNode peerNode(PeerProperties properties, ObjectProvider<MembershipSetup> membership,
            HikariDataSource ledgerDataSource) {
        NodeKeys keys = NodeKeys.of(Optional.ofNullable(membership.getIfAvailable()), properties.signing(),
                properties.tls(), PeerProperties.PREFIX);
        X509Certificate certificate = keys.signingChain().getFirst();
        SigningIdentity signing = new SigningIdentity(
                EcdsaSigner.of(keys.signingKey(), certificate.getPublicKey(), CryptoProviders.preferred()),
                serialized(properties.mspId(), certificate));
        PeerSettings settings = PeerSettings.of(peerId(properties), properties.mspId(), properties.transport().host(),
                        properties.transport().port(), new TlsCredentials(keys.tlsKey(), keys.tlsChain()), signing,
                        properties.dataDir(),
                        properties.organizationPeers().stream().map(p -> Neighbours.parse(p, true)).toList(),
                        properties.orderers().stream().map(o -> Neighbours.parse(o, false)).toList())
                .withContracts(io.charter.peer.contract.ContractRuntimeSettings.DEFAULTS
                        .withInvocationTimeout(properties.contracts().invocationTimeout()))
                .withTrustedRoots(properties.tls().readTrustedRoots())
                .withLimits(properties.transport().limits().toTransportLimits())
                .withPrivateData(properties.privateData().toSettings())
                .withDissemination(properties.dissemination().toSettings());
        PeerNode node = new PeerNode(settings);
        MembershipSetup enrolled = membership.getIfAvailable();
        if (enrolled != null) {
            MembershipClient.Credential credential = credential(enrolled);
            node.leadThroughIndex(new LeaseElection.Leases() {
                @Override
                public LeaseElection.Lease acquire(String channelId) {
                    MembershipClient.Lease lease = enrolled.client().acquireLeadership(channelId, credential);
                    return new LeaseElection.Lease(lease.granted(), lease.holder(), lease.expiresAt());
                }

                @Override
                public void release(String channelId) {
                    enrolled.client().releaseLeadership(channelId, credential);
                }
            }, properties.leaderLease().renewInterval());
        }
        return node.start();
    }

    /** The enrolled signing certificate and key, for the index's signed calls (discovery, leases). */
    private static MembershipClient.Credential credential(MembershipSetup enrolled) {
        X509Certificate certificate = enrolled.identity().signingChain().getFirst();
        return new MembershipClient.Credential(certificate, EcdsaSigner.of(
                new java.security.KeyPair(certificate.getPublicKey(), enrolled.identity().signingKey())));
    }

    @Bean
    PeerMetrics peerMetrics(MeterRegistry registry, PeerNode node) {
        return new PeerMetrics(registry, node);
    }

    @Bean(destroyMethod = "")
    PeerChannels peerChannels(PeerProperties properties, PeerNode node, DataSource ledgerDataSource, PeerMetrics metrics,
            ObjectProvider<MembershipSetup> membership) {
        MembershipSetup enrolled = membership.getIfAvailable();
        boolean configured = !properties.orderers().isEmpty() || !properties.organizationPeers().isEmpty();
        Optional<IndexDiscovery> discovery = Optional.empty();
        if (enrolled != null && !configured) {
            MembershipClient.Credential credential = credential(enrolled);
            discovery = Optional.of(new IndexDiscovery(IndexDiscovery.Index.of(enrolled.client(), credential),
                    properties.mspId(), node.settings().peerId(), properties.dataDir()));
        }
        PeerChannels channels = new PeerChannels(node, ledgerDataSource, properties.dataDir(), discovery, metrics);
        node.ordererHeightsFrom(channels::ordererHeight);
        channels.restore();
        // peer.JoinChannel on the transport joins as the REST API does: this database, the record of joined channels
        node.administration().joinChannelsThrough(genesis -> {
            try {
                return channels.join(genesis);
            } catch (PeerChannels.NoOrderersException e) {
                throw new AdminRefusedException(AdminRefusal.NO_ORDERERS, e.getMessage());
            }
        });
        // peer.LeaveChannel too: the record of joined channels and the metrics
        node.administration().leaveChannelsThrough(channels::leave);
        // snapshots under <dataDir>/snapshots/, read from the ledger's database
        node.administration().snapshotsIn(new io.charter.peer.snapshot.SnapshotStore(properties.dataDir().resolve("snapshots"),
                new io.charter.peer.snapshot.SnapshotWriter(ledgerDataSource)));
        return channels;
    }

    @Bean(destroyMethod = "close")
    NeighbourRefresh neighbourRefresh(PeerChannels channels, PeerNode node, PeerProperties properties) {
        NeighbourRefresh refresh = new NeighbourRefresh(channels, properties.discovery().refreshInterval());
        // a config update may have changed the channel's consenters: ask the index for its orderers now
        node.onConfigApplied((channelId, config) -> refresh.trigger());
        return refresh;
    }

    /**
     * The transport's and admin API's TLS, the endorsement signer and the discovery credential are built once at
     * start: a renewal restarts the peer.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("charter.peer.membership.url")
    NodeBootstrap nodeBootstrap(MembershipSetup setup, PeerNode node, PeerChannels channels, PeerProperties properties,
            ConfigurableApplicationContext context) {
        return setup.start(PeerProperties.PREFIX, properties.membership().renewAt(), node, node::heights, context);
    }

    static String peerId(PeerProperties properties) {
        if (properties.peerId() != null && !properties.peerId().isBlank()) {
            return properties.peerId();
        }
        var m = properties.membership();
        if (m.nodeId() != null && !m.nodeId().isBlank()) {
            return m.nodeId();
        }
        if (m.enrollmentId() != null && !m.enrollmentId().isBlank()) {
            return m.enrollmentId();
        }
        throw new IllegalStateException("charter.peer.peer-id is required (the common name of the peer's TLS certificate)");
    }

    private static String advertisedHost(PeerProperties properties) {
        var m = properties.membership();
        if (m.advertisedHost() != null && !m.advertisedHost().isBlank()) {
            return m.advertisedHost();
        }
        String host = properties.transport().host();
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::");
        return wildcard && !m.tlsHosts().isEmpty() ? m.tlsHosts().getFirst() : host;
    }

    static ByteString serialized(String mspId, X509Certificate certificate) {
        try {
            return SerializedIdentity.newBuilder().setMspId(mspId)
                    .setCertificate(ByteString.copyFrom(certificate.getEncoded())).build().toByteString();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the signing certificate", e);
        }
    }
}
