package io.charter.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.pki.Role;
import io.charter.common.testing.RequiresDocker;
import io.charter.membership.Fixtures.Member;
import io.charter.membership.identity.Registration;
import io.charter.membership.identity.RegistrationRequest;
import io.charter.membership.revocation.RevocationReason;
import io.charter.common.pki.CertificatePurpose;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@RequiresDocker
class TwoInstancesTest {

    @Test
    void concurrentFirstStartsOnAnEmptyDatabaseCreateExactlyOneRoot() throws Exception {
        String database = TestDatabases.createDatabase();
        DataSource first = TestDatabases.dataSource(database);
        DataSource second = TestDatabases.dataSource(database);
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<MembershipCore> a = CompletableFuture.supplyAsync(() -> start(go, first));
        CompletableFuture<MembershipCore> b = CompletableFuture.supplyAsync(() -> start(go, second));
        go.countDown();
        MembershipCore coreA = a.get();
        MembershipCore coreB = b.get();

        assertThat(coreA.rootCertificate()).isEqualTo(coreB.rootCertificate());
        assertThat(Fixtures.snapshot(first).get("certificate_authority")).hasSize(3);
        assertThat(Fixtures.snapshot(first).get("organization")).hasSize(1);
        assertThat(Fixtures.snapshot(first).get("identity")).hasSize(1);
    }

    @Test
    void identityRegisteredThroughOneInstanceEnrollsThroughTheOther() {
        String database = TestDatabases.createDatabase();
        MembershipCore one = MembershipCore.start(TestDatabases.dataSource(database), Fixtures.settings().build(), Clock.systemUTC());
        MembershipCore two = MembershipCore.start(TestDatabases.dataSource(database), Fixtures.settings().build(), Clock.systemUTC());

        Member admin = Fixtures.consortiumAdmin(one);
        one.organizations().create(admin.caller(), "Org1MSP");
        Registration registration = one.identities().register(admin.caller(), RegistrationRequest.of("alice", Role.CLIENT, "Org1MSP"));
        Member alice = Fixtures.enroll(two, "alice", registration.secret());
        assertThat(alice.enrollment().chain().getFirst()).isEqualTo(one.organizations().show(admin.caller(), "Org1MSP").signingCa());

        // Authentication and revocation agree across instances: no state lives in either of them.
        Caller adminOnTwo = two.authenticator().authenticate(admin.certificate());
        two.revocation().revokeIdentity(adminOnTwo, "alice", RevocationReason.UNSPECIFIED);
        assertThat(one.revocation().crl("Org1MSP", CertificatePurpose.SIGNING).crl().isRevoked(alice.certificate())).isTrue();
        assertThat(one.revocation().crlVersion()).isEqualTo(two.revocation().crlVersion());
        assertThat(List.of(one, two)).allSatisfy(core -> org.assertj.core.api.Assertions
                .assertThatThrownBy(() -> core.authenticator().authenticate(alice.certificate()))
                .extracting(e -> ((MembershipException) e).code()).isEqualTo(ErrorCode.CERTIFICATE_REVOKED));
    }

    private static MembershipCore start(CountDownLatch go, DataSource dataSource) {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return MembershipCore.start(dataSource, Fixtures.settings().build(), Clock.systemUTC());
    }
}
