package io.charter.common.membership;

import io.charter.common.crypto.EcKeys;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.crypto.Signer;
import io.charter.common.identity.Role;
import io.charter.common.pki.CertificationRequests;
import io.charter.common.pki.Pem;
import io.charter.common.pki.SubjectName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's life with the membership service (plain Java), shared by orderers and peers:
 *
 * <ol>
 *   <li>{@link #enrollOrLoad}: on first start enrolls a signing and a TLS certificate with the enrollment
 *       id and secret (fresh P-256 keys, CSRs, the node's role in the subject) and stores them as PEM under
 *       {@code <data>/msp/}; later starts load them from there (the secret is one-time);
 *   <li>{@link #register}: registers the node in the index (signed canonical body, role label
 *       {@code orderer} or {@code peer});
 *   <li>{@link #start}: heartbeats on the interval the service answers (channel heights from the
 *       node); when the CRL version in an answer is higher than the last seen, fetches the signing and TLS
 *       CRLs of every organization of the joined channels and hands them to the node's {@link CrlTarget}
 *       (the node uses them from the next request or handshake on).
 * </ol>
 */
public final class NodeBootstrap implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeBootstrap.class);

    /** What the bootstrap needs from the membership service (a {@link MembershipClient}, or a fake in tests). */
    public interface Membership {
        MembershipClient.Enrollment enroll(String id, String secret, byte[] csr, String profile, List<String> hosts);

        MembershipClient.IndexAnswer registerNode(byte[] request, Signer signer);

        MembershipClient.IndexAnswer heartbeat(String nodeId, byte[] request, Signer signer);

        MembershipClient.Crl crl(String mspId, String profile);

        static Membership of(MembershipClient client) {
            return new Membership() {
                @Override
                public MembershipClient.Enrollment enroll(String id, String secret, byte[] csr, String profile, List<String> hosts) {
                    return client.enroll(id, secret, csr, profile, hosts);
                }

                @Override
                public MembershipClient.IndexAnswer registerNode(byte[] request, Signer signer) {
                    return client.registerNode(request, signer);
                }

                @Override
                public MembershipClient.IndexAnswer heartbeat(String nodeId, byte[] request, Signer signer) {
                    return client.heartbeat(nodeId, request, signer);
                }

                @Override
                public MembershipClient.Crl crl(String mspId, String profile) {
                    return client.crl(mspId, profile);
                }
            };
        }
    }

    /** Where refreshed CRLs go: the organizations of the node's joined channels, and their CRL replacement. */
    public interface CrlTarget {
        Set<String> mspIds();

        /** Replaces the CRLs (signing and TLS) of {@code mspId}. */
        void updateCrls(String mspId, List<X509CRL> crls);
    }

    /**
     * @param role ORDERER or PEER: the role in the certificates' subjects; its lower-case name is the
     *     index's role label
     * @param nodeId the node id in the index (the enrollment id by default)
     * @param tlsHosts subject alternative names of the TLS certificate
     * @param endpoints where clients reach the node (its transport)
     */
    public record Settings(Role role, String mspId, String enrollmentId, String secret, String nodeId,
            Path dataDirectory, List<String> tlsHosts, List<NodeRequests.Endpoint> endpoints) {

        public String roleLabel() {
            return role.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The node's keys and certificate chains (leaf first). */
    public record Identity(PrivateKey signingKey, List<X509Certificate> signingChain, PrivateKey tlsKey,
            List<X509Certificate> tlsChain) {}

    private final Membership membership;
    private final Settings settings;
    private final Identity identity;
    private final CrlTarget trusts;
    private final Supplier<Map<String, Long>> channelHeights;
    private final Clock clock;
    private final Signer signer;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("membership-heartbeat").factory());
    private volatile long crlVersion = -1;
    private volatile Duration interval = Duration.ofSeconds(10);

    public NodeBootstrap(Membership membership, Settings settings, Identity identity, CrlTarget trusts,
            Supplier<Map<String, Long>> channelHeights, Clock clock) {
        this.membership = membership;
        this.settings = settings;
        this.identity = identity;
        this.trusts = trusts;
        this.channelHeights = channelHeights;
        this.clock = clock;
        this.signer = EcdsaSigner.of(new KeyPair(identity.signingChain().getFirst().getPublicKey(), identity.signingKey()));
    }

    /** Loads the stored identity, or enrolls it and stores it (first start). */
    public static Identity enrollOrLoad(Membership membership, Settings settings) throws IOException {
        Path msp = settings.dataDirectory().resolve("msp");
        Path signingCert = msp.resolve("signing-cert.pem");
        Path signingKey = msp.resolve("signing-key.pem");
        Path tlsCert = msp.resolve("tls-cert.pem");
        Path tlsKey = msp.resolve("tls-key.pem");
        if (Files.exists(signingCert) && Files.exists(signingKey) && Files.exists(tlsCert) && Files.exists(tlsKey)) {
            return new Identity(Pem.decodePrivateKey(Files.readString(signingKey)), Pem.decodeCertificates(Files.readString(signingCert)),
                    Pem.decodePrivateKey(Files.readString(tlsKey)), Pem.decodeCertificates(Files.readString(tlsCert)));
        }
        Files.createDirectories(msp);
        KeyPair signingKeys = EcKeys.generate();
        MembershipClient.Enrollment signing = membership.enroll(settings.enrollmentId(), settings.secret(),
                CertificationRequests.create(SubjectName.of(settings.enrollmentId(), settings.mspId(), settings.role()),
                        signingKeys, List.of()).encoded(), "signing", List.of());
        KeyPair tlsKeys = EcKeys.generate();
        MembershipClient.Enrollment tls = membership.enroll(settings.enrollmentId(), settings.secret(),
                CertificationRequests.create(SubjectName.of(settings.enrollmentId(), settings.mspId(), settings.role()),
                        tlsKeys, settings.tlsHosts()).encoded(), "tls", settings.tlsHosts());
        List<X509Certificate> signingChain = chain(signing);
        List<X509Certificate> tlsChain = chain(tls);
        write(signingKey, Pem.encodePrivateKey(signingKeys.getPrivate()));
        write(signingCert, Pem.encodeCertificates(signingChain));
        write(tlsKey, Pem.encodePrivateKey(tlsKeys.getPrivate()));
        write(tlsCert, Pem.encodeCertificates(tlsChain));
        LOG.info("enrolled {} of {}: signing and TLS certificates stored in {}", settings.enrollmentId(), settings.mspId(), msp);
        return new Identity(signingKeys.getPrivate(), signingChain, tlsKeys.getPrivate(), tlsChain);
    }

    public Identity identity() {
        return identity;
    }

    /** Registers the node in the index. */
    public MembershipClient.IndexAnswer register() {
        byte[] request = NodeRequests.registration(settings.nodeId(), settings.mspId(), settings.roleLabel(), settings.endpoints(),
                channelHeights.get(), false, identity.signingChain().getFirst(), identity.tlsChain().getFirst(),
                clock.instant());
        MembershipClient.IndexAnswer answer = membership.registerNode(request, signer);
        interval = answer.heartbeatInterval().isPositive() ? answer.heartbeatInterval() : interval;
        onCrlVersion(answer.crlVersion());
        return answer;
    }

    /** One heartbeat now; refreshes the CRLs when the answer's CRL version is higher than the last seen. */
    public MembershipClient.IndexAnswer heartbeat() {
        byte[] request = NodeRequests.heartbeat(settings.nodeId(), settings.mspId(), channelHeights.get(), clock.instant());
        MembershipClient.IndexAnswer answer = membership.heartbeat(settings.nodeId(), request, signer);
        onCrlVersion(answer.crlVersion());
        return answer;
    }

    /** Heartbeats on the service's interval until closed (failures are logged and retried). */
    public void start() {
        executor.schedule(this::beat, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            heartbeat();
        } catch (RuntimeException e) {
            LOG.warn("heartbeat to the membership service failed: {}", e.getMessage());
            if (e instanceof MembershipException m && "NODE_NOT_FOUND".equals(m.code())) {
                try {
                    register();
                } catch (RuntimeException again) {
                    LOG.warn("registering again failed: {}", again.getMessage());
                }
            }
        }
        if (!executor.isShutdown()) {
            executor.schedule(this::beat, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void onCrlVersion(long version) {
        if (version <= crlVersion) {
            return;
        }
        boolean complete = true;
        for (String mspId : trusts.mspIds()) {
            try {
                List<X509CRL> crls = new ArrayList<>();
                crls.add(membership.crl(mspId, "signing").crl());
                crls.add(membership.crl(mspId, "tls").crl());
                trusts.updateCrls(mspId, crls);
            } catch (RuntimeException e) {
                // an organization the membership service does not know (e.g. defined only in a genesis block)
                LOG.debug("no CRLs of {} from the membership service: {}", mspId, e.getMessage());
                if (!(e instanceof MembershipException m) || m.status() / 100 != 4) {
                    complete = false;
                }
            }
        }
        if (complete) {
            crlVersion = version;
        }
    }

    private static List<X509Certificate> chain(MembershipClient.Enrollment enrollment) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(enrollment.certificate());
        enrollment.chain().stream().filter(c -> !c.equals(enrollment.certificate())).forEach(chain::add);
        return chain;
    }

    private static void write(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
