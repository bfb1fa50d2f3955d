package io.charter.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.pki.Pem;
import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.SslBundle;

class AdminTlsTest {

    private static final TestPki PKI = TestPki.create("Org1");

    @TempDir
    Path dir;

    @Test
    void theBundleHoldsTheConfiguredTlsIdentityTrustsTheGivenRootsAndOffersTls13Only() throws Exception {
        TestPki.Credential tls = PKI.organization("Org1").enrollTls("peer0", Role.PEER);
        Path certificate = Files.writeString(dir.resolve("tls.pem"), Pem.encodeCertificates(tls.chain()));
        Path key = Files.writeString(dir.resolve("tls.key"), Pem.encodePrivateKey(tls.keys().getPrivate()));

        SslBundle bundle = AdminTls.bundle("peer", "charter.peer", new TlsFiles(certificate, key, null), Optional.empty(),
                List.of(PKI.root().certificate()));

        assertThat(bundle.getStores().getKeyStore().getCertificate("peer")).isEqualTo(tls.certificate());
        assertThat(bundle.getStores().getTrustStore().size()).isEqualTo(1);
        assertThat(bundle.getStores().getTrustStore().getCertificate(bundle.getStores().getTrustStore().aliases()
                .nextElement())).isEqualTo(PKI.root().certificate());
        assertThat(bundle.getOptions().getEnabledProtocols()).containsExactly("TLSv1.3");
    }

    @Test
    void withoutEnrollmentOrTlsFilesTheErrorNamesTheNodesKeys() {
        assertThatThrownBy(() -> AdminTls.bundle("orderer", "charter.orderer", new TlsFiles(null, null, null),
                Optional.empty(), List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("charter.orderer.tls.certificate and charter.orderer.tls.private-key are required");
    }
}
