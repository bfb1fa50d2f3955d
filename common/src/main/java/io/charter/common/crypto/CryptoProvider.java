package io.charter.common.crypto;

import java.security.Provider;
import java.security.Security;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The JCA providers Charter can sign and verify with. {@link CryptoProviders#preferred()} picks one;
 * the others stay available for comparison (benchmarks, cross-provider tests).
 */
public enum CryptoProvider {
    /** Amazon Corretto Crypto Provider: native (AWS-LC) ECDSA, the fastest where its library loads. */
    ACCP("accp"),
    /** Bouncy Castle: pure Java, works everywhere, several times faster than SunEC for P-256. */
    BOUNCY_CASTLE("bc"),
    /** The JDK's own provider: always present, the slowest; kept for comparison. */
    SUN_EC("sunec");

    private final String label;

    CryptoProvider(String label) {
        this.label = label;
    }

    /** The short name accepted by the {@value CryptoProviders#PROPERTY} system property. */
    public String label() {
        return label;
    }

    /**
     * The JCA provider object. Providers are used by reference and never registered globally.
     *
     * @throws IllegalStateException for {@link #ACCP} when its native library did not load on this platform
     */
    public Provider jcaProvider() {
        return switch (this) {
            case ACCP -> Accp.provider();
            case BOUNCY_CASTLE -> BouncyCastle.INSTANCE;
            case SUN_EC -> SunEc.INSTANCE;
        };
    }

    public static Optional<CryptoProvider> fromLabel(String label) {
        String wanted = label.trim().toLowerCase(Locale.ROOT);
        for (CryptoProvider provider : values()) {
            if (provider.label.equals(wanted) || provider.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                return Optional.of(provider);
            }
        }
        return Optional.empty();
    }

    /** Holders, so that a provider is only loaded when it is asked for. */
    private static final class BouncyCastle {
        static final Provider INSTANCE = new BouncyCastleProvider();
    }

    private static final class SunEc {
        static final Provider INSTANCE = sunEc();

        private static Provider sunEc() {
            Provider provider = Security.getProvider("SunEC");
            if (provider == null) {
                throw new IllegalStateException("this JDK has no SunEC provider");
            }
            return provider;
        }
    }
}
