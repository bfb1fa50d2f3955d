package io.charter.common.membership;

import io.charter.common.crypto.EcKeys;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.crypto.Signer;
import io.charter.common.pki.CertificationRequests;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 *       (the node uses them from the next request or handshake on);
 *   <li>renewal (scheduled by {@link #start}, one step {@link #renewIfDue}): when {@link Renewal#renewAt} of
 *       a certificate's lifetime (notBefore to notAfter) has passed, re-enrolls both certificates with fresh
 *       keys, authenticated by the current signing certificate, stores them atomically (see
 *       {@link IdentityFiles}), registers again with them and tells the {@link #onRenewed} listeners.
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

        /** Renews a certificate of the identity of {@code current} for the CSR's key. */
        MembershipClient.Enrollment reenroll(MembershipClient.Credential current, byte[] csr, String profile, List<String> hosts);

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

                @Override
                public MembershipClient.Enrollment reenroll(MembershipClient.Credential current, byte[] csr, String profile,
                        List<String> hosts) {
                    return client.reenroll(current, csr, profile, hosts);
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
            List<X509Certificate> tlsChain) {

        public Identity {
            signingChain = List.copyOf(signingChain);
            tlsChain = List.copyOf(tlsChain);
            if (signingChain.isEmpty() || tlsChain.isEmpty()) {
                throw new IllegalArgumentException("an identity needs a signing and a TLS certificate");
            }
        }

        /** The earlier notAfter of the two leaf certificates. */
        public Instant notAfter() {
            Instant signing = signingChain.getFirst().getNotAfter().toInstant();
            Instant tls = tlsChain.getFirst().getNotAfter().toInstant();
            return signing.isBefore(tls) ? signing : tls;
        }
    }

    /**
     * When and how the certificates are renewed.
     *
     * @param renewAt the fraction of a certificate's lifetime (notBefore to notAfter) after which it is
     *     renewed, in (0, 1); each node adds a spread of up to {@link #SPREAD} of the lifetime (fixed per
     *     node id) so that nodes enrolled together do not all renew, and restart, at the same moment
     * @param firstRetry the wait after a failed renewal; it doubles with each further failure
     * @param maxRetry the longest wait between attempts
     */
    public record Renewal(double renewAt, Duration firstRetry, Duration maxRetry) {

        public static final double DEFAULT_RENEW_AT = 2.0 / 3.0;
        public static final double SPREAD = 0.05;

        public Renewal {
            if (!(renewAt > 0 && renewAt < 1)) {
                throw new IllegalArgumentException("renew-at must be a fraction of the certificate lifetime between 0 and 1 "
                        + "(exclusive), e.g. 0.67; got " + renewAt);
            }
            if (!firstRetry.isPositive() || maxRetry.compareTo(firstRetry) < 0) {
                throw new IllegalArgumentException("renewal retries need 0 < firstRetry <= maxRetry; got " + firstRetry
                        + " and " + maxRetry);
            }
        }

        public static Renewal defaults() {
            return at(DEFAULT_RENEW_AT);
        }

        public static Renewal at(double renewAt) {
            return new Renewal(renewAt, Duration.ofSeconds(10), Duration.ofMinutes(10));
        }

        /** From an optional configuration value (absent: the default), naming {@code key} in the error. */
        public static Renewal fromProperty(Double renewAt, String key) {
            try {
                return renewAt == null ? defaults() : at(renewAt);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The exit code of a node that stops to take its renewed identity into use (EX_TEMPFAIL): its
     * supervisor (Kubernetes, systemd, a compose restart policy) starts it again and it loads the renewed
     * identity from the data directory.
     */
    public static final int RESTART_EXIT_CODE = 75;

    /**
     * Shuts the node down on a new thread ({@code shutdown} answers the exit code, e.g. by closing the
     * application) and exits the JVM with it, so that the supervisor restarts it with the renewed identity.
     */
    public static void exitForRestart(java.util.function.IntSupplier shutdown) {
        LOG.warn("the certificates were renewed and stored; exiting with code {} so that the node's supervisor restarts it "
                + "with them (the running node built its TLS and signer from the previous ones)", RESTART_EXIT_CODE);
        Thread.ofPlatform().name("renewal-restart").start(() -> System.exit(shutdown.getAsInt()));
    }

    /** The longest sleep of the renewal schedule: the due time is checked again at least this often. */
    private static final Duration RECHECK = Duration.ofHours(1);

    private final Membership membership;
    private final Settings settings;
    private final Renewal renewal;
    private final CrlTarget trusts;
    private final Supplier<Map<String, Long>> channelHeights;
    private final Clock clock;
    private final IdentityFiles files;
    private final List<Consumer<Identity>> renewedListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("membership-node").factory());
    private volatile Identity identity;
    private volatile Signer signer;
    private volatile boolean registered;
    private volatile long crlVersion = -1;
    private volatile Duration interval = Duration.ofSeconds(10);
    private Duration retry; // touched by the executor's thread only

    public NodeBootstrap(Membership membership, Settings settings, Identity identity, CrlTarget trusts,
            Supplier<Map<String, Long>> channelHeights, Clock clock) {
        this(membership, settings, identity, Renewal.defaults(), trusts, channelHeights, clock);
    }

    public NodeBootstrap(Membership membership, Settings settings, Identity identity, Renewal renewal, CrlTarget trusts,
            Supplier<Map<String, Long>> channelHeights, Clock clock) {
        this.membership = membership;
        this.settings = settings;
        this.renewal = renewal;
        this.trusts = trusts;
        this.channelHeights = channelHeights;
        this.clock = clock;
        this.files = new IdentityFiles(settings.dataDirectory());
        this.retry = renewal.firstRetry();
        use(identity);
    }

    /** Loads the stored identity, or enrolls it and stores it (first start). */
    public static Identity enrollOrLoad(Membership membership, Settings settings) throws IOException {
        IdentityFiles files = new IdentityFiles(settings.dataDirectory());
        Optional<Identity> stored = files.load();
        if (stored.isPresent()) {
            return stored.get();
        }
        KeyPair signingKeys = EcKeys.generate();
        MembershipClient.Enrollment signing = membership.enroll(settings.enrollmentId(), settings.secret(),
                CertificationRequests.create(SubjectName.of(settings.enrollmentId(), settings.mspId(), settings.role()),
                        signingKeys, List.of()).encoded(), "signing", List.of());
        KeyPair tlsKeys = EcKeys.generate();
        MembershipClient.Enrollment tls = membership.enroll(settings.enrollmentId(), settings.secret(),
                CertificationRequests.create(SubjectName.of(settings.enrollmentId(), settings.mspId(), settings.role()),
                        tlsKeys, settings.tlsHosts()).encoded(), "tls", settings.tlsHosts());
        Identity enrolled = new Identity(signingKeys.getPrivate(), chain(signing), tlsKeys.getPrivate(), chain(tls));
        files.store(enrolled);
        LOG.info("enrolled {} of {}: signing and TLS certificates stored in {}", settings.enrollmentId(), settings.mspId(),
                files.directory());
        return enrolled;
    }

    /** The current identity (the renewed one after a renewal). */
    public Identity identity() {
        return identity;
    }

    /**
     * Calls {@code listener} with the new identity after each renewal, once it is stored and registered
     * (on the bootstrap's thread; a listener's exception is logged).
     */
    public void onRenewed(Consumer<Identity> listener) {
        renewedListeners.add(listener);
    }

    /**
     * When the current identity is due for renewal: {@link Renewal#renewAt} of the lifetime of the
     * certificate that expires first, plus this node's spread.
     */
    public Instant renewalDue() {
        Identity current = identity;
        Instant signing = due(current.signingChain().getFirst());
        Instant tls = due(current.tlsChain().getFirst());
        return signing.isBefore(tls) ? signing : tls;
    }

    private Instant due(X509Certificate certificate) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        long lifetime = Duration.between(notBefore, certificate.getNotAfter().toInstant()).toMillis();
        double spread = Renewal.SPREAD * Math.min(1, (1 - renewal.renewAt()) / (2 * Renewal.SPREAD))
                * Math.floorMod(settings.nodeId().hashCode(), 1000) / 1000.0;
        return notBefore.plusMillis((long) (lifetime * (renewal.renewAt() + spread)));
    }

    /**
     * Renews the identity when it is due ({@link #renewalDue}); empty when it is not.
     *
     * @throws MembershipException when the membership service refuses or cannot be reached (the stored
     *     identity and {@link #identity()} stay the previous ones)
     * @throws IOException when the new identity cannot be stored (the previous files stay)
     */
    public Optional<Identity> renewIfDue() throws IOException {
        if (clock.instant().isBefore(renewalDue())) {
            return Optional.empty();
        }
        return Optional.of(renew());
    }

    /**
     * Re-enrolls the signing and TLS certificates now, each with a fresh key, authenticated by the current
     * signing certificate; stores them, registers again (when registered before) and tells the listeners.
     */
    public synchronized Identity renew() throws IOException {
        Identity current = identity;
        MembershipClient.Credential credential = new MembershipClient.Credential(current.signingChain().getFirst(), signer);
        SubjectName subject = SubjectName.of(settings.enrollmentId(), settings.mspId(), settings.role());
        KeyPair signingKeys = EcKeys.generate();
        MembershipClient.Enrollment signing = membership.reenroll(credential,
                CertificationRequests.create(subject, signingKeys, List.of()).encoded(), "signing", List.of());
        KeyPair tlsKeys = EcKeys.generate();
        MembershipClient.Enrollment tls = membership.reenroll(credential,
                CertificationRequests.create(subject, tlsKeys, settings.tlsHosts()).encoded(), "tls", settings.tlsHosts());
        Identity renewed = new Identity(signingKeys.getPrivate(), chain(signing), tlsKeys.getPrivate(), chain(tls));
        files.store(renewed);
        use(renewed);
        LOG.info("renewed the signing certificate (serial {}, until {}) and the TLS certificate (serial {}, until {}) of {}; "
                        + "stored in {}", signing.serial(), signing.certificate().getNotAfter().toInstant(), tls.serial(),
                tls.certificate().getNotAfter().toInstant(), settings.enrollmentId(), files.directory());
        if (registered) {
            try {
                register();
            } catch (RuntimeException e) {
                LOG.warn("registering the renewed certificates in the index failed; the heartbeats register again when the "
                        + "index asks: {}", e.getMessage());
            }
        }
        for (Consumer<Identity> listener : renewedListeners) {
            try {
                listener.accept(renewed);
            } catch (RuntimeException e) {
                LOG.error("a listener of the renewed identity failed", e);
            }
        }
        return renewed;
    }

    private void use(Identity next) {
        this.signer = EcdsaSigner.of(new KeyPair(next.signingChain().getFirst().getPublicKey(), next.signingKey()));
        this.identity = next;
    }

    /** Registers the node in the index. */
    public MembershipClient.IndexAnswer register() {
        Identity identity = this.identity;
        byte[] request = NodeRequests.registration(settings.nodeId(), settings.mspId(), settings.roleLabel(), settings.endpoints(),
                channelHeights.get(), false, identity.signingChain().getFirst(), identity.tlsChain().getFirst(),
                clock.instant());
        MembershipClient.IndexAnswer answer = membership.registerNode(request, signer);
        registered = true;
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

    /**
     * Heartbeats on the service's interval and renews the identity when due (now, if already due), until
     * closed; failures are logged and retried (renewal with a doubling backoff).
     */
    public void start() {
        executor.schedule(this::beat, interval.toMillis(), TimeUnit.MILLISECONDS);
        executor.execute(this::renewal);
    }

    private void renewal() {
        Duration next;
        try {
            renewIfDue();
            retry = renewal.firstRetry();
            next = Duration.between(clock.instant(), renewalDue());
        } catch (IOException | RuntimeException e) {
            next = retry;
            retry = retry.multipliedBy(2).compareTo(renewal.maxRetry()) > 0 ? renewal.maxRetry() : retry.multipliedBy(2);
            Instant expiry = identity.notAfter();
            LOG.error("renewing the certificates of {} failed ({}); the current ones stay in use until {} and renewal is "
                            + "retried in {}. Check that the membership service is reachable and that the identity is neither "
                            + "revoked nor expired; past expiry (and its re-enrollment grace) an admin must let it enroll "
                            + "again with a secret", settings.enrollmentId(), e.getMessage(), expiry, next);
        }
        if (next.isNegative()) {
            next = Duration.ZERO;
        }
        if (next.compareTo(RECHECK) > 0) {
            next = RECHECK;
        }
        if (!executor.isShutdown()) {
            executor.schedule(this::renewal, next.toMillis(), TimeUnit.MILLISECONDS);
        }
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

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
