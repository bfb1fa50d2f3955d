package io.charter.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the provider that signs and verifies on Charter's hot paths.
 *
 * <p>The ranking is measured (see the JMH benchmarks in {@code io.charter.common.crypto.bench}): ACCP's
 * native ECDSA is the fastest, then Bouncy Castle, then SunEC. So the choice is ACCP when its native
 * library loads on this platform, reports itself healthy and passes a sign/verify self-test, and Bouncy
 * Castle otherwise. The system property {@value #PROPERTY} ({@code auto}, {@code accp}, {@code bc} or
 * {@code sunec}) overrides it; a forced provider that fails its self-test falls back to the automatic
 * choice with a warning. The choice is made and logged once per JVM.
 */
public final class CryptoProviders {

    public static final String PROPERTY = "charter.crypto.provider";

    private static final Logger LOG = LoggerFactory.getLogger(CryptoProviders.class);

    private CryptoProviders() {}

    /** The provider for this JVM, chosen on first use. */
    public static CryptoProvider preferred() {
        return Preferred.CHOICE;
    }

    /**
     * The choice, as a pure function of its inputs (for tests and for nodes that configure it themselves).
     *
     * @param override a provider label, {@code auto} or null
     * @param usable whether a provider loads and passes its self-test here
     */
    public static Selection select(String override, Predicate<CryptoProvider> usable) {
        if (override != null && !override.isBlank() && !override.trim().equalsIgnoreCase("auto")) {
            Optional<CryptoProvider> forced = CryptoProvider.fromLabel(override);
            if (forced.isEmpty()) {
                Selection automatic = automatic(usable);
                return new Selection(automatic.provider(), "unknown " + PROPERTY + " value '" + override
                        + "' (expected auto, accp, bc or sunec); " + automatic.reason());
            }
            if (usable.test(forced.get())) {
                return new Selection(forced.get(), "forced by " + PROPERTY + "=" + override.trim());
            }
            Selection automatic = automatic(usable);
            return new Selection(automatic.provider(), forced.get() + " was asked for by " + PROPERTY
                    + " but is not usable on this platform; " + automatic.reason());
        }
        return automatic(usable);
    }

    private static Selection automatic(Predicate<CryptoProvider> usable) {
        if (usable.test(CryptoProvider.ACCP)) {
            return new Selection(CryptoProvider.ACCP, "native ACCP loaded and passed its self-test (fastest)");
        }
        return new Selection(CryptoProvider.BOUNCY_CASTLE,
                "ACCP is not usable here (" + Accp.unusableReason() + "), Bouncy Castle is the fastest pure-Java provider");
    }

    /** Whether {@code provider} loads here and signs and verifies P-256 / SHA-256 correctly. */
    public static boolean isUsable(CryptoProvider provider) {
        if (provider == CryptoProvider.ACCP && Accp.unusableReason() != null) {
            return false;
        }
        try {
            return selfTest(provider);
        } catch (Throwable e) {
            LOG.debug("{} failed its self-test", provider, e);
            return false;
        }
    }

    private static boolean selfTest(CryptoProvider provider) throws Exception {
        KeyPair keys = EcKeys.generate();
        byte[] message = "charter provider self-test".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance(EcdsaSigner.ALGORITHM, provider.jcaProvider());
        signer.initSign(keys.getPrivate());
        signer.update(message);
        byte[] signature = signer.sign();

        // The signature must verify with the provider itself and with the JDK's reference implementation,
        // and a tampered message must not verify.
        Signature reference = Signature.getInstance(EcdsaSigner.ALGORITHM, CryptoProvider.SUN_EC.jcaProvider());
        reference.initVerify(keys.getPublic());
        reference.update(message);
        boolean referenceAccepts = reference.verify(signature);

        SignatureVerifier verifier = new EcdsaVerifier(provider);
        byte[] tampered = message.clone();
        tampered[0] ^= 1;
        return referenceAccepts
                && verifier.verify(keys.getPublic(), message, signature)
                && !verifier.verify(keys.getPublic(), tampered, signature);
    }

    /** A chosen provider and why it was chosen. */
    public record Selection(CryptoProvider provider, String reason) {}

    private static final class Preferred {
        static final CryptoProvider CHOICE = choose();

        private static CryptoProvider choose() {
            Selection selection = select(System.getProperty(PROPERTY), CryptoProviders::isUsable);
            LOG.info("ECDSA provider: {} ({})", selection.provider(), selection.reason());
            return selection.provider();
        }
    }
}
