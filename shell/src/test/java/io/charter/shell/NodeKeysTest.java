package io.charter.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.pki.Pem;
import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeysTest {

    private static final TestPki PKI = TestPki.create("OrdererOrg");

    @TempDir
    Path dir;

    @Test
    void withoutEnrollmentTheKeysAndChainsAreReadFromTheConfiguredPemFiles() throws Exception {
        TestPki.Credential signing = PKI.organization("OrdererOrg").enroll("orderer0", Role.ORDERER);
        TestPki.Credential tls = PKI.organization("OrdererOrg").enrollTls("orderer0", Role.ORDERER);

        NodeKeys keys = NodeKeys.of(Optional.empty(), new PemIdentity(pem("signing.pem", Pem.encodeCertificates(signing.chain())),
                        pem("signing.key", Pem.encodePrivateKey(signing.keys().getPrivate()))),
                new TlsFiles(pem("tls.pem", Pem.encodeCertificates(tls.chain())),
                        pem("tls.key", Pem.encodePrivateKey(tls.keys().getPrivate())), null), "charter.orderer");

        assertThat(keys.signingChain()).isEqualTo(signing.chain());
        assertThat(keys.signingKey().getEncoded()).isEqualTo(signing.keys().getPrivate().getEncoded());
        assertThat(keys.tlsChain()).isEqualTo(tls.chain());
        assertThat(keys.tlsKey().getEncoded()).isEqualTo(tls.keys().getPrivate().getEncoded());
    }

    @Test
    void aMissingFileIsNamedByItsKeyUnderTheNodesPrefix() {
        assertThatThrownBy(() -> NodeKeys.of(Optional.empty(), new PemIdentity(null, null), new TlsFiles(null, null, null),
                "charter.peer"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("charter.peer.signing.certificate is required (a PEM file)");
    }

    private Path pem(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }
}
