package io.charter.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CryptoProvidersTest {

    @Test
    void prefersAccpWhenItIsUsable() {
        assertThat(CryptoProviders.select(null, provider -> true).provider()).isEqualTo(CryptoProvider.ACCP);
        assertThat(CryptoProviders.select("auto", provider -> true).provider()).isEqualTo(CryptoProvider.ACCP);
    }

    @Test
    void fallsBackToBouncyCastleWhenAccpIsUnusable() {
        CryptoProviders.Selection selection =
                CryptoProviders.select(null, provider -> provider != CryptoProvider.ACCP);

        assertThat(selection.provider()).isEqualTo(CryptoProvider.BOUNCY_CASTLE);
        assertThat(selection.reason()).contains("Bouncy Castle");
    }

    @Test
    void overrideWinsWhenTheForcedProviderWorks() {
        assertThat(CryptoProviders.select("sunec", provider -> true).provider()).isEqualTo(CryptoProvider.SUN_EC);
        assertThat(CryptoProviders.select(" BC ", provider -> true).provider()).isEqualTo(CryptoProvider.BOUNCY_CASTLE);
        assertThat(CryptoProviders.select("SUN_EC", provider -> true).provider()).isEqualTo(CryptoProvider.SUN_EC);
    }

    @Test
    void forcedButUnusableProviderFallsBackAndSaysWhy() {
        CryptoProviders.Selection selection =
                CryptoProviders.select("accp", provider -> provider != CryptoProvider.ACCP);

        assertThat(selection.provider()).isEqualTo(CryptoProvider.BOUNCY_CASTLE);
        assertThat(selection.reason()).contains("ACCP was asked for").contains("not usable");
    }

    @Test
    void unknownOverrideFallsBackToTheAutomaticChoice() {
        CryptoProviders.Selection selection = CryptoProviders.select("openssl", provider -> true);

        assertThat(selection.provider()).isEqualTo(CryptoProvider.ACCP);
        assertThat(selection.reason()).contains("unknown").contains("openssl");
    }

    @Test
    void bouncyCastleAndSunEcAreAlwaysUsableAndThePreferredOneWorks() {
        assertThat(CryptoProviders.isUsable(CryptoProvider.BOUNCY_CASTLE)).isTrue();
        assertThat(CryptoProviders.isUsable(CryptoProvider.SUN_EC)).isTrue();
        assertThat(CryptoProviders.isUsable(CryptoProviders.preferred())).isTrue();
    }
}
