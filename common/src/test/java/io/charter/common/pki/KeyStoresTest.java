package io.charter.common.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.testing.TestPki;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyStoresTest {

    private static final TestPki PKI = TestPki.create("Org1MSP");
    private static final TestPki.Credential PEER = PKI.organization("Org1MSP").enrollTls("peer0", Role.PEER);

    @Test
    void keyEntryHoldsTheKeyAndItsChainLeafFirst() throws Exception {
        char[] password = "p".toCharArray();
        KeyStore store = KeyStores.withKey("peer", PEER.keys().getPrivate(), password, PEER.chain());

        assertThat(store.getKey("peer", password)).isEqualTo(PEER.keys().getPrivate());
        assertThat(store.getCertificateChain("peer")).containsExactlyElementsOf(PEER.chain());
    }

    @Test
    void keyEntryWithoutChainIsRefused() {
        assertThatThrownBy(() -> KeyStores.withKey("peer", PEER.keys().getPrivate(), new char[0], List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("certificate chain");
    }

    @Test
    void trustStoreHoldsEveryRootAsATrustedEntry() throws Exception {
        var roots = List.of(PKI.root().certificate(), PEER.chain().getLast());
        KeyStore store = KeyStores.trusting(roots);

        assertThat(store.size()).isEqualTo(2);
        assertThat(store.isCertificateEntry("root-0")).isTrue();
        assertThat(store.getCertificate("root-1")).isEqualTo(roots.get(1));
    }

    @Test
    void pemFilesAreReadAndAMissingFileIsNamed(@TempDir Path dir) throws Exception {
        Path chain = Files.writeString(dir.resolve("tls-cert.pem"), Pem.encodeCertificates(PEER.chain()));
        Path key = Files.writeString(dir.resolve("tls-key.pem"), Pem.encodePrivateKey(PEER.keys().getPrivate()));

        assertThat(Pem.readCertificates(chain)).containsExactlyElementsOf(PEER.chain());
        assertThat(Pem.readPrivateKey(key)).isEqualTo(PEER.keys().getPrivate());
        assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("absent.pem")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("absent.pem");
    }
}
