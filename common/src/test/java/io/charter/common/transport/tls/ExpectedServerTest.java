package io.charter.common.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.CertificateTemplate;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import io.charter.common.testing.TestPki;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which node a client meant to reach, checked on chains that already verified. */
class ExpectedServerTest {

    private static final TestPki PKI = TestPki.create("Org1MSP", "Org2MSP");
    private static final TestPki.Organization ORG1 = PKI.organization("Org1MSP");
    private static final X509Certificate ORG1_TLS_CA = ORG1.tlsCa().certificate();
    private static final X509Certificate PEER0 = ORG1.enrollTls("peer0", Role.PEER).certificate();
    private static final X509Certificate ORDERER0 = ORG1.enrollTls("orderer0", Role.ORDERER).certificate();

    @Test
    void theLeafAloneIsCheckedForRoleOrganizationAndNodeId() {
        assertThatCode(() -> ExpectedServer.peer().ofOrganization("Org1MSP").withNodeId("peer0").check(List.of(PEER0)))
                .doesNotThrowAnyException();
    }

    @Test
    void aCertificateOfAnotherRoleIsRefusedNamingTheRolesExpected() {
        assertThat(refusal(ExpectedServer.orderer(), PEER0))
                .isEqualTo("the server peer0 of Org1MSP presented a peer certificate; expected orderer");
        assertThat(refusal(new ExpectedServer(Set.of(Role.ADMIN, Role.ORDERER), java.util.Optional.empty(),
                java.util.Optional.empty()), PEER0)).endsWith("expected orderer or admin");
        assertThatCode(() -> ExpectedServer.anyNode().check(List.of(ORDERER0, ORG1_TLS_CA))).doesNotThrowAnyException();
    }

    @Test
    void aCertificateClaimingAnotherOrganizationThanItsIssuersIsRefused() {
        X509Certificate claimsOrg2 = ORG1.tlsCa().issue(CertificateTemplate.tls(SubjectName.of("peer0", "Org2MSP", Role.PEER),
                EcKeys.generate().getPublic(), Validity.starting(Instant.now(), Duration.ofDays(1)), List.of("localhost")));

        assertThat(refusal(ExpectedServer.peer(), claimsOrg2, ORG1_TLS_CA))
                .isEqualTo("the server's certificate claims Org2MSP but was issued by a CA of Org1MSP");
        assertThat(refusal(ExpectedServer.peer(), PEER0, PKI.root().certificate()))
                .isEqualTo("the server's certificate claims Org1MSP but was issued by a CA of Consortium");
    }

    @Test
    void anotherOrganizationOrNodeIdIsRefused() {
        assertThat(refusal(ExpectedServer.peer().ofOrganization("Org2MSP"), PEER0, ORG1_TLS_CA))
                .isEqualTo("the server peer0 belongs to Org1MSP; expected a node of Org2MSP");
        assertThat(refusal(ExpectedServer.peer().withNodeId("peer1"), PEER0, ORG1_TLS_CA))
                .isEqualTo("the server is peer0 of Org1MSP; expected peer1");
    }

    @Test
    void aCaCertificateOrOneWithoutCharterSubjectIsNoNode() {
        assertThat(refusal(ExpectedServer.anyNode(), ORG1_TLS_CA)).startsWith("the server presented a CA certificate");
        X509Certificate foreign = PeerChainVerifierTestSupport.withSubject("CN=www.example.org");
        assertThat(refusal(ExpectedServer.anyNode(), foreign)).endsWith("names no Charter role: it is not a node's certificate");
    }

    @Test
    void atLeastOneRoleIsExpected() {
        assertThatThrownBy(() -> new ExpectedServer(Set.of(), java.util.Optional.empty(), java.util.Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String refusal(ExpectedServer expected, X509Certificate... chain) {
        CertificateException error = catchThrowableOfType(CertificateException.class, () -> expected.check(List.of(chain)));
        assertThat(error).as("refused").isNotNull();
        return error.getMessage();
    }
}
