package io.charter.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.membership.MembershipClient;
import io.charter.common.pki.Role;
import io.charter.common.testing.FakeMembershipService;
import io.charter.common.testing.TestPki;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Enrollment and discovery through common's MembershipClient against an HTTPS stand-in of the
 * membership service's REST API (common's FakeMembershipService) (its real answers are checked in the membership service's own tests):
 * what the SDK makes of the answers and of the refusals.
 */
class MembershipEnrollmentAndDiscoveryTest {

    private static final TestPki PKI = TestPki.create("Org1", "Org2", "OrdererOrg");
    private static final TestPki.Credential PEER_SIGNING = PKI.organization("Org2").enroll("peer0", Role.PEER);
    private static final TestPki.Credential PEER_TLS = PKI.organization("Org2").enrollTls("peer0", Role.PEER);
    private static FakeMembershipService server;
    private static MembershipClient membership;

    @BeforeAll
    static void start() throws Exception {
        server = FakeMembershipService.start(PKI, "OrdererOrg").enrollee("alice", "s3cret", "Org1", Role.CLIENT)
                .discovery("trade", () -> List.of(node("orderer1", "OrdererOrg", "orderer", 7050)),
                        () -> List.of(node("peer0.org2", "Org2", "peer", 7051)));
        membership = new MembershipClient(server.url(), PKI.root().certificate());
    }

    @AfterAll
    static void stop() {
        membership.close();
        server.close();
    }

    @Test
    void enrollingMakesASigningAndATlsIdentityOfTheOrganization() {
        Identity alice = Identity.enroll(membership, "Org1", "alice", "s3cret");

        assertThat(alice.mspId()).isEqualTo("Org1");
        assertThat(alice.enrollmentId()).isEqualTo("alice");
        assertThat(alice.certificate().getIssuerX500Principal())
                .isEqualTo(PKI.organization("Org1").signingCa().certificate().getSubjectX500Principal());
        assertThat(alice.tls().certificate().getIssuerX500Principal())
                .isEqualTo(PKI.organization("Org1").tlsCa().certificate().getSubjectX500Principal());
        assertThat(alice.tls().chain()).hasSizeGreaterThan(1);
        assertThat(server.enrolledProfiles()).contains("signing", "tls");
    }

    @Test
    void aWrongSecretIsAMembershipFailureWithTheServicesCode() {
        assertThatThrownBy(() -> Identity.enroll(membership, "Org1", "alice", "wrong"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.IDENTITY);
                    assertThat(e.code()).isEqualTo(SdkErrorCode.MEMBERSHIP_FAILED);
                    assertThat(e.getMessage()).contains("AUTHENTICATION_FAILED").contains("alice");
                });
    }

    @Test
    void aNetworkFindsTheChannelsPeersAndOrderersThroughDiscovery() {
        Identity alice = Identity.enroll(membership, "Org1", "alice", "s3cret");
        try (Gateway gateway = Gateway.builder(alice).trustRoots(List.of(PKI.root().certificate())).membership(membership)
                .connect()) {
            Network network = gateway.network("trade");

            assertThat(network.peers()).containsExactly(new NodeEndpoint("peer0.org2", "Org2", "127.0.0.1", 7051));
            assertThat(network.orderers()).containsExactly(new NodeEndpoint("orderer1", "OrdererOrg", "127.0.0.1", 7050));
            assertThat(network.organizations()).containsExactly("Org2");

            Network secret = gateway.network("secret-channel"); // discovery asks when the nodes are first needed
            assertThatThrownBy(secret::peers)
                    .isInstanceOfSatisfying(SdkException.class, e -> {
                        assertThat(e.step()).isEqualTo(Step.DISCOVER);
                        assertThat(e.code()).isEqualTo(SdkErrorCode.MEMBERSHIP_FAILED);
                        assertThat(e.getMessage()).contains("ACCESS_DENIED").contains("secret-channel");
                    });
        }
    }

    private static MembershipClient.Node node(String id, String mspId, String role, int port) {
        return FakeMembershipService.node(id, mspId, role, "127.0.0.1", port, "trade", 3, PEER_SIGNING.certificate(),
                PEER_TLS.certificate());
    }
}
