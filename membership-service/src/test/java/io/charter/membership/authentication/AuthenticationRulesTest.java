package io.charter.membership.authentication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import io.charter.membership.Caller;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import io.charter.membership.authentication.AuthenticationRules.Issued;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Which presented certificate becomes which caller, without a database: each refusal with the code the
 * shell answers. Authentication writes nothing, refused or not; its container tests (BadInputTest) check
 * that against PostgreSQL.
 */
class AuthenticationRulesTest {

    private static final TestPki.Credential ALICE = TestPki.create("Org1MSP").organization("Org1MSP")
            .enroll("alice", Role.CLIENT);
    private static final X509Certificate CERTIFICATE = ALICE.certificate();
    private static final byte[] DER = der(CERTIFICATE);
    private static final Instant NOT_BEFORE = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2031-01-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2030-06-01T00:00:00Z");

    @Test
    void theCallerIsTheFirstPresentedCertificateAndThereMustBeOne() {
        assertThat(AuthenticationRules.leaf(ALICE.chain())).isSameAs(CERTIFICATE);
        refused(ErrorCode.INVALID_REQUEST, () -> AuthenticationRules.leaf(null));
        refused(ErrorCode.INVALID_REQUEST, () -> AuthenticationRules.leaf(List.of()));
        refused(ErrorCode.INVALID_REQUEST, () -> AuthenticationRules.leaf(Arrays.asList(null, CERTIFICATE)));
    }

    @Test
    void theCertificateIsComparedByItsEncoding() {
        assertThat(AuthenticationRules.presentedBytes(CERTIFICATE)).isEqualTo(DER);
    }

    @Test
    void aCertificateNotIssuedHereIsUnknownEvenWithTheSerialOfOneThatWas() {
        byte[] other = DER.clone();
        other[other.length - 1] ^= 1;
        refused(ErrorCode.CERTIFICATE_UNKNOWN, () -> caller(Optional.empty(), NOW));
        refused(ErrorCode.CERTIFICATE_UNKNOWN, () -> AuthenticationRules.caller(CERTIFICATE, other,
                Optional.of(issued(Role.CLIENT, false, false, false)), NOW));
    }

    @Test
    void aRevokedCertificateOrACertificateOfARevokedIdentityIsRevoked() {
        String serial = CERTIFICATE.getSerialNumber().toString(16);
        MembershipException certificate = refused(ErrorCode.CERTIFICATE_REVOKED,
                () -> caller(Optional.of(issued(Role.CLIENT, false, true, false)), NOW));
        MembershipException identity = refused(ErrorCode.CERTIFICATE_REVOKED,
                () -> caller(Optional.of(issued(Role.CLIENT, false, false, true)), NOW));
        MembershipException both = refused(ErrorCode.CERTIFICATE_REVOKED,
                () -> caller(Optional.of(issued(Role.CLIENT, false, true, true)), NOW));

        assertThat(certificate.getMessage()).isEqualTo("certificate " + serial + " of alice is revoked; re-enroll or ask an admin");
        assertThat(identity.getMessage()).isEqualTo("certificate " + serial + " of alice is revoked (its identity is revoked)");
        assertThat(both.getMessage()).isEqualTo(identity.getMessage());
    }

    @Test
    void aCertificateAuthenticatesFromTheFirstToTheLastInstantOfItsRecordedValidity() {
        Optional<Issued> alice = Optional.of(issued(Role.CLIENT, false, false, false));

        assertThat(caller(alice, NOT_BEFORE).enrollmentId()).isEqualTo("alice");
        assertThat(caller(alice, NOT_AFTER).enrollmentId()).isEqualTo("alice");
        MembershipException early = refused(ErrorCode.CERTIFICATE_EXPIRED, () -> caller(alice, NOT_BEFORE.minusNanos(1)));
        refused(ErrorCode.CERTIFICATE_EXPIRED, () -> caller(alice, NOT_AFTER.plusNanos(1)));
        assertThat(early.getMessage()).contains("valid from " + NOT_BEFORE + " to " + NOT_AFTER);
    }

    @Test
    void theCallerHasItsIdentitysRecordedTypeAndOnlyAnAdminOfTheConsortiumIsAConsortiumAdmin() {
        // the certificate says client; the record (after an admin changed the type) says admin
        Caller admin = caller(Optional.of(issued(Role.ADMIN, true, false, false)), NOW);
        assertThat(admin).isEqualTo(new Caller("alice", "Org1MSP", Role.ADMIN, CERTIFICATE, true));

        assertThat(caller(Optional.of(issued(Role.ADMIN, false, false, false)), NOW).consortiumAdmin()).isFalse();
        assertThat(caller(Optional.of(issued(Role.PEER, true, false, false)), NOW).consortiumAdmin()).isFalse();
        assertThat(caller(Optional.of(issued(Role.PEER, true, false, false)), NOW).role()).isEqualTo(Role.PEER);
    }

    private static Issued issued(Role type, boolean consortium, boolean revoked, boolean identityRevoked) {
        return new Issued(DER.clone(), "alice", "Org1MSP", type, consortium, NOT_BEFORE, NOT_AFTER, revoked, identityRevoked);
    }

    private static Caller caller(Optional<Issued> found, Instant now) {
        return AuthenticationRules.caller(CERTIFICATE, DER, found, now);
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MembershipException refused(ErrorCode code, ThrowingCallable call) {
        MembershipException e = catchThrowableOfType(MembershipException.class, call);
        assertThat(e).as("refused with " + code).isNotNull();
        assertThat(e.code()).isEqualTo(code);
        return e;
    }
}
