package io.charter.common.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminCallerTest {

    @Test
    void aCallerKnownByItsTlsCertificateOnlyHasNoSigner() {
        X509Certificate tls = TestPki.create("Org1MSP").organization("Org1MSP").enrollTls("admin", Role.ADMIN).certificate();

        AdminCaller caller = AdminCaller.tlsOnly(tls);

        assertThat(caller.tls()).isSameAs(tls);
        assertThat(caller.signer()).isEmpty();
        assertThatThrownBy(() -> new AdminCaller(null, Optional.empty())).isInstanceOf(NullPointerException.class);
    }
}
