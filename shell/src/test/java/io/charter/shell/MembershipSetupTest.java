package io.charter.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.membership.NodeRequests;
import io.charter.common.pki.Role;
import io.charter.common.testing.FakeMembershipService;
import io.charter.common.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MembershipSetupTest {

    private static final TestPki PKI = TestPki.create("Org1", "OrdererOrg");
    private static final NodeRequests.Endpoint ENDPOINT = new NodeRequests.Endpoint("peer0.org1", 7060);

    @TempDir
    Path dir;

    @Test
    void aFirstStartEnrollsBothCertificatesAndStoresThemInTheDataDirectory() throws Exception {
        try (FakeMembershipService membership = FakeMembershipService.start(PKI, "OrdererOrg")
                .enrollee("peer0", "s3cret", "Org1", Role.PEER)) {
            MembershipSetup setup = MembershipSetup.enroll("charter.peer", Role.PEER, "Org1", properties(membership, "peer0"),
                    List.of(PKI.root().certificate()), dir, ENDPOINT);

            assertThat(membership.enrolledProfiles()).containsExactly("signing", "tls");
            assertThat(setup.settings().nodeId()).isEqualTo("peer0");
            assertThat(setup.settings().endpoints()).containsExactly(ENDPOINT);
            assertThat(setup.identity().signingChain().getLast()).isEqualTo(PKI.root().certificate());
            assertThat(Files.exists(dir.resolve("msp/signing-cert.pem"))).isTrue();
            setup.client().close();
        }
    }

    @Test
    void withoutTrustedRootsTheServiceCannotBeTrustedAndTheErrorSaysWhichKeyIsMissing() {
        try (FakeMembershipService membership = FakeMembershipService.start(PKI, "OrdererOrg")) {
            assertThatThrownBy(() -> MembershipSetup.enroll("charter.orderer", Role.ORDERER, "OrdererOrg",
                    properties(membership, "orderer0"), List.of(), dir, ENDPOINT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("charter.orderer.tls.trusted-roots (the consortium root) is required with "
                            + "charter.orderer.membership.url");
        }
    }

    @Test
    void anEnrollmentIdIsRequired() {
        try (FakeMembershipService membership = FakeMembershipService.start(PKI, "OrdererOrg")) {
            assertThatThrownBy(() -> MembershipSetup.enroll("charter.peer", Role.PEER, "Org1", properties(membership, " "),
                    List.of(PKI.root().certificate()), dir, ENDPOINT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("charter.peer.membership.enrollment-id is required");
            assertThat(membership.requests()).isEmpty();
        }
    }

    private static MembershipProperties properties(FakeMembershipService membership, String enrollmentId) {
        return new MembershipProperties(membership.url(), enrollmentId, "s3cret", null, List.of("localhost"), null, null);
    }
}
