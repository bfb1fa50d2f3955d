package io.charter.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class EcdsaSignVerifyTest {

    private static final byte[] DATA = "transfer 10 from alice to bob".getBytes(StandardCharsets.UTF_8);
    private static final KeyPair KEYS = EcKeys.generate();

    /** ACCP only where it loads: elsewhere the selection test covers the fallback. */
    static List<CryptoProvider> providers() {
        List<CryptoProvider> providers = new ArrayList<>(List.of(CryptoProvider.BOUNCY_CASTLE, CryptoProvider.SUN_EC));
        if (CryptoProviders.isUsable(CryptoProvider.ACCP)) {
            providers.addFirst(CryptoProvider.ACCP);
        }
        return providers;
    }

    @ParameterizedTest
    @MethodSource("providers")
    void signatureVerifiesOnTheSameProvider(CryptoProvider provider) {
        EcdsaSigner signer = EcdsaSigner.of(KEYS.getPrivate(), KEYS.getPublic(), provider);

        byte[] signature = signer.sign(DATA);

        assertThat(new EcdsaVerifier(provider).verify(signer.publicKey(), DATA, signature)).isTrue();
        assertThat(signer.provider()).isEqualTo(provider);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void signatureByOneProviderVerifiesWithEveryOther(CryptoProvider signingProvider) {
        byte[] signature = EcdsaSigner.of(KEYS.getPrivate(), KEYS.getPublic(), signingProvider).sign(DATA);

        for (CryptoProvider verifyingProvider : providers()) {
            assertThat(new EcdsaVerifier(verifyingProvider).verify(KEYS.getPublic(), DATA, signature))
                    .as("signed by %s, verified by %s", signingProvider, verifyingProvider)
                    .isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void tamperedDataOrSignatureDoesNotVerify(CryptoProvider provider) {
        byte[] signature = EcdsaSigner.of(KEYS.getPrivate(), KEYS.getPublic(), provider).sign(DATA);
        EcdsaVerifier verifier = new EcdsaVerifier(provider);

        byte[] tamperedData = DATA.clone();
        tamperedData[3] ^= 0x01;
        assertThat(verifier.verify(KEYS.getPublic(), tamperedData, signature)).isFalse();
        for (int i = 0; i < signature.length; i++) {
            byte[] tamperedSignature = signature.clone();
            tamperedSignature[i] ^= 0x40;
            assertThat(verifier.verify(KEYS.getPublic(), DATA, tamperedSignature)).as("byte %d flipped", i).isFalse();
        }
        assertThat(verifier.verify(EcKeys.generate().getPublic(), DATA, signature)).as("another key").isFalse();
        // the verifier still works after all those failures
        assertThat(verifier.verify(KEYS.getPublic(), DATA, signature)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void garbageInputIsFalseNeverAnException(CryptoProvider provider) throws Exception {
        EcdsaVerifier verifier = new EcdsaVerifier(provider);
        byte[] signature = EcdsaSigner.of(KEYS.getPrivate(), KEYS.getPublic(), provider).sign(DATA);
        Random random = new Random(42);

        assertThat(verifier.verify(KEYS.getPublic(), DATA, new byte[0])).isFalse();
        assertThat(verifier.verify(KEYS.getPublic(), DATA, null)).isFalse();
        assertThat(verifier.verify(null, DATA, signature)).isFalse();
        assertThat(verifier.verify(KEYS.getPublic(), null, signature)).isFalse();
        assertThat(verifier.verify(KEYS.getPublic(), DATA, new byte[] {0x30, 0x00})).isFalse();
        assertThat(verifier.verify(KEYS.getPublic(), DATA, new byte[] {0x30, (byte) 0x81, 0x7f})).isFalse();
        for (int i = 0; i < 200; i++) {
            byte[] garbage = new byte[random.nextInt(100)];
            random.nextBytes(garbage);
            if (garbage.length > 1) {
                garbage[0] = 0x30; // looks like a SEQUENCE to get past the first check
            }
            assertThat(verifier.verify(KEYS.getPublic(), DATA, garbage)).isFalse();
        }
        assertThat(verifier.verify(KEYS.getPublic(), DATA, signature)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void keysOfOtherCurvesOrAlgorithmsAreRejected(CryptoProvider provider) throws Exception {
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair other = p384.generateKeyPair();
        Signature jdk = Signature.getInstance("SHA256withECDSA");
        jdk.initSign(other.getPrivate());
        jdk.update(DATA);
        byte[] validP384Signature = jdk.sign();
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);

        EcdsaVerifier verifier = new EcdsaVerifier(provider);

        assertThat(verifier.verify(other.getPublic(), DATA, validP384Signature)).isFalse();
        assertThat(verifier.verify(rsa.generateKeyPair().getPublic(), DATA, validP384Signature)).isFalse();
        assertThatThrownBy(() -> EcdsaSigner.of(other.getPrivate(), other.getPublic(), provider))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signerRefusesMismatchedKeys() {
        assertThatThrownBy(() -> EcdsaSigner.of(EcKeys.generate().getPrivate(), KEYS.getPublic(), CryptoProvider.BOUNCY_CASTLE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void signaturesAreAlwaysLowS(CryptoProvider provider) {
        EcdsaSigner signer = EcdsaSigner.of(KEYS.getPrivate(), KEYS.getPublic(), provider);
        for (int i = 0; i < 50; i++) {
            assertThat(EcdsaSignatures.isLowS(signer.sign(DATA))).isTrue();
        }
    }

    @Test
    void highSTwinVerifiesUnlessTheVerifierRequiresLowS() {
        byte[] signature = EcdsaSigner.of(KEYS.getPrivate(), KEYS.getPublic(), CryptoProvider.BOUNCY_CASTLE).sign(DATA);
        BigInteger[] rs = EcdsaSignatures.decode(signature).orElseThrow();
        byte[] highS = EcdsaSignatures.encode(rs[0], EcKeys.P256_ORDER.subtract(rs[1]));

        EcdsaVerifier lenient = new EcdsaVerifier(CryptoProvider.BOUNCY_CASTLE);
        assertThat(lenient.verify(KEYS.getPublic(), DATA, highS)).isTrue();
        assertThat(lenient.requiringLowS().verify(KEYS.getPublic(), DATA, highS)).isFalse();
        assertThat(lenient.requiringLowS().verify(KEYS.getPublic(), DATA, signature)).isTrue();
        assertThat(EcdsaSignatures.toLowS(highS)).isEqualTo(signature);
    }

    @ParameterizedTest
    @EnumSource(value = CryptoProvider.class, names = {"BOUNCY_CASTLE", "SUN_EC"})
    void signerAndVerifierAreSafeToShareAcrossThreads(CryptoProvider provider) throws Exception {
        EcdsaSigner signer = EcdsaSigner.of(KEYS.getPrivate(), KEYS.getPublic(), provider);
        EcdsaVerifier verifier = new EcdsaVerifier(provider);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        byte[] data = (seed + ":" + i).getBytes(StandardCharsets.UTF_8);
                        if (!verifier.verify(KEYS.getPublic(), data, signer.sign(data))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sha256MatchesAKnownVector() {
        assertThat(java.util.HexFormat.of().formatHex(Hashes.sha256("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Hashes.sha256("a".getBytes(StandardCharsets.US_ASCII), "bc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(Hashes.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
    }
}
