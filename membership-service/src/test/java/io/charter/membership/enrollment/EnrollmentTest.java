package io.charter.membership.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import org.junit.jupiter.api.Test;

class EnrollmentTest {

    @Test
    void theFullChainIsTheCertificateThenItsIssuersUpToTheRoot() {
        TestPki.Credential alice = TestPki.create("Org1MSP").organization("Org1MSP").enroll("alice", Role.CLIENT);
        Enrollment enrollment = new Enrollment(alice.certificate(), alice.chain().subList(1, alice.chain().size()),
                CertificatePurpose.SIGNING);

        assertThat(enrollment.fullChain()).containsExactlyElementsOf(alice.chain());
        assertThat(enrollment.chain()).hasSize(2);
    }
}
