package io.charter.membership.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.Role;
import io.charter.common.testing.MutableClock;
import io.charter.common.testing.RequiresDocker;
import io.charter.membership.ErrorCode;
import io.charter.membership.Fixtures;
import io.charter.membership.Fixtures.Member;
import io.charter.membership.MembershipCore;
import io.charter.membership.MembershipException;
import io.charter.membership.enrollment.Enrollment;
import io.charter.membership.enrollment.EnrollmentRequest;
import io.charter.membership.identity.IdentityUpdate;
import io.charter.membership.identity.Registration;
import io.charter.membership.identity.RegistrationRequest;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS certificates by role (issue #12, item 2): each refusal has its code and writes nothing. */
@RequiresDocker
class TlsIssuanceTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private static DataSource dataSource;
    private static MembershipCore core;
    private static Member orgAdmin;
    private static Member org1Client;

    @BeforeAll
    static void setUp() {
        dataSource = io.charter.membership.TestDatabases.freshDataSource();
        core = MembershipCore.start(dataSource, Fixtures.settings().build(), MutableClock.atNow());
        Member admin = Fixtures.consortiumAdmin(core);
        core.organizations().create(admin.caller(), "Org1MSP");
        orgAdmin = Fixtures.registerAndEnroll(core, admin.caller(), "org1-admin", Role.ADMIN, "Org1MSP");
        org1Client = Fixtures.registerAndEnroll(core, orgAdmin.caller(), "client1", Role.CLIENT, "Org1MSP");
    }

    @Test
    void aClientAskingForAnyHostNamesGetsNoCertificate() {
        // issue #12 item 2, as reported: a client of Org1MSP asks tlsca.Org1MSP for a wildcard and the service's name
        Registration client = register(RegistrationRequest.of("client2", Role.CLIENT, "Org1MSP").withMaxEnrollments(5));
        assertRefusedWithoutWrites(ErrorCode.HOSTS_NOT_ALLOWED_FOR_ROLE, () -> core.enrollment().enroll("client2",
                client.secret(), tls("client2", List.of("*.example.com", "membership.example.com"))));
        assertRefusedWithoutWrites(ErrorCode.HOSTS_NOT_ALLOWED_FOR_ROLE, () -> core.enrollment().enroll("client2",
                client.secret(), tls("client2", List.of("localhost"))));
        assertRefusedWithoutWrites(ErrorCode.HOSTS_NOT_ALLOWED_FOR_ROLE, () -> core.enrollment().reenroll(
                org1Client.certificate(), tls("client1", List.of("membership.example.com"))));
        assertThat(core.identities().show(orgAdmin.caller(), "client2").tlsEnrollments()).isZero();
    }

    @Test
    void clientsAndAdminsGetClientAuthOnlyAndNoHost() throws Exception {
        Registration client = register(RegistrationRequest.of("client3", Role.CLIENT, "Org1MSP"));
        X509Certificate clientTls = core.enrollment().enroll("client3", client.secret(), tls("client3", List.of())).certificate();
        assertThat(clientTls.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(clientTls.getSubjectAlternativeNames()).isNull();

        X509Certificate adminTls = core.enrollment().reenroll(orgAdmin.certificate(), tls("org1-admin", List.of())).certificate();
        assertThat(adminTls.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(adminTls.getSubjectAlternativeNames()).isNull();
    }

    @Test
    void aNodeGetsAServerCertificateForExactlyTheApprovedHostsItAsksFor() throws Exception {
        Registration peer = register(RegistrationRequest.of("peer0", Role.PEER, "Org1MSP").withMaxEnrollments(5)
                .withHosts(List.of("peer0.org1.example.com", "PEER0.internal", "10.1.2.3")));
        assertThat(core.identities().show(orgAdmin.caller(), "peer0").hosts())
                .containsExactly("10.1.2.3", "peer0.internal", "peer0.org1.example.com");

        X509Certificate some = core.enrollment().enroll("peer0", peer.secret(),
                tls("peer0", List.of("Peer0.Org1.Example.com", "10.1.2.3"))).certificate();
        assertThat(some.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
        assertThat(names(some)).containsExactly("peer0.org1.example.com", "10.1.2.3");

        X509Certificate all = core.enrollment().enroll("peer0", peer.secret(), tls("peer0", List.of())).certificate();
        assertThat(names(all)).containsExactlyInAnyOrder("peer0.org1.example.com", "peer0.internal", "10.1.2.3");

        X509Certificate renewed = core.enrollment().reenroll(all, tls("peer0", List.of("peer0.internal"))).certificate();
        assertThat(names(renewed)).containsExactly("peer0.internal");
        assertThat(renewed.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
    }

    @Test
    void aNodeAskingForAHostItsRegistrarDidNotApproveGetsNoCertificate() {
        Registration orderer = register(RegistrationRequest.of("orderer0", Role.ORDERER, "Org1MSP").withMaxEnrollments(5)
                .withHosts(List.of("orderer0.example.com")));
        for (List<String> hosts : List.of(List.of("orderer0.example.com", "membership.example.com"),
                List.of("*.example.com"), List.of("orderer1.example.com"), List.of("127.0.0.1"))) {
            assertRefusedWithoutWrites(ErrorCode.HOST_NOT_APPROVED,
                    () -> core.enrollment().enroll("orderer0", orderer.secret(), tls("orderer0", hosts)));
        }
        Enrollment enrolled = core.enrollment().enroll("orderer0", orderer.secret(), tls("orderer0", List.of("orderer0.example.com")));
        assertRefusedWithoutWrites(ErrorCode.HOST_NOT_APPROVED, () -> core.enrollment().reenroll(enrolled.certificate(),
                tls("orderer0", List.of("membership.example.com"))));
    }

    @Test
    void aWildcardOnlyWhenTheRegistrarApprovedThatWildcard() throws Exception {
        Registration peer = register(RegistrationRequest.of("peer-wild", Role.PEER, "Org1MSP").withMaxEnrollments(5)
                .withHosts(List.of("*.peers.org1.example.com")));
        assertRefusedWithoutWrites(ErrorCode.HOST_NOT_APPROVED, () -> core.enrollment().enroll("peer-wild", peer.secret(),
                tls("peer-wild", List.of("*.org1.example.com"))));
        assertThat(names(core.enrollment().enroll("peer-wild", peer.secret(),
                tls("peer-wild", List.of("*.peers.org1.example.com"))).certificate())).containsExactly("*.peers.org1.example.com");
    }

    @Test
    void aNodeWithoutApprovedHostsGetsNoTlsCertificateUntilItsRegistrarApprovesSome() throws Exception {
        Registration peer = register(RegistrationRequest.of("peer-bare", Role.PEER, "Org1MSP").withMaxEnrollments(5));
        assertRefusedWithoutWrites(ErrorCode.HOST_NOT_APPROVED,
                () -> core.enrollment().enroll("peer-bare", peer.secret(), tls("peer-bare", List.of())));
        assertRefusedWithoutWrites(ErrorCode.HOST_NOT_APPROVED,
                () -> core.enrollment().enroll("peer-bare", peer.secret(), tls("peer-bare", List.of("localhost"))));
        core.identities().modify(orgAdmin.caller(), "peer-bare", IdentityUpdate.none().withHosts(List.of("localhost")));
        assertThat(names(core.enrollment().enroll("peer-bare", peer.secret(), tls("peer-bare", List.of("localhost")))
                .certificate())).containsExactly("localhost");
    }

    @Test
    void theRegistrarsApprovalIsBoundedAndRefusalsRegisterNothing() {
        assertRefusedWithoutWrites(ErrorCode.HOSTS_NOT_ALLOWED_FOR_ROLE, () -> register(
                RegistrationRequest.of("client-hosts", Role.CLIENT, "Org1MSP").withHosts(List.of("client.example.com"))));
        assertRefusedWithoutWrites(ErrorCode.HOSTS_NOT_ALLOWED_FOR_ROLE, () -> register(
                RegistrationRequest.of("admin-hosts", Role.ADMIN, "Org1MSP").withHosts(List.of("admin.example.com"))));
        assertRefusedWithoutWrites(ErrorCode.HOST_INVALID, () -> register(
                RegistrationRequest.of("peer-bad", Role.PEER, "Org1MSP").withHosts(List.of("*.com"))));
        assertRefusedWithoutWrites(ErrorCode.HOST_INVALID, () -> register(
                RegistrationRequest.of("peer-bad", Role.PEER, "Org1MSP").withHosts(List.of("peer.*.example.com"))));
        assertRefusedWithoutWrites(ErrorCode.TOO_MANY_HOSTS, () -> register(
                RegistrationRequest.of("peer-bad", Role.PEER, "Org1MSP").withHosts(
                        IntStream.range(0, 33).mapToObj(i -> "peer" + i + ".example.com").toList())));
        // the same bounds when the registrar changes the hosts later
        assertRefusedWithoutWrites(ErrorCode.HOSTS_NOT_ALLOWED_FOR_ROLE, () -> core.identities().modify(orgAdmin.caller(),
                "client1", IdentityUpdate.none().withHosts(List.of("client1.example.com"))));
        register(RegistrationRequest.of("peer-later", Role.PEER, "Org1MSP").withHosts(List.of("peer-later.example.com")));
        assertRefusedWithoutWrites(ErrorCode.HOST_INVALID, () -> core.identities().modify(orgAdmin.caller(),
                "peer-later", IdentityUpdate.none().withHosts(List.of("bad host"))));
        // only an admin of the organization approves hosts
        assertRefusedWithoutWrites(ErrorCode.FORBIDDEN, () -> core.identities().modify(org1Client.caller(),
                "peer-later", IdentityUpdate.none().withHosts(List.of("membership.example.com"))));
    }

    @Test
    void aNodeTurnedIntoAClientLosesItsHosts() {
        register(RegistrationRequest.of("peer-demoted", Role.PEER, "Org1MSP").withHosts(List.of("peer-demoted.example.com")));
        var demoted = core.identities().modify(orgAdmin.caller(), "peer-demoted", IdentityUpdate.none().withType(Role.CLIENT));
        assertThat(demoted.hosts()).isEmpty();
        assertRefusedWithoutWrites(ErrorCode.HOSTS_NOT_ALLOWED_FOR_ROLE, () -> core.identities().modify(orgAdmin.caller(),
                "peer-demoted", IdentityUpdate.none().withType(Role.ADMIN).withHosts(List.of("x.example.com"))));
    }

    @Test
    void theMigrationApprovesTheHostsNodesWereAlreadyIssuedAndNothingForClients() throws Exception {
        // a database of its own: this test removes every approval, as before the upgrade
        DataSource upgraded = io.charter.membership.TestDatabases.freshDataSource();
        MembershipCore running = MembershipCore.start(upgraded, Fixtures.settings().build(), MutableClock.atNow());
        Member admin = Fixtures.consortiumAdmin(running);
        running.organizations().create(admin.caller(), "Org1MSP");
        Registration peer = running.identities().register(admin.caller(), RegistrationRequest.of("peer-old", Role.PEER,
                "Org1MSP").withHosts(List.of("peer-old.example.com", "10.9.9.9", "peer-old.internal")));
        running.enrollment().enroll("peer-old", peer.secret(), tls("peer-old", List.of("peer-old.example.com", "10.9.9.9")));
        Registration revoked = running.identities().register(admin.caller(), RegistrationRequest.of("peer-revoked",
                Role.PEER, "Org1MSP").withHosts(List.of("peer-revoked.example.com")));
        running.enrollment().enroll("peer-revoked", revoked.secret(), tls("peer-revoked", List.of()));
        running.revocation().revokeIdentity(admin.caller(), "peer-revoked",
                io.charter.membership.revocation.RevocationReason.KEY_COMPROMISE);
        Fixtures.registerAndEnroll(running, admin.caller(), "client-old", Role.CLIENT, "Org1MSP");
        try (Connection c = upgraded.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("delete from identity_host");
            s.executeUpdate("delete from flyway_schema_history where version = '3'");
        }

        Flyway.configure().dataSource(upgraded).locations("classpath:db/migration").load().migrate();

        assertThat(running.identities().show(admin.caller(), "peer-old").hosts()).containsExactly("10.9.9.9", "peer-old.example.com");
        assertThat(running.identities().show(admin.caller(), "peer-revoked").hosts()).isEmpty();
        assertThat(running.identities().show(admin.caller(), "client-old").hosts()).isEmpty();
    }

    private static Registration register(RegistrationRequest request) {
        return core.identities().register(orgAdmin.caller(), request);
    }

    private static EnrollmentRequest tls(String id, List<String> hosts) {
        KeyPair keys = EcKeys.generate();
        return EnrollmentRequest.tls(Fixtures.csr(keys, "CN=" + id), hosts);
    }

    private static List<String> names(X509Certificate certificate) throws Exception {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        List<String> result = new ArrayList<>();
        if (names != null) {
            names.forEach(name -> result.add(String.valueOf(name.get(1))));
        }
        return result;
    }

    private static void assertRefusedWithoutWrites(ErrorCode code, ThrowingCallable call) {
        var before = Fixtures.snapshot(dataSource);
        assertThatThrownBy(call).isInstanceOfSatisfying(MembershipException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).isNotBlank();
        });
        assertThat(Fixtures.snapshot(dataSource)).as("rows after a refusal").isEqualTo(before);
    }
}
