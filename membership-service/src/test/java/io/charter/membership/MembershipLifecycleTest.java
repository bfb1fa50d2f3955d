package io.charter.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.crypto.EcKeys;
import io.charter.common.identity.IdentityValidator;
import io.charter.common.identity.MspDefinition;
import io.charter.common.identity.MspRegistry;
import io.charter.common.identity.RejectionReason;
import io.charter.common.identity.ValidationResult;
import io.charter.common.pki.CertificateAttributes;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.Role;
import io.charter.common.testing.MutableClock;
import io.charter.common.testing.RequiresDocker;
import io.charter.membership.Fixtures.Member;
import io.charter.membership.audit.AuditEntry;
import io.charter.membership.enrollment.Enrollment;
import io.charter.membership.enrollment.EnrollmentRequest;
import io.charter.membership.identity.IdentityInfo;
import io.charter.membership.identity.IdentityUpdate;
import io.charter.membership.identity.Registration;
import io.charter.membership.identity.RegistrationRequest;
import io.charter.membership.organization.OrganizationInfo;
import io.charter.membership.revocation.Crl;
import io.charter.membership.revocation.RevocationReason;
import io.charter.membership.revocation.RevocationResult;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@RequiresDocker
class MembershipLifecycleTest {

    @Test
    void organizationMemberEnrollsReenrollsAndIsRevokedIntoTheCrl() throws Exception {
        MutableClock clock = MutableClock.atNow();
        DataSource ds = TestDatabases.freshDataSource();
        MembershipCore core = MembershipCore.start(ds, Fixtures.settings().build(), clock);
        Member admin = Fixtures.consortiumAdmin(core);
        assertThat(admin.caller().consortiumAdmin()).isTrue();

        OrganizationInfo org1 = core.organizations().create(admin.caller(), "Org1MSP");
        assertThat(org1.rootCertificates()).containsExactly(core.rootCertificate());
        assertThat(org1.signingCa().getIssuerX500Principal()).isEqualTo(core.rootCertificate().getSubjectX500Principal());
        assertThat(core.organizations().list(admin.caller())).extracting(OrganizationInfo::mspId)
                .containsExactly("ConsortiumMSP", "Org1MSP");

        Member orgAdmin = Fixtures.registerAndEnroll(core, admin.caller(), "org1-admin", Role.ADMIN, "Org1MSP");
        assertThat(orgAdmin.caller().consortiumAdmin()).isFalse();
        assertThat(core.organizations().show(admin.caller(), "Org1MSP").admins()).containsExactly("org1-admin");

        Registration alice = core.identities().register(orgAdmin.caller(),
                RegistrationRequest.of("alice", Role.CLIENT, "Org1MSP").withAttributes(Map.of("department", "trade")));
        assertThat(alice.secret()).hasSizeGreaterThanOrEqualTo(32);

        KeyPair keys = EcKeys.generate();
        Enrollment enrolled = core.enrollment().enroll("alice", alice.secret(),
                EnrollmentRequest.signing(Fixtures.csrPem(keys, "CN=alice,OU=client,O=Org1MSP").getBytes()));
        X509Certificate certificate = enrolled.certificate();
        assertThat(certificate.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=alice", "OU=client", "O=Org1MSP");
        assertThat(CertificateAttributes.read(certificate)).contains(Map.of("department", "trade"));
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(
                clock.instant().plus(Duration.ofDays(365)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(enrolled.chain()).containsExactly(org1.signingCa(), core.rootCertificate());
        assertChainValid(enrolled.fullChain(), core.rootCertificate(), clock);
        assertThat(validator(org1.toMspDefinition(), clock).validate("Org1MSP", certificate, Role.CLIENT))
                .isInstanceOf(ValidationResult.Valid.class);

        // a client's TLS certificate is for connecting only: clientAuth, no host
        Enrollment tls = core.enrollment().enroll("alice", alice.secret(),
                EnrollmentRequest.tls(Fixtures.csr(EcKeys.generate(), "CN=alice"), List.of()));
        assertThat(tls.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(tls.chain().getFirst()).isEqualTo(org1.tlsCa());
        assertThat(tls.certificate().getSubjectAlternativeNames()).isNull();

        Caller aliceCaller = core.authenticator().authenticate(enrolled.fullChain());
        assertThat(aliceCaller).extracting(Caller::enrollmentId, Caller::mspId, Caller::role)
                .containsExactly("alice", "Org1MSP", Role.CLIENT);

        // Re-enrollment with the current certificate, a new key.
        KeyPair newKeys = EcKeys.generate();
        Enrollment renewed = core.enrollment().reenroll(certificate,
                EnrollmentRequest.signing(Fixtures.csr(newKeys, "CN=alice")));
        assertThat(renewed.certificate().getPublicKey()).isEqualTo(newKeys.getPublic());
        assertThat(renewed.certificate().getSerialNumber()).isNotEqualTo(certificate.getSerialNumber());

        // Revoke the identity: every certificate of it goes on the CRLs and the global version moves.
        long versionBefore = core.revocation().crlVersion();
        RevocationResult result = core.revocation().revokeIdentity(orgAdmin.caller(), "alice", RevocationReason.KEY_COMPROMISE);
        assertThat(result.revokedSerials()).containsExactlyInAnyOrder(certificate.getSerialNumber(),
                renewed.certificate().getSerialNumber(), tls.certificate().getSerialNumber());
        assertThat(result.crlVersion()).isEqualTo(versionBefore + 1);
        assertThat(core.revocation().crlVersion()).isEqualTo(versionBefore + 1);

        Crl crl = core.revocation().crl("Org1MSP", CertificatePurpose.SIGNING);
        crl.crl().verify(org1.signingCa().getPublicKey());
        assertThat(crl.crl().getRevokedCertificate(certificate.getSerialNumber())).isNotNull();
        assertThat(crl.crl().getRevokedCertificate(certificate.getSerialNumber()).getRevocationReason())
                .hasToString("KEY_COMPROMISE");
        assertThat(crl.crl().isRevoked(renewed.certificate())).isTrue();
        assertThat(crl.nextUpdate()).isEqualTo(crl.thisUpdate().plus(Duration.ofHours(24)));
        Crl tlsCrl = core.revocation().crl("Org1MSP", CertificatePurpose.TLS);
        tlsCrl.crl().verify(org1.tlsCa().getPublicKey());
        assertThat(tlsCrl.crl().isRevoked(tls.certificate())).isTrue();
        assertChainRejectedAsRevoked(enrolled.fullChain(), core.rootCertificate(), crl, clock);
        assertThat(validator(org1.toMspDefinition().withCrls(List.of(crl.crl())), clock).validate("Org1MSP", certificate))
                .isInstanceOfSatisfying(ValidationResult.Rejected.class,
                        r -> assertThat(r.reason()).isEqualTo(RejectionReason.REVOKED));

        assertThatThrownBy(() -> core.authenticator().authenticate(certificate))
                .extracting(e -> ((MembershipException) e).code()).isEqualTo(ErrorCode.CERTIFICATE_REVOKED);
        assertThatThrownBy(() -> core.enrollment().reenroll(renewed.certificate(),
                EnrollmentRequest.signing(Fixtures.csr(EcKeys.generate(), "CN=alice"))))
                .extracting(e -> ((MembershipException) e).code()).isEqualTo(ErrorCode.IDENTITY_REVOKED);

        // A stale CRL is regenerated with a higher number; a fresh one is served as stored.
        assertThat(core.revocation().crl("Org1MSP", CertificatePurpose.SIGNING).number()).isEqualTo(crl.number());
        clock.advance(Duration.ofHours(13));
        Crl regenerated = core.revocation().crl("Org1MSP", CertificatePurpose.SIGNING);
        assertThat(regenerated.number()).isGreaterThan(crl.number());
        assertThat(regenerated.crl().isRevoked(certificate)).isTrue();

        List<String> actions = core.audit().latest(admin.caller(), 100).stream().map(AuditEntry::action).toList();
        assertThat(actions).contains("bootstrap", "organization.create", "identity.register", "certificate.enroll",
                "certificate.reenroll", "identity.revoke");
        assertThat(core.audit().latest(orgAdmin.caller(), 100)).allMatch(e -> "Org1MSP".equals(e.actorMspId()));
    }

    @Test
    void expiredCertificateReenrollsWithinTheGracePeriodButNotAfterIt() {
        MutableClock clock = MutableClock.atNow();
        MembershipCore core = MembershipCore.start(TestDatabases.freshDataSource(),
                Fixtures.settings().memberLifetime(Duration.ofDays(10)).reenrollGracePeriod(Duration.ofDays(30)).build(), clock);
        Member admin = Fixtures.consortiumAdmin(core);
        core.organizations().create(admin.caller(), "Org1MSP");
        Member peer = Fixtures.registerAndEnroll(core, admin.caller(), "peer0", Role.PEER, "Org1MSP");

        clock.advance(Duration.ofDays(11));
        assertThatThrownBy(() -> core.authenticator().authenticate(peer.certificate()))
                .extracting(e -> ((MembershipException) e).code()).isEqualTo(ErrorCode.CERTIFICATE_EXPIRED);
        Enrollment recovered = core.enrollment().reenroll(peer.certificate(),
                EnrollmentRequest.signing(Fixtures.csr(EcKeys.generate(), "CN=peer0,OU=peer")));
        assertThat(core.authenticator().authenticate(recovered.certificate()).role()).isEqualTo(Role.PEER);

        clock.advance(Duration.ofDays(30));
        assertThatThrownBy(() -> core.enrollment().reenroll(peer.certificate(),
                EnrollmentRequest.signing(Fixtures.csr(EcKeys.generate(), "CN=peer0"))))
                .extracting(e -> ((MembershipException) e).code()).isEqualTo(ErrorCode.CERTIFICATE_EXPIRED);
    }

    @Test
    void revokingOneCertificateLeavesTheIdentityAbleToReenroll() {
        MutableClock clock = MutableClock.atNow();
        MembershipCore core = MembershipCore.start(TestDatabases.freshDataSource(), Fixtures.settings().build(), clock);
        Member admin = Fixtures.consortiumAdmin(core);
        core.organizations().create(admin.caller(), "Org1MSP");
        Member bob = Fixtures.registerAndEnroll(core, admin.caller(), "bob", Role.CLIENT, "Org1MSP");
        Enrollment second = core.enrollment().reenroll(bob.certificate(),
                EnrollmentRequest.signing(Fixtures.csr(EcKeys.generate(), "CN=bob")));

        core.revocation().revokeCertificate(admin.caller(), bob.certificate().getSerialNumber(), RevocationReason.SUPERSEDED);

        assertThat(core.authenticator().authenticate(second.certificate()).enrollmentId()).isEqualTo("bob");
        assertThatThrownBy(() -> core.authenticator().authenticate(bob.certificate()))
                .extracting(e -> ((MembershipException) e).code()).isEqualTo(ErrorCode.CERTIFICATE_REVOKED);
        IdentityInfo info = core.identities().show(admin.caller(), "bob");
        assertThat(info.revoked()).isFalse();
        assertThat(info.certificates()).hasSize(2).filteredOn(c -> c.revokedAt().isPresent()).hasSize(1);
    }

    @Test
    void adminModifiesAnIdentityAndTheNextCertificateCarriesIt() {
        MutableClock clock = MutableClock.atNow();
        MembershipCore core = MembershipCore.start(TestDatabases.freshDataSource(), Fixtures.settings().build(), clock);
        Member admin = Fixtures.consortiumAdmin(core);
        core.organizations().create(admin.caller(), "Org1MSP");
        Registration carol = core.identities().register(admin.caller(), RegistrationRequest.of("carol", Role.CLIENT, "Org1MSP"));

        IdentityInfo modified = core.identities().modify(admin.caller(), "carol",
                IdentityUpdate.none().withAttributes(Map.of("level", "3")).withMaxEnrollments(2).withType(Role.ADMIN));
        assertThat(modified.type()).isEqualTo(Role.ADMIN);
        assertThat(modified.maxEnrollments()).isEqualTo(2);

        Member enrolled = Fixtures.enroll(core, "carol", carol.secret());
        assertThat(enrolled.certificate().getSubjectX500Principal().getName()).contains("OU=admin");
        assertThat(CertificateAttributes.read(enrolled.certificate())).contains(Map.of("level", "3"));
        Fixtures.enroll(core, "carol", carol.secret());
        assertThat(core.identities().list(admin.caller(), "Org1MSP")).extracting(IdentityInfo::enrollmentId).containsExactly("carol");
        assertThat(core.identities().show(enrolled.caller(), "carol").signingEnrollments()).isEqualTo(2);
    }

    private static IdentityValidator validator(MspDefinition definition, MutableClock clock) {
        return new IdentityValidator(new MspRegistry(List.of(definition)), CertificatePurpose.SIGNING, clock, 0);
    }

    @Test
    void serviceTlsCertificateComesFromTheConsortiumTlsCaWithoutAnIdentity() throws Exception {
        MutableClock clock = MutableClock.atNow();
        DataSource ds = TestDatabases.freshDataSource();
        MembershipCore core = MembershipCore.start(ds, Fixtures.settings().build(), clock);
        Map<String, Long> before = Fixtures.snapshot(ds).entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue().size()));

        Enrollment tls = core.serviceCertificates().issueServiceTls("membership", EcKeys.generate().getPublic(),
                List.of("localhost", "127.0.0.1"));

        X509Certificate certificate = tls.certificate();
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=membership,O=ConsortiumMSP");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(certificate.getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1))
                .containsExactly("localhost", "127.0.0.1");
        assertThat(tls.chain().getFirst().getSubjectX500Principal().getName()).startsWith("CN=tlsca.ConsortiumMSP");
        assertChainValid(tls.fullChain(), core.rootCertificate(), clock);
        // No identity, no certificate row: only the one audit entry, a system action.
        Map<String, Long> after = Fixtures.snapshot(ds).entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue().size()));
        after.put("audit_log", after.get("audit_log") - 1);
        assertThat(after).isEqualTo(before);
        Member admin = Fixtures.consortiumAdmin(core);
        assertThat(core.audit().latest(admin.caller(), 10)).filteredOn(e -> e.action().equals("service.tls"))
                .singleElement().satisfies(e -> {
                    assertThat(e.actor()).isEqualTo("system");
                    assertThat(e.target()).isEqualTo(certificate.getSerialNumber().toString(16));
                });
        assertThat(core.identities().list(admin.caller(), "ConsortiumMSP")).extracting(IdentityInfo::enrollmentId)
                .containsExactly("admin");
    }

    private static void assertChainValid(List<X509Certificate> chain, X509Certificate root, MutableClock clock) throws Exception {
        CertPathValidator.getInstance("PKIX").validate(path(chain), parameters(root, clock));
    }

    /** The JDK's PKIX validator with the issuing CA's CRL refuses the revoked leaf. */
    private static void assertChainRejectedAsRevoked(List<X509Certificate> chain, X509Certificate root, Crl crl,
                                                     MutableClock clock) throws Exception {
        PKIXParameters parameters = parameters(root, clock);
        parameters.setRevocationEnabled(true);
        parameters.addCertStore(java.security.cert.CertStore.getInstance("Collection",
                new java.security.cert.CollectionCertStoreParameters(List.of(crl.crl()))));
        var checker = (java.security.cert.PKIXRevocationChecker) CertPathValidator.getInstance("PKIX").getRevocationChecker();
        checker.setOptions(Set.of(java.security.cert.PKIXRevocationChecker.Option.PREFER_CRLS,
                java.security.cert.PKIXRevocationChecker.Option.ONLY_END_ENTITY,
                java.security.cert.PKIXRevocationChecker.Option.NO_FALLBACK));
        parameters.addCertPathChecker(checker);
        assertThatThrownBy(() -> CertPathValidator.getInstance("PKIX").validate(path(chain), parameters))
                .hasMessageContaining("revoked");
    }

    private static java.security.cert.CertPath path(List<X509Certificate> chain) throws Exception {
        return CertificateFactory.getInstance("X.509").generateCertPath(chain.subList(0, chain.size() - 1));
    }

    private static PKIXParameters parameters(X509Certificate root, MutableClock clock) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(clock.instant()));
        return parameters;
    }
}
