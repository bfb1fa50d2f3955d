package io.charter.membership.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.Role;
import io.charter.common.testing.RequiresDocker;
import io.charter.membership.Caller;
import io.charter.membership.ErrorCode;
import io.charter.membership.Fixtures;
import io.charter.membership.Fixtures.Member;
import io.charter.membership.MembershipCore;
import io.charter.membership.MembershipException;
import io.charter.common.testing.MutableClock;
import io.charter.membership.TestDatabases;
import io.charter.membership.audit.AuditEntry;
import io.charter.membership.enrollment.Enrollment;
import io.charter.membership.enrollment.EnrollmentRequest;
import io.charter.membership.identity.Registration;
import io.charter.membership.identity.RegistrationRequest;
import io.charter.membership.revocation.RevocationReason;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RequiresDocker
class IndexServiceTest {

    private MutableClock clock;
    private MembershipCore core;
    private Member admin;

    @BeforeEach
    void startCore() {
        startCore(Fixtures.settings().build());
    }

    private void startCore(io.charter.membership.MembershipSettings settings) {
        clock = MutableClock.atNow();
        core = MembershipCore.start(TestDatabases.freshDataSource(), settings, clock);
        admin = Fixtures.consortiumAdmin(core);
        core.organizations().create(admin.caller(), "Org1MSP");
        core.organizations().create(admin.caller(), "Org2MSP");
    }

    /** A node with its signing key and both certificates, able to sign index requests. */
    record Node(String id, String mspId, Role role, KeyPair signingKeys, Enrollment signing, Enrollment tls, Caller caller) {

        byte[] sign(byte[] body) throws Exception {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(signingKeys.getPrivate());
            signer.update(body);
            return signer.sign();
        }
    }

    private Node enrollNode(String id, Role role, String mspId) {
        Registration registration = core.identities().register(admin.caller(), RegistrationRequest.of(id, role, mspId)
                .withHosts(List.of(id + ".example")));
        KeyPair signingKeys = EcKeys.generate();
        Enrollment signing = core.enrollment().enroll(id, registration.secret(),
                EnrollmentRequest.signing(Fixtures.csr(signingKeys, "CN=" + id)));
        Enrollment tls = core.enrollment().enroll(id, registration.secret(),
                EnrollmentRequest.tls(Fixtures.csr(EcKeys.generate(), "CN=" + id), List.of(id + ".example")));
        return new Node(id, mspId, role, signingKeys, signing, tls, core.authenticator().authenticate(tls.certificate()));
    }

    private IndexAnswer register(Node node, Map<String, Long> channels, boolean anchor) throws Exception {
        byte[] body = NodeRegistration.of(node.id(), node.mspId(), node.role(), List.of(new Endpoint(node.id() + ".example", 7051)),
                channels, anchor, node.signing().certificate(), node.tls().certificate(), clock.instant()).encode();
        return core.index().register(body, node.sign(body));
    }

    private IndexAnswer heartbeat(Node node, Map<String, Long> channels) throws Exception {
        byte[] body = Heartbeat.of(node.id(), node.mspId(), channels, clock.instant()).encode();
        return core.index().heartbeat(body, node.sign(body));
    }

    @Test
    void silentNodeGoesDownThenIsEvictedWhileDiscoveryReturnsTheLiveOnes() throws Exception {
        Node orderer = enrollNode("orderer0", Role.ORDERER, "Org1MSP");
        Node peer1 = enrollNode("peer0.org1", Role.PEER, "Org1MSP");
        Node peer2 = enrollNode("peer0.org2", Role.PEER, "Org2MSP");
        IndexAnswer answer = register(orderer, Map.of("trade", 5L), false);
        assertThat(answer.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(answer.revocationPropagationBound()).isEqualTo(Duration.ofSeconds(30));
        register(peer1, Map.of("trade", 4L), true);
        register(peer2, Map.of("trade", 3L), false);

        assertThat(core.index().orderers(peer1.caller(), "trade")).singleElement().satisfies(n -> {
            assertThat(n.tlsCertificate()).isEqualTo(orderer.tls().certificate());
            assertThat(n.tlsCertificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(n.endpoints()).containsExactly(new Endpoint("orderer0.example", 7051));
            assertThat(n.state()).isEqualTo(NodeState.UP);
        });
        assertThat(core.index().peersByOrganization(peer1.caller(), "trade")).containsOnlyKeys("Org1MSP", "Org2MSP");
        assertThat(core.index().anchorPeers(peer2.caller(), "trade")).extracting(NodeView::nodeId).containsExactly("peer0.org1");

        // Twenty seconds on, two nodes heartbeat (one with a new height); peer0.org2 stays silent.
        clock.advance(Duration.ofSeconds(20));
        heartbeat(orderer, Map.of("trade", 9L));
        heartbeat(peer1, Map.of("trade", 9L));
        clock.advance(Duration.ofSeconds(15));
        assertThat(core.index().node(admin.caller(), "peer0.org2").state()).isEqualTo(NodeState.DOWN);
        assertThat(core.index().node(admin.caller(), "peer0.org1").state()).isEqualTo(NodeState.UP);
        assertThat(core.index().node(admin.caller(), "orderer0").channelHeights()).containsEntry("trade", 9L);
        assertThat(core.index().peersByOrganization(peer1.caller(), "trade")).containsOnlyKeys("Org1MSP");

        // The others keep heartbeating every 20 s until peer0.org2 has been silent for ten minutes.
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofSeconds(20));
            heartbeat(orderer, Map.of("trade", 10L));
            heartbeat(peer1, Map.of("trade", 10L));
        }
        assertThat(core.index().nodes(admin.caller())).extracting(NodeView::nodeId).containsExactly("orderer0", "peer0.org1");
        assertThat(core.audit().latest(admin.caller(), 10)).extracting(AuditEntry::action, AuditEntry::target)
                .contains(org.assertj.core.groups.Tuple.tuple("node.evict", "peer0.org2"));
        assertThatThrownBy(() -> heartbeat(peer2, Map.of("trade", 3L)))
                .extracting(e -> ((MembershipException) e).code()).isEqualTo(ErrorCode.NODE_NOT_FOUND);
        register(peer2, Map.of("trade", 10L), false);
        assertThat(core.index().peersByOrganization(peer1.caller(), "trade")).containsOnlyKeys("Org1MSP", "Org2MSP");
    }

    @Test
    void heartbeatAnswersCarryTheCrlVersionAndRevokedNodesLeaveTheIndex() throws Exception {
        Node peer1 = enrollNode("peer0.org1", Role.PEER, "Org1MSP");
        Node peer2 = enrollNode("peer1.org1", Role.PEER, "Org1MSP");
        long before = register(peer1, Map.of("trade", 1L), false).crlVersion();
        register(peer2, Map.of("trade", 1L), false);

        core.revocation().revokeIdentity(admin.caller(), "peer1.org1", RevocationReason.KEY_COMPROMISE);
        clock.advance(Duration.ofSeconds(10));
        assertThat(heartbeat(peer1, Map.of("trade", 2L)).crlVersion()).isEqualTo(before + 1);
        assertThat(core.index().nodes(admin.caller())).extracting(NodeView::nodeId).containsExactly("peer0.org1");
        assertThatThrownBy(() -> register(peer2, Map.of("trade", 1L), false))
                .extracting(e -> ((MembershipException) e).code()).isEqualTo(ErrorCode.CERTIFICATE_REVOKED);
    }

    @Test
    void leaderLeaseHasOneHolderUntilItExpiresThenAnotherPeerTakesOver() throws Exception {
        Node peerA = enrollNode("peer0.org1", Role.PEER, "Org1MSP");
        Node peerB = enrollNode("peer1.org1", Role.PEER, "Org1MSP");
        register(peerA, Map.of("trade", 1L), false);
        register(peerB, Map.of("trade", 1L), false);

        LeaderLease first = core.index().acquireLeadership(peerA.caller(), "trade");
        assertThat(first.granted()).isTrue();
        LeaderLease refused = core.index().acquireLeadership(peerB.caller(), "trade");
        assertThat(refused.granted()).isFalse();
        assertThat(refused.holder()).isEqualTo("peer0.org1");
        assertThat(core.index().leader(peerB.caller(), "trade", "Org1MSP")).map(NodeView::nodeId).contains("peer0.org1");

        clock.advance(Duration.ofSeconds(20));
        heartbeat(peerA, Map.of("trade", 2L));
        heartbeat(peerB, Map.of("trade", 2L));
        LeaderLease renewed = core.index().acquireLeadership(peerA.caller(), "trade");
        assertThat(renewed.granted()).isTrue();
        assertThat(renewed.term()).isEqualTo(first.term());

        clock.advance(Duration.ofSeconds(31));
        heartbeat(peerB, Map.of("trade", 3L));
        LeaderLease takeover = core.index().acquireLeadership(peerB.caller(), "trade");
        assertThat(takeover.granted()).isTrue();
        assertThat(takeover.term()).isEqualTo(first.term() + 1);
        assertThat(core.index().leader(admin.caller(), "trade", "Org1MSP")).map(NodeView::nodeId).contains("peer1.org1");

        core.index().releaseLeadership(peerB.caller(), "trade");
        assertThat(core.index().leader(admin.caller(), "trade", "Org1MSP")).isEmpty();
        assertThatThrownBy(() -> core.index().acquireLeadership(admin.caller(), "trade"))
                .extracting(e -> ((MembershipException) e).code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void aPeerGetsNoLeaseOnAChannelItHasNotReportedServingAndNothingIsWritten() throws Exception {
        Node peer = enrollNode("peer0.org1", Role.PEER, "Org1MSP");
        register(peer, Map.of("trade", 1L), false);

        assertThatThrownBy(() -> core.index().acquireLeadership(peer.caller(), "other"))
                .extracting(e -> ((MembershipException) e).code()).isEqualTo(ErrorCode.CHANNEL_NOT_SERVED);
        assertThat(core.index().leases(admin.caller())).isEmpty();

        clock.advance(Duration.ofSeconds(5));
        heartbeat(peer, Map.of("trade", 2L, "other", 1L));
        assertThat(core.index().acquireLeadership(peer.caller(), "other").granted()).isTrue();
        assertThat(core.index().leases(admin.caller())).extracting(LeaderLease::channel).containsExactly("other");
    }

    @Test
    void expiringCertificatesAreReportedWithinThirtyDays() throws Exception {
        startCore(Fixtures.settings().memberLifetime(Duration.ofDays(45)).evictAfter(Duration.ofDays(400)).build());
        Node peer = enrollNode("peer0.org1", Role.PEER, "Org1MSP");
        register(peer, Map.of("trade", 1L), false);
        assertThat(core.index().expiringCertificates(admin.caller())).isEmpty();

        clock.advance(Duration.ofDays(16));
        assertThat(core.index().expiringCertificates(admin.caller()))
                .extracting(ExpiringCertificate::nodeId, ExpiringCertificate::profile)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("peer0.org1", io.charter.common.pki.CertificatePurpose.SIGNING));
    }

    @Test
    void forgedReplayedAndForeignRequestsAreRefused() throws Exception {
        Node peer = enrollNode("peer0.org1", Role.PEER, "Org1MSP");
        Node other = enrollNode("peer1.org1", Role.PEER, "Org1MSP");
        byte[] body = NodeRegistration.of(peer.id(), peer.mspId(), Role.PEER, List.of(new Endpoint("h", 1)), Map.of(), false,
                peer.signing().certificate(), peer.tls().certificate(), clock.instant()).encode();
        assertThatThrownBy(() -> core.index().register(body, other.sign(body)))
                .extracting(e -> ((MembershipException) e).code()).isEqualTo(ErrorCode.BAD_SIGNATURE);
        core.index().register(body, peer.sign(body));
        assertThatThrownBy(() -> core.index().register(body, peer.sign(body)))
                .extracting(e -> ((MembershipException) e).code()).isEqualTo(ErrorCode.STALE_REQUEST);

        byte[] stolen = NodeRegistration.of(other.id(), other.mspId(), Role.PEER, List.of(), Map.of(), false,
                peer.signing().certificate(), other.tls().certificate(), clock.instant()).encode();
        assertThatThrownBy(() -> core.index().register(stolen, peer.sign(stolen)))
                .extracting(e -> ((MembershipException) e).code()).isEqualTo(ErrorCode.FORBIDDEN);

        byte[] garbage = new byte[] {'C', 'N', 'R', '1', 0, 5};
        assertThatThrownBy(() -> core.index().register(garbage, peer.sign(garbage)))
                .extracting(e -> ((MembershipException) e).code()).isEqualTo(ErrorCode.NODE_REQUEST_MALFORMED);
    }
}
