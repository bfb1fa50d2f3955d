package io.charter.orderer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.crypto.Signer;
import io.charter.common.membership.MembershipClient;
import io.charter.common.membership.MembershipException;
import io.charter.common.membership.NodeRequests;
import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.CertificateTemplate;
import io.charter.common.pki.CertificationRequests;
import io.charter.common.pki.RevokedCertificate;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import io.charter.common.testing.Await;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.TransportClient;
import io.charter.common.membership.NodeBootstrap;
import io.charter.orderer.testing.OrdererCluster;
import io.charter.protocol.BroadcastReason;
import io.charter.protocol.BroadcastStatus;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orderer's {@link NodeBootstrap} against an in-memory membership service issuing from the test
 * PKI: the first start enrolls and stores signing and TLS certificates, a second start loads them; the
 * orderer registers with a signed canonical body and heartbeats; a revocation at the service reaches
 * the channel's CRLs through the next heartbeat and the revoked client's next broadcast is refused
 * REVOKED_CREATOR. (The client against the real service: membership-service's MembershipClientTest.)
 */
class NodeBootstrapTest {

    @TempDir
    static Path dir;

    static OrdererCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = ServiceClusters.of(dir, 1);
        cluster.genesis(10, 12 * 1024, 24 * 1024, Duration.ofMillis(100));
        cluster.startAll();
        cluster.awaitLeader();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Issues from the test PKI's organizations, revokes, counts versions. */
    static final class FakeMembership implements NodeBootstrap.Membership {
        final TestPki pki;
        final AtomicLong crlVersion = new AtomicLong(1);
        final Map<String, List<RevokedCertificate>> revoked = new ConcurrentHashMap<>();
        final List<String> enrollments = new CopyOnWriteArrayList<>();
        final List<byte[]> registrations = new CopyOnWriteArrayList<>();
        final AtomicLong heartbeats = new AtomicLong();
        volatile PublicKey registeredKey;

        FakeMembership(TestPki pki) {
            this.pki = pki;
        }

        @Override
        public MembershipClient.Enrollment enroll(String id, String secret, byte[] csr, String profile, List<String> hosts) {
            if (!"secret".equals(secret)) {
                throw new MembershipException("AUTHENTICATION_FAILED", 401, "wrong secret");
            }
            enrollments.add(profile);
            TestPki.Organization org = pki.organization("OrdererOrg");
            PublicKey key = CertificationRequests.parse(csr).publicKey();
            Validity validity = new Validity(Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)));
            SubjectName subject = SubjectName.of(id, "OrdererOrg", Role.ORDERER);
            CertificateAuthority ca = "tls".equals(profile) ? org.tlsCa() : org.signingCa();
            var certificate = ca.issue("tls".equals(profile)
                    ? CertificateTemplate.tls(subject, key, validity, hosts)
                    : CertificateTemplate.signing(subject, key, validity));
            return new MembershipClient.Enrollment(certificate, ca.chain(), profile, certificate.getSerialNumber().toString(16));
        }

        @Override
        public MembershipClient.Enrollment reenroll(MembershipClient.Credential current, byte[] csr, String profile,
                List<String> hosts) {
            return enroll("orderer-boot", "secret", csr, profile, hosts);
        }

        @Override
        public MembershipClient.IndexAnswer registerNode(byte[] request, Signer signer) {
            registrations.add(request);
            return answer();
        }

        @Override
        public MembershipClient.IndexAnswer heartbeat(String nodeId, byte[] request, Signer signer) {
            heartbeats.incrementAndGet();
            return answer();
        }

        @Override
        public MembershipClient.Crl crl(String mspId, String profile) {
            TestPki.Organization org = pki.organization(mspId);
            CertificateAuthority ca = "tls".equals(profile) ? org.tlsCa() : org.signingCa();
            List<RevokedCertificate> list = "tls".equals(profile) ? List.of() : revoked.getOrDefault(mspId, List.of());
            return new MembershipClient.Crl(ca.issueCrl(list, BigInteger.valueOf(crlVersion.get()),
                    Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600)), crlVersion.get(), crlVersion.get());
        }

        void revoke(String mspId, BigInteger serial) {
            revoked.computeIfAbsent(mspId, id -> new CopyOnWriteArrayList<>())
                    .add(new RevokedCertificate(serial, Instant.now().minusSeconds(1), 1));
            crlVersion.incrementAndGet();
        }

        private MembershipClient.IndexAnswer answer() {
            return new MembershipClient.IndexAnswer("orderer-boot", crlVersion.get(), Duration.ofMillis(200), Duration.ofSeconds(1));
        }
    }

    @Test
    void enrollsOnceRegistersAndARevocationReachesBroadcastThroughHeartbeats() throws Exception {
        FakeMembership membership = new FakeMembership(cluster.pki());
        NodeBootstrap.Settings settings = new NodeBootstrap.Settings(Role.ORDERER, "OrdererOrg", "orderer-boot", "secret", "orderer-boot",
                dir.resolve("boot"), List.of("localhost", "127.0.0.1"), List.of(new NodeRequests.Endpoint("127.0.0.1", 7050)));
        NodeBootstrap.Identity identity = NodeBootstrap.enrollOrLoad(membership, settings);
        assertThat(membership.enrollments).containsExactly("signing", "tls");
        assertThat(dir.resolve("boot/msp/signing-cert.pem")).exists();
        assertThat(Files.readString(dir.resolve("boot/msp/tls-key.pem"))).contains("PRIVATE KEY");
        NodeBootstrap.Identity loaded = NodeBootstrap.enrollOrLoad(membership, settings);
        assertThat(membership.enrollments).hasSize(2);
        assertThat(loaded.signingChain()).isEqualTo(identity.signingChain());
        assertThat(loaded.tlsChain().getFirst()).isEqualTo(identity.tlsChain().getFirst());
        assertThat(identity.signingChain().getFirst().getPublicKey()).isNotNull();

        OrdererServer server = cluster.server(0);
        try (NodeBootstrap bootstrap = new NodeBootstrap(membership, settings, identity, server.trusts(),
                () -> Map.of(ServiceClusters.CHANNEL, cluster.channel(0).height()), Clock.systemUTC())) {
            bootstrap.register();
            byte[] registration = membership.registrations.getFirst();
            assertThat(registration).isEqualTo(NodeRequests.registration("orderer-boot", "OrdererOrg", "orderer",
                    settings.endpoints(), Map.of(ServiceClusters.CHANNEL, cluster.channel(0).height()), false,
                    identity.signingChain().getFirst(), identity.tlsChain().getFirst(),
                    Instant.ofEpochMilli(java.nio.ByteBuffer.wrap(registration, registration.length - 8, 8).getLong())));
            bootstrap.start();

            TestPki.Credential victim = cluster.pki().organization("ClientOrg").enroll("victim", Role.CLIENT);
            TransportClient transport = cluster.connect(0, cluster.clientTls());
            var before = OrdererServiceTest.broadcast(transport, OrdererCluster.envelope(ServiceClusters.CHANNEL, "ClientOrg", victim, 50));
            assertThat(before.getStatus()).as(before.getMessage()).isEqualTo(BroadcastStatus.SUCCESS);

            membership.revoke("ClientOrg", victim.certificate().getSerialNumber());
            long beats = membership.heartbeats.get();
            Await.until("two more heartbeats", () -> membership.heartbeats.get() >= beats + 2, Duration.ofSeconds(30));
            var after = OrdererServiceTest.broadcast(transport, OrdererCluster.envelope(ServiceClusters.CHANNEL, "ClientOrg", victim, 50));
            assertThat(after.getReason()).as(after.getMessage()).isEqualTo(BroadcastReason.REVOKED_CREATOR);
            var colleague = OrdererServiceTest.broadcast(transport, cluster.envelope(50));
            assertThat(colleague.getStatus()).as(colleague.getMessage()).isEqualTo(BroadcastStatus.SUCCESS);
        }
    }
}
