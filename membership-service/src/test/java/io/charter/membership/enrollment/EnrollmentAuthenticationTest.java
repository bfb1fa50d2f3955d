package io.charter.membership.enrollment;

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
import io.charter.membership.TestDatabases;
import io.charter.membership.identity.Registration;
import io.charter.membership.identity.RegistrationRequest;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Enrollment tells nobody which ids exist and lets nobody lock an identity out (issue #12, item 8): an
 * unknown id and a wrong secret are refused alike, counted alike, and nothing is written for either.
 */
@RequiresDocker
class EnrollmentAuthenticationTest {

    private static final ThrottleLimits LIMITS =
            new ThrottleLimits(20, Duration.ofSeconds(3), 5, Duration.ofMinutes(1), 1_000, 1_000);

    private static DataSource dataSource;
    private static MutableClock clock;
    private static MembershipCore core;
    private static Member orgAdmin;

    @BeforeAll
    static void setUp() {
        dataSource = TestDatabases.freshDataSource();
        clock = MutableClock.atNow();
        core = MembershipCore.start(dataSource, Fixtures.settings().enrollmentThrottle(LIMITS).build(), clock);
        Member admin = Fixtures.enroll(core, Fixtures.ADMIN, Fixtures.ADMIN_SECRET);
        core.organizations().create(admin.caller(), "Org1MSP");
        orgAdmin = Fixtures.registerAndEnroll(core, admin.caller(), "org1-admin", Role.ADMIN, "Org1MSP");
    }

    @Test
    void anUnknownIdAndAWrongSecretGetTheSameAnswerAndWriteNothing() {
        register("alice");
        MembershipException wrongSecret = refused(ErrorCode.AUTHENTICATION_FAILED, () -> enroll("10.1.0.1", "alice", "guess"));
        MembershipException unknownId = refused(ErrorCode.AUTHENTICATION_FAILED, () -> enroll("10.1.0.1", "nobody", "guess"));
        MembershipException empty = refused(ErrorCode.AUTHENTICATION_FAILED, () -> enroll("10.1.0.1", "alice", ""));
        assertThat(unknownId.getMessage()).isEqualTo(wrongSecret.getMessage()).isEqualTo(empty.getMessage());
        assertThat(unknownId.httpStatus()).isEqualTo(wrongSecret.httpStatus()).isEqualTo(401);
        assertThat(wrongSecret.getMessage()).doesNotContain("alice");
    }

    @Test
    void aRevokedIdentityWithAWrongSecretIsAnAuthenticationFailureLikeAnyOther() {
        register("revoked-one");
        core.revocation().revokeIdentity(orgAdmin.caller(), "revoked-one",
                io.charter.membership.revocation.RevocationReason.KEY_COMPROMISE);
        MembershipException revoked = refused(ErrorCode.AUTHENTICATION_FAILED, () -> enroll("10.1.0.2", "revoked-one", "guess"));
        MembershipException unknown = refused(ErrorCode.AUTHENTICATION_FAILED, () -> enroll("10.1.0.2", "revoked-two", "guess"));
        assertThat(revoked.getMessage()).isEqualTo(unknown.getMessage());
    }

    @Test
    void throttlingAnswersTheSameForAnExistingAndAnUnknownId() {
        register("bob");
        for (int i = 0; i < LIMITS.failuresPerSourceAndId(); i++) {
            refused(ErrorCode.AUTHENTICATION_FAILED, () -> enroll("10.2.0.1", "bob", "guess"));
            refused(ErrorCode.AUTHENTICATION_FAILED, () -> enroll("10.2.0.1", "bobby", "guess"));
        }
        MembershipException existing = refused(ErrorCode.TOO_MANY_ATTEMPTS, () -> enroll("10.2.0.1", "bob", "guess"));
        MembershipException unknown = refused(ErrorCode.TOO_MANY_ATTEMPTS, () -> enroll("10.2.0.1", "bobby", "guess"));
        assertThat(existing.getMessage()).isEqualTo(unknown.getMessage());
        assertThat(existing.retryAfter()).isEqualTo(unknown.retryAfter()).isPresent();
    }

    @Test
    void failuresFromOneAddressDoNotLockTheIdentityOutForItsHolderElsewhere() {
        Registration carol = register("carol");
        for (int i = 0; i < 100; i++) {
            try {
                enroll("10.3.0.1", "carol", "guess-" + i);
            } catch (MembershipException e) {
                assertThat(e.code()).isIn(ErrorCode.AUTHENTICATION_FAILED, ErrorCode.TOO_MANY_ATTEMPTS);
            }
        }
        refused(ErrorCode.TOO_MANY_ATTEMPTS, () -> enroll("10.3.0.1", "carol", carol.secret()));
        Enrollment enrolled = enroll("10.3.0.2", "carol", carol.secret());
        assertThat(enrolled.certificate().getSubjectX500Principal().getName()).contains("CN=carol");
    }

    @Test
    void thePenaltyEndsByItselfForTheAddressThatEarnedIt() {
        Registration dave = register("dave");
        for (int i = 0; i < LIMITS.failuresPerSourceAndId(); i++) {
            refused(ErrorCode.AUTHENTICATION_FAILED, () -> enroll("10.4.0.1", "dave", "guess"));
        }
        refused(ErrorCode.TOO_MANY_ATTEMPTS, () -> enroll("10.4.0.1", "dave", dave.secret()));
        clock.advance(LIMITS.sourceAndIdRefill());
        assertThat(enroll("10.4.0.1", "dave", dave.secret()).certificate()).isNotNull();
    }

    @Test
    void rightSecretsDoNotCountAgainstTheThrottle() {
        Registration erin = core.identities().register(orgAdmin.caller(),
                RegistrationRequest.of("erin", Role.CLIENT, "Org1MSP").withMaxEnrollments(10));
        for (int i = 0; i < LIMITS.failuresPerSourceAndId() + 2; i++) {
            assertThat(enroll("10.5.0.1", "erin", erin.secret()).certificate()).isNotNull();
        }
        refused(ErrorCode.AUTHENTICATION_FAILED, () -> enroll("10.5.0.1", "erin", "guess"));
    }

    private static Registration register(String id) {
        return core.identities().register(orgAdmin.caller(), RegistrationRequest.of(id, Role.CLIENT, "Org1MSP"));
    }

    private static Enrollment enroll(String source, String id, String secret) {
        return core.enrollment().enroll(source, id, secret,
                EnrollmentRequest.signing(Fixtures.csr(EcKeys.generate(), "CN=" + id)));
    }

    private static MembershipException refused(ErrorCode code, ThrowingCallable call) {
        Map<String, java.util.List<String>> before = Fixtures.snapshot(dataSource);
        MembershipException[] caught = new MembershipException[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(MembershipException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            caught[0] = e;
        });
        assertThat(Fixtures.snapshot(dataSource)).as("rows after a refused enrollment").isEqualTo(before);
        return caught[0];
    }
}
