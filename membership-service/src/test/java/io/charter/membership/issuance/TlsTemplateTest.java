package io.charter.membership.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.CertificateTemplate;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The TLS certificate each role gets, without a database (TlsIssuanceTest checks the same through the service,
 * with PostgreSQL, and that each refusal writes nothing).
 */
class TlsTemplateTest {

    private static final PublicKey KEY = EcKeys.generate().getPublic();
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Validity VALIDITY = new Validity(NOW, NOW.plus(Duration.ofDays(1)));
    private static final SubjectName PEER = SubjectName.of("peer0", "Org1MSP", Role.PEER);
    private static final Set<String> APPROVED = Set.of("peer0.org1.example.com", "10.0.0.5");

    @Test
    void onlyPeersAndOrderersServeTls() {
        assertThat(List.of(Role.values())).filteredOn(TlsIssuance::servesTls).containsExactlyInAnyOrder(Role.PEER, Role.ORDERER);
    }

    @Test
    void aClientOrAnAdminGetsAClientCertificateNamingNoHostAndMayNotAskForOne() {
        for (Role role : List.of(Role.CLIENT, Role.ADMIN)) {
            SubjectName subject = SubjectName.of("alice", "Org1MSP", role);
            assertThat(TlsIssuance.template(subject, role, KEY, VALIDITY, List.of(), Set.of()))
                    .isEqualTo(CertificateTemplate.tlsClient(subject, KEY, VALIDITY));
            MembershipException e = refused(ErrorCode.HOSTS_NOT_ALLOWED_FOR_ROLE,
                    () -> TlsIssuance.template(subject, role, KEY, VALIDITY, List.of("alice.example.com"), Set.of()));
            assertThat(e.getMessage()).startsWith("alice is a " + role.label());
        }
    }

    @Test
    void aNodeAskingForNoHostGetsAllItsApprovedHostsAndWithoutAnyGetsNothing() {
        assertThat(TlsIssuance.template(PEER, Role.PEER, KEY, VALIDITY, List.of(), APPROVED))
                .isEqualTo(CertificateTemplate.tls(PEER, KEY, VALIDITY, List.copyOf(APPROVED)));
        MembershipException none = refused(ErrorCode.HOST_NOT_APPROVED,
                () -> TlsIssuance.template(PEER, Role.PEER, KEY, VALIDITY, List.of(), Set.of()));
        assertThat(none.getMessage()).contains("it has no approved hosts");
    }

    @Test
    void aNodeGetsTheApprovedHostsItAsksForHoweverSpelledAndNoOther() {
        assertThat(TlsIssuance.template(PEER, Role.PEER, KEY, VALIDITY, List.of("PEER0.org1.example.com", "10.0.0.5"), APPROVED))
                .isEqualTo(CertificateTemplate.tls(PEER, KEY, VALIDITY, List.of("peer0.org1.example.com", "10.0.0.5")));
        MembershipException e = refused(ErrorCode.HOST_NOT_APPROVED, () -> TlsIssuance.template(PEER, Role.PEER, KEY,
                VALIDITY, List.of("peer0.org1.example.com", "*.org1.example.com", "not a host"), APPROVED));
        assertThat(e.getMessage()).contains("did not approve '*.org1.example.com', 'not a host';");
    }

    @Test
    void aRefusalNamesAtMostFourOfTheHostsNotApproved() {
        List<String> four = List.of("a.example.com", "b.example.com", "c.example.com", "d.example.com");
        List<String> six = List.of("a.example.com", "b.example.com", "c.example.com", "d.example.com", "e.example.com",
                "f.example.com");
        assertThat(refused(ErrorCode.HOST_NOT_APPROVED, () -> TlsIssuance.template(PEER, Role.PEER, KEY, VALIDITY, four,
                APPROVED)).getMessage()).contains("'d.example.com';").doesNotContain("more");
        assertThat(refused(ErrorCode.HOST_NOT_APPROVED, () -> TlsIssuance.template(PEER, Role.PEER, KEY, VALIDITY, six,
                APPROVED)).getMessage()).contains("'d.example.com' and 2 more;").doesNotContain("e.example.com");
    }

    private static MembershipException refused(ErrorCode code, ThrowingCallable call) {
        MembershipException e = catchThrowableOfType(MembershipException.class, call);
        assertThat(e).as("refused with " + code).isNotNull();
        assertThat(e.code()).isEqualTo(code);
        return e;
    }
}
