package io.charter.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.Role;
import io.charter.common.testing.MutableClock;
import io.charter.common.testing.RequiresDocker;
import io.charter.common.testing.TestPki;
import io.charter.membership.Fixtures.Member;
import io.charter.membership.enrollment.EnrollmentRequest;
import io.charter.membership.identity.IdentityUpdate;
import io.charter.membership.identity.Registration;
import io.charter.membership.identity.RegistrationRequest;
import io.charter.membership.revocation.RevocationReason;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each refused request gets its stable code and writes nothing. */
@RequiresDocker
class BadInputTest {

    private static DataSource dataSource;
    private static MutableClock clock;
    private static MembershipCore core;
    private static Member admin;
    private static Member orgAdmin;
    private static Member client;
    private static Member revoked;
    private static Registration alice;
    private static Registration bob;

    @BeforeAll
    static void setUp() {
        dataSource = TestDatabases.freshDataSource();
        clock = MutableClock.atNow();
        core = MembershipCore.start(dataSource, Fixtures.settings().build(), clock);
        admin = Fixtures.consortiumAdmin(core);
        core.organizations().create(admin.caller(), "Org1MSP");
        core.organizations().create(admin.caller(), "Org2MSP");
        orgAdmin = Fixtures.registerAndEnroll(core, admin.caller(), "org1-admin", Role.ADMIN, "Org1MSP");
        client = Fixtures.registerAndEnroll(core, orgAdmin.caller(), "client1", Role.CLIENT, "Org1MSP");
        revoked = Fixtures.registerAndEnroll(core, orgAdmin.caller(), "mallory", Role.CLIENT, "Org1MSP");
        core.revocation().revokeIdentity(orgAdmin.caller(), "mallory", RevocationReason.KEY_COMPROMISE);
        alice = core.identities().register(orgAdmin.caller(), RegistrationRequest.of("alice", Role.PEER, "Org1MSP"));
        bob = core.identities().register(orgAdmin.caller(), RegistrationRequest.of("bob", Role.CLIENT, "Org1MSP"));
        Fixtures.enroll(core, "bob", bob.secret());
    }

    private static void assertRefusedWithoutWrites(ErrorCode code, ThrowingCallable call) {
        var before = Fixtures.snapshot(dataSource);
        assertThatThrownBy(call).isInstanceOfSatisfying(MembershipException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).isNotBlank();
        });
        assertThat(Fixtures.snapshot(dataSource)).isEqualTo(before);
    }

    private static EnrollmentRequest signing(KeyPair keys, String subject) {
        return EnrollmentRequest.signing(Fixtures.csr(keys, subject));
    }

    @Test
    void malformedCsrIsRefused() {
        assertRefusedWithoutWrites(ErrorCode.CSR_MALFORMED, () -> core.enrollment().enroll("alice", alice.secret(),
                EnrollmentRequest.signing("not a certification request".getBytes())));
        assertRefusedWithoutWrites(ErrorCode.CSR_MALFORMED, () -> core.enrollment().enroll("alice", alice.secret(),
                EnrollmentRequest.signing("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n".getBytes())));
    }

    @Test
    void csrWithATamperedSignatureIsRefused() {
        byte[] csr = Fixtures.csr(EcKeys.generate(), "CN=alice");
        csr[csr.length - 1] ^= 1;
        assertRefusedWithoutWrites(ErrorCode.CSR_BAD_SIGNATURE,
                () -> core.enrollment().enroll("alice", alice.secret(), EnrollmentRequest.signing(csr)));
    }

    @Test
    void csrWhoseSubjectDoesNotMatchTheRegistrationIsRefused() {
        for (String subject : List.of("CN=bob", "CN=alice,O=Org2MSP", "CN=alice,OU=client", "O=Org1MSP")) {
            assertRefusedWithoutWrites(ErrorCode.CSR_MISMATCH,
                    () -> core.enrollment().enroll("alice", alice.secret(), signing(EcKeys.generate(), subject)));
        }
    }

    @Test
    void csrForAKeyOtherThanP256IsRefused() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair keys = rsa.generateKeyPair();
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=alice"), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())).getEncoded();
        assertRefusedWithoutWrites(ErrorCode.CSR_UNSUPPORTED_KEY,
                () -> core.enrollment().enroll("alice", alice.secret(), EnrollmentRequest.signing(csr)));
    }

    @Test
    void wrongSecretOrUnknownIdentityIsRefused() {
        assertRefusedWithoutWrites(ErrorCode.AUTHENTICATION_FAILED,
                () -> core.enrollment().enroll("bob", "wrong", signing(EcKeys.generate(), "CN=bob")));
        assertRefusedWithoutWrites(ErrorCode.AUTHENTICATION_FAILED,
                () -> core.enrollment().enroll("nobody", "wrong", signing(EcKeys.generate(), "CN=nobody")));
    }

    @Test
    void secretReusedBeyondMaxEnrollmentsIsRefused() {
        assertRefusedWithoutWrites(ErrorCode.ENROLLMENT_LIMIT_REACHED,
                () -> core.enrollment().enroll("bob", bob.secret(), signing(EcKeys.generate(), "CN=bob")));
    }

    @Test
    void unknownOrganizationIsRefused() {
        assertRefusedWithoutWrites(ErrorCode.ORGANIZATION_NOT_FOUND, () -> core.identities().register(admin.caller(),
                RegistrationRequest.of("eve", Role.CLIENT, "NoSuchMSP")));
        assertRefusedWithoutWrites(ErrorCode.ORGANIZATION_NOT_FOUND, () -> core.organizations().show(admin.caller(), "NoSuchMSP"));
        assertRefusedWithoutWrites(ErrorCode.ORGANIZATION_NOT_FOUND,
                () -> core.revocation().crl("NoSuchMSP", CertificatePurpose.SIGNING));
    }

    @Test
    void duplicateRegistrationOrOrganizationIsRefused() {
        assertRefusedWithoutWrites(ErrorCode.IDENTITY_EXISTS, () -> core.identities().register(orgAdmin.caller(),
                RegistrationRequest.of("alice", Role.CLIENT, "Org1MSP")));
        assertRefusedWithoutWrites(ErrorCode.IDENTITY_EXISTS, () -> core.identities().register(admin.caller(),
                RegistrationRequest.of("alice", Role.CLIENT, "Org2MSP")));
        assertRefusedWithoutWrites(ErrorCode.ORGANIZATION_EXISTS, () -> core.organizations().create(admin.caller(), "Org1MSP"));
    }

    @Test
    void nonAdminCallingAnAdminOperationIsRefused() {
        Caller user = client.caller();
        assertRefusedWithoutWrites(ErrorCode.FORBIDDEN, () -> core.identities().register(user,
                RegistrationRequest.of("eve", Role.CLIENT, "Org1MSP")));
        assertRefusedWithoutWrites(ErrorCode.FORBIDDEN, () -> core.identities().list(user, "Org1MSP"));
        assertRefusedWithoutWrites(ErrorCode.FORBIDDEN, () -> core.identities().modify(user, "alice",
                IdentityUpdate.none().withMaxEnrollments(5)));
        assertRefusedWithoutWrites(ErrorCode.FORBIDDEN,
                () -> core.revocation().revokeIdentity(user, "alice", RevocationReason.UNSPECIFIED));
        assertRefusedWithoutWrites(ErrorCode.FORBIDDEN, () -> core.revocation().revokeCertificate(user,
                orgAdmin.certificate().getSerialNumber(), RevocationReason.UNSPECIFIED));
        assertRefusedWithoutWrites(ErrorCode.FORBIDDEN, () -> core.audit().latest(user, 10));
        // An organization's admin administers its own organization only, and creates none.
        assertRefusedWithoutWrites(ErrorCode.FORBIDDEN, () -> core.organizations().create(orgAdmin.caller(), "Org9MSP"));
        assertRefusedWithoutWrites(ErrorCode.FORBIDDEN, () -> core.identities().register(orgAdmin.caller(),
                RegistrationRequest.of("eve", Role.CLIENT, "Org2MSP")));
        assertRefusedWithoutWrites(ErrorCode.FORBIDDEN,
                () -> core.revocation().revokeIdentity(orgAdmin.caller(), "admin", RevocationReason.UNSPECIFIED));
    }

    @Test
    void expiredRevokedOrForeignCertificateIsRefused() {
        MembershipCore later = MembershipCore.start(dataSource, Fixtures.settings().build(),
                new MutableClock(clock.instant().plus(Duration.ofDays(400))));
        assertRefusedWithoutWrites(ErrorCode.CERTIFICATE_EXPIRED, () -> later.authenticator().authenticate(client.certificate()));
        assertRefusedWithoutWrites(ErrorCode.CERTIFICATE_REVOKED, () -> core.authenticator().authenticate(revoked.certificate()));
        assertRefusedWithoutWrites(ErrorCode.IDENTITY_REVOKED, () -> core.enrollment().reenroll(revoked.certificate(),
                signing(EcKeys.generate(), "CN=mallory")));
        TestPki foreign = TestPki.create("Org1MSP");
        assertRefusedWithoutWrites(ErrorCode.CERTIFICATE_UNKNOWN, () -> core.authenticator().authenticate(
                foreign.organization("Org1MSP").enroll("client1", Role.CLIENT).certificate()));
        assertRefusedWithoutWrites(ErrorCode.CERTIFICATE_UNKNOWN, () -> core.enrollment().reenroll(
                foreign.organization("Org1MSP").enroll("client1", Role.CLIENT).certificate(), signing(EcKeys.generate(), "CN=client1")));
    }

    @Test
    void aRevokedIdentityWithItsSecretAndACertificateRevokedOrPastItsGracePeriodAreRefused() {
        Registration revokee = core.identities().register(orgAdmin.caller(),
                RegistrationRequest.of("revokee", Role.CLIENT, "Org1MSP"));
        core.revocation().revokeIdentity(orgAdmin.caller(), "revokee", RevocationReason.CESSATION_OF_OPERATION);
        assertRefusedWithoutWrites(ErrorCode.IDENTITY_REVOKED,
                () -> core.enrollment().enroll("revokee", revokee.secret(), signing(EcKeys.generate(), "CN=revokee")));

        Member superseded = Fixtures.registerAndEnroll(core, orgAdmin.caller(), "superseded", Role.CLIENT, "Org1MSP");
        core.revocation().revokeCertificate(orgAdmin.caller(), superseded.certificate().getSerialNumber(),
                RevocationReason.SUPERSEDED);
        assertRefusedWithoutWrites(ErrorCode.CERTIFICATE_REVOKED, () -> core.enrollment().reenroll(
                superseded.certificate(), signing(EcKeys.generate(), "CN=superseded")));

        // a year's certificate, 30 days of grace: 400 days on it is too late
        MembershipCore later = MembershipCore.start(dataSource, Fixtures.settings().build(),
                new MutableClock(clock.instant().plus(Duration.ofDays(400))));
        assertRefusedWithoutWrites(ErrorCode.CERTIFICATE_EXPIRED, () -> later.enrollment().reenroll(
                client.certificate(), signing(EcKeys.generate(), "CN=client1")));
    }

    @Test
    void invalidRequestsAreRefused() {
        assertRefusedWithoutWrites(ErrorCode.INVALID_REQUEST, () -> core.identities().register(admin.caller(),
                RegistrationRequest.of("bad id with spaces", Role.CLIENT, "Org1MSP")));
        assertRefusedWithoutWrites(ErrorCode.INVALID_REQUEST, () -> core.identities().register(admin.caller(),
                RegistrationRequest.of("carol", Role.CLIENT, "Org1MSP").withMaxEnrollments(0)));
        assertRefusedWithoutWrites(ErrorCode.INVALID_REQUEST, () -> core.identities().register(admin.caller(),
                RegistrationRequest.of("carol", Role.CLIENT, "Org1MSP").withAttributes(Map.of("1bad", "x"))));
        assertRefusedWithoutWrites(ErrorCode.INVALID_REQUEST, () -> core.enrollment().enroll("alice", alice.secret(),
                new EnrollmentRequest(Fixtures.csr(EcKeys.generate(), "CN=alice"), CertificatePurpose.SIGNING, List.of("host"))));
        assertRefusedWithoutWrites(ErrorCode.INVALID_REQUEST, () -> core.enrollment().enroll("alice", alice.secret(),
                EnrollmentRequest.tls(Fixtures.csr(EcKeys.generate(), "CN=alice"), List.of("not a host!"))));
    }

    @Test
    void serviceTlsCertificateWithABadNameHostOrKeyIsRefused() throws Exception {
        var ec = EcKeys.generate().getPublic();
        assertRefusedWithoutWrites(ErrorCode.INVALID_REQUEST,
                () -> core.serviceCertificates().issueServiceTls("bad name", ec, List.of("localhost")));
        assertRefusedWithoutWrites(ErrorCode.INVALID_REQUEST,
                () -> core.serviceCertificates().issueServiceTls("membership", ec, List.of("not a host!")));
        assertRefusedWithoutWrites(ErrorCode.INVALID_REQUEST,
                () -> core.serviceCertificates().issueServiceTls("membership", ec, List.of()));
        var generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        var p384 = generator.generateKeyPair().getPublic();
        assertRefusedWithoutWrites(ErrorCode.INVALID_REQUEST,
                () -> core.serviceCertificates().issueServiceTls("membership", p384, List.of("localhost")));
    }
}
