package io.charter.common.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.crypto.Signer;
import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.CertificateTemplate;
import io.charter.common.pki.CertificationRequests;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import io.charter.common.testing.MutableClock;
import io.charter.common.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renewal of a node's certificates against a membership fake that issues from the test PKI on a
 * {@link MutableClock} (30-day certificates): nothing happens before the due time, past it both
 * certificates are re-enrolled with fresh keys, authenticated by the current signing certificate, and
 * replace the stored files; a refusal leaves the stored files and the identity as they were; an
 * interrupted store is finished or discarded at the next load.
 */
class NodeBootstrapRenewalTest {

    static final TestPki PKI = TestPki.create("Org1MSP");
    static final Duration LIFETIME = Duration.ofDays(30);

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.now());
    final FakeMembership membership = new FakeMembership();

    /** Issues 30-day certificates from the clock's now; re-enrolls only for a certificate it issued. */
    final class FakeMembership implements NodeBootstrap.Membership {
        final List<X509Certificate> issued = new CopyOnWriteArrayList<>();
        final List<String> reenrollments = new CopyOnWriteArrayList<>();
        final List<X509Certificate> registeredSigning = new CopyOnWriteArrayList<>();
        volatile String refuseProfile = "";

        @Override
        public MembershipClient.Enrollment enroll(String id, String secret, byte[] csr, String profile, List<String> hosts) {
            if (!"secret".equals(secret)) {
                throw new MembershipException("AUTHENTICATION_FAILED", 401, "wrong secret");
            }
            return issue(id, csr, profile, hosts);
        }

        @Override
        public MembershipClient.Enrollment reenroll(MembershipClient.Credential current, byte[] csr, String profile,
                List<String> hosts) {
            if (!issued.contains(current.certificate())
                    || !current.signer().publicKey().equals(current.certificate().getPublicKey())) {
                throw new MembershipException("CERTIFICATE_UNKNOWN", 401, "not issued here");
            }
            if (profile.equals(refuseProfile)) {
                throw new MembershipException("SERVICE_UNAVAILABLE", 503, "membership service unavailable");
            }
            reenrollments.add(profile);
            return issue("peer0", csr, profile, hosts);
        }

        private MembershipClient.Enrollment issue(String id, byte[] csr, String profile, List<String> hosts) {
            TestPki.Organization org = PKI.organization("Org1MSP");
            PublicKey key = CertificationRequests.parse(csr).publicKey();
            Validity validity = new Validity(clock.instant(), clock.instant().plus(LIFETIME));
            SubjectName subject = SubjectName.of(id, "Org1MSP", Role.PEER);
            CertificateAuthority ca = "tls".equals(profile) ? org.tlsCa() : org.signingCa();
            X509Certificate certificate = ca.issue("tls".equals(profile)
                    ? CertificateTemplate.tls(subject, key, validity, hosts)
                    : CertificateTemplate.signing(subject, key, validity));
            issued.add(certificate);
            return new MembershipClient.Enrollment(certificate, ca.chain(), profile, certificate.getSerialNumber().toString(16));
        }

        @Override
        public MembershipClient.IndexAnswer registerNode(byte[] request, Signer signer) {
            registeredSigning.add(issued.stream().filter(c -> c.getPublicKey().equals(signer.publicKey())).findFirst().orElseThrow());
            return new MembershipClient.IndexAnswer("peer0", 1, Duration.ofSeconds(10), Duration.ofSeconds(30));
        }

        @Override
        public MembershipClient.IndexAnswer heartbeat(String nodeId, byte[] request, Signer signer) {
            return new MembershipClient.IndexAnswer("peer0", 1, Duration.ofSeconds(10), Duration.ofSeconds(30));
        }

        @Override
        public MembershipClient.Crl crl(String mspId, String profile) {
            throw new MembershipException("ORGANIZATION_NOT_FOUND", 404, "no CRLs in this test");
        }
    }

    static final NodeBootstrap.CrlTarget NO_CRLS = new NodeBootstrap.CrlTarget() {
        @Override
        public Set<String> mspIds() {
            return Set.of();
        }

        @Override
        public void updateCrls(String mspId, List<X509CRL> crls) {
            throw new AssertionError("no CRLs expected");
        }
    };

    NodeBootstrap.Settings settings() {
        return new NodeBootstrap.Settings(Role.PEER, "Org1MSP", "peer0", "secret", "peer0", dir, List.of("localhost", "127.0.0.1"),
                List.of(new NodeRequests.Endpoint("127.0.0.1", 7051)));
    }

    NodeBootstrap bootstrap(NodeBootstrap.Identity identity) {
        return new NodeBootstrap(membership, settings(), identity, NO_CRLS, Map::of, clock);
    }

    Map<String, String> storedFiles() throws IOException {
        Map<String, String> files = new java.util.TreeMap<>();
        for (String name : IdentityFiles.NAMES) {
            files.put(name, Files.readString(dir.resolve("msp").resolve(name)));
        }
        return files;
    }

    @Test
    void pastTwoThirdsOfTheLifetimeBothCertificatesAreRenewedWithFreshKeysStoredAndRegistered() throws Exception {
        NodeBootstrap.Identity enrolled = NodeBootstrap.enrollOrLoad(membership, settings());
        try (NodeBootstrap bootstrap = bootstrap(enrolled)) {
            bootstrap.register();
            List<NodeBootstrap.Identity> told = new ArrayList<>();
            bootstrap.onRenewed(told::add);

            clock.advance(LIFETIME.multipliedBy(60).dividedBy(100));
            assertThat(bootstrap.renewIfDue()).isEmpty();
            assertThat(membership.reenrollments).isEmpty();
            Instant due = bootstrap.renewalDue();
            Instant notBefore = enrolled.signingChain().getFirst().getNotBefore().toInstant();
            assertThat(due).isAfterOrEqualTo(notBefore.plus(LIFETIME.multipliedBy(2).dividedBy(3)).minusSeconds(1))
                    .isBefore(notBefore.plus(LIFETIME.multipliedBy(72).dividedBy(100)));

            clock.set(due);
            NodeBootstrap.Identity renewed = bootstrap.renewIfDue().orElseThrow();

            assertThat(membership.reenrollments).containsExactly("signing", "tls");
            assertThat(renewed.signingKey()).isNotEqualTo(enrolled.signingKey());
            assertThat(renewed.tlsKey()).isNotEqualTo(enrolled.tlsKey());
            assertThat(renewed.notAfter()).isAfter(enrolled.notAfter());
            assertThat(bootstrap.identity()).isEqualTo(renewed);
            assertThat(told).containsExactly(renewed);
            assertThat(membership.registeredSigning).containsExactly(enrolled.signingChain().getFirst(), renewed.signingChain().getFirst());
            NodeBootstrap.Identity reloaded = NodeBootstrap.enrollOrLoad(membership, settings());
            assertThat(reloaded.signingChain()).isEqualTo(renewed.signingChain());
            assertThat(reloaded.tlsChain()).isEqualTo(renewed.tlsChain());
            assertThat(reloaded.signingKey().getEncoded()).isEqualTo(renewed.signingKey().getEncoded());
            assertThat(reloaded.tlsKey().getEncoded()).isEqualTo(renewed.tlsKey().getEncoded());
            assertThat(dir.resolve("msp").resolve(IdentityFiles.STAGING)).doesNotExist();

            // the renewed identity is due again only two thirds into its own lifetime, and renews with itself
            assertThat(bootstrap.renewIfDue()).isEmpty();
            clock.advance(LIFETIME.multipliedBy(9).dividedBy(10));
            assertThat(bootstrap.renewIfDue()).isPresent();
            assertThat(membership.reenrollments).hasSize(4);
        }
    }

    @Test
    void aRefusedRenewalLeavesTheStoredFilesAndTheIdentityAsTheyWere() throws Exception {
        NodeBootstrap.Identity enrolled = NodeBootstrap.enrollOrLoad(membership, settings());
        Map<String, String> before = storedFiles();
        try (NodeBootstrap bootstrap = bootstrap(enrolled)) {
            List<NodeBootstrap.Identity> told = new ArrayList<>();
            bootstrap.onRenewed(told::add);
            membership.refuseProfile = "tls"; // after the signing certificate was already re-issued
            clock.advance(LIFETIME.multipliedBy(9).dividedBy(10));

            assertThatThrownBy(bootstrap::renewIfDue).isInstanceOfSatisfying(MembershipException.class,
                    e -> assertThat(e.code()).isEqualTo("SERVICE_UNAVAILABLE"));

            assertThat(storedFiles()).isEqualTo(before);
            assertThat(dir.resolve("msp").resolve(IdentityFiles.STAGING)).doesNotExist();
            assertThat(bootstrap.identity()).isEqualTo(enrolled);
            assertThat(told).isEmpty();

            membership.refuseProfile = "";
            NodeBootstrap.Identity renewed = bootstrap.renewIfDue().orElseThrow();
            assertThat(storedFiles()).isNotEqualTo(before);
            assertThat(told).containsExactly(renewed);
        }
    }

    @Test
    void anInterruptedStoreIsFinishedWhenMarkedCompleteAndDiscardedOtherwise() throws Exception {
        NodeBootstrap.Identity enrolled = NodeBootstrap.enrollOrLoad(membership, settings());
        Map<String, String> before = storedFiles();
        Path staging = dir.resolve("msp").resolve(IdentityFiles.STAGING);

        // staged but not marked complete (a crash while writing): the previous identity stays
        Files.createDirectory(staging);
        Files.writeString(staging.resolve("signing-key.pem"), "-----BEGIN PRIVATE KEY-----\ntrunc");
        NodeBootstrap.Identity loaded = NodeBootstrap.enrollOrLoad(membership, settings());
        assertThat(loaded.signingChain()).isEqualTo(enrolled.signingChain());
        assertThat(storedFiles()).isEqualTo(before);
        assertThat(staging).doesNotExist();

        // marked complete, crash after the first rename: the rest is moved in at the next load
        Map<String, String> next;
        try (NodeBootstrap bootstrap = bootstrap(enrolled)) {
            clock.advance(LIFETIME.multipliedBy(9).dividedBy(10));
            bootstrap.renewIfDue().orElseThrow();
            next = storedFiles();
        }
        Files.createDirectory(staging);
        for (String name : IdentityFiles.NAMES.subList(1, 4)) {
            Files.writeString(staging.resolve(name), next.get(name));
            Files.writeString(dir.resolve("msp").resolve(name), before.get(name));
        }
        Files.writeString(staging.resolve(IdentityFiles.COMPLETE), "");
        NodeBootstrap.Identity rolledForward = NodeBootstrap.enrollOrLoad(membership, settings());
        assertThat(storedFiles()).isEqualTo(next);
        assertThat(rolledForward.signingChain().getFirst().getPublicKey()).isNotEqualTo(enrolled.signingChain().getFirst().getPublicKey());
        assertThat(staging).doesNotExist();
    }

    @Test
    void startedPastTheDueTimeItRenewsRightAwayOnItsOwnThread() throws Exception {
        NodeBootstrap.Identity enrolled = NodeBootstrap.enrollOrLoad(membership, settings());
        clock.advance(LIFETIME.multipliedBy(8).dividedBy(10));
        java.util.concurrent.CompletableFuture<NodeBootstrap.Identity> told = new java.util.concurrent.CompletableFuture<>();
        try (NodeBootstrap bootstrap = bootstrap(enrolled)) {
            bootstrap.onRenewed(told::complete);
            bootstrap.start();
            NodeBootstrap.Identity renewed = told.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(renewed.signingChain().getFirst()).isNotEqualTo(enrolled.signingChain().getFirst());
            assertThat(NodeBootstrap.enrollOrLoad(membership, settings()).tlsChain()).isEqualTo(renewed.tlsChain());
        }
    }

    @Test
    void aRenewalFractionOutsideZeroToOneIsRefusedWithTheKeyToFix() {
        assertThatThrownBy(() -> NodeBootstrap.Renewal.at(1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("renew-at");
        assertThatThrownBy(() -> NodeBootstrap.Renewal.fromProperty(0.0, "charter.peer.membership.renew-at"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("charter.peer.membership.renew-at: ");
        assertThat(NodeBootstrap.Renewal.fromProperty(null, "k").renewAt()).isEqualTo(2.0 / 3.0);
        assertThat(NodeBootstrap.Renewal.fromProperty(0.5, "k").renewAt()).isEqualTo(0.5);
    }
}
