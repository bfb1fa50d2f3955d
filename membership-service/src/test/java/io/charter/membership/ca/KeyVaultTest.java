package io.charter.membership.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.crypto.EcKeys;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class KeyVaultTest {

    private final KeyPair keys = EcKeys.generate();

    @Test
    void sealedKeyOpensWithTheSamePassphrase() {
        KeyVault vault = new KeyVault("s3cret passphrase", 1_000);
        KeyVault.SealedKey sealed = vault.seal(keys.getPrivate(), "Org1MSP/signing");
        assertThat(new String(sealed.ciphertext(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(new String(keys.getPrivate().getEncoded(), java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(vault.open(sealed, "Org1MSP/signing")).isEqualTo(keys.getPrivate());
        KeyVault.SealedKey again = vault.seal(keys.getPrivate(), "Org1MSP/signing");
        assertThat(again.salt()).isNotEqualTo(sealed.salt());
        assertThat(again.nonce()).isNotEqualTo(sealed.nonce());
    }

    @Test
    void wrongPassphraseIsRefusedWithAClearMessage() {
        KeyVault.SealedKey sealed = new KeyVault("right", 1_000).seal(keys.getPrivate(), "root");
        assertThatThrownBy(() -> new KeyVault("wrong", 1_000).open(sealed, "root"))
                .isInstanceOf(KeyVault.KeyVaultException.class)
                .hasMessageContaining("passphrase is wrong");
    }

    @Test
    void tamperedCiphertextOrMovedKeyIsDetected() {
        KeyVault vault = new KeyVault("right", 1_000);
        KeyVault.SealedKey sealed = vault.seal(keys.getPrivate(), "root");
        byte[] tampered = sealed.ciphertext().clone();
        tampered[tampered.length / 2] ^= 1;
        assertThatThrownBy(() -> vault.open(new KeyVault.SealedKey(sealed.salt(), sealed.nonce(), sealed.iterations(), tampered), "root"))
                .isInstanceOf(KeyVault.KeyVaultException.class);
        assertThatThrownBy(() -> vault.open(sealed, "Org1MSP/signing")).isInstanceOf(KeyVault.KeyVaultException.class);
    }
}
