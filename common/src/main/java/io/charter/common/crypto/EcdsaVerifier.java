package io.charter.common.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies P-256 / SHA-256 DER signatures on a chosen provider. Thread-safe: each thread keeps its own
 * {@link Signature} (measured faster than a new instance per call, see the benchmarks).
 *
 * <p>Never throws for bad input: a null, empty or malformed signature, a key that is not on P-256 (or
 * not an EC key at all) or a provider error all yield {@code false}.
 */
public final class EcdsaVerifier implements SignatureVerifier {

    /** Bound of the converted-key cache; the keys a node verifies with are its network's few certificates. */
    private static final int MAX_CONVERTED_KEYS = 4096;

    private final CryptoProvider provider;
    private final boolean requireLowS;
    private final ThreadLocal<Signature> signatures;
    /**
     * Bouncy Castle converts a JDK public key into its own key type on every {@code initVerify}, which
     * costs more than the verification itself; keys converted once are kept here. Other providers
     * verify with the key as given.
     */
    private final Map<PublicKey, PublicKey> convertedKeys = new ConcurrentHashMap<>();

    /** A verifier on the {@linkplain CryptoProviders#preferred() preferred} provider. */
    public EcdsaVerifier() {
        this(CryptoProviders.preferred());
    }

    public EcdsaVerifier(CryptoProvider provider) {
        this(provider, false);
    }

    private EcdsaVerifier(CryptoProvider provider, boolean requireLowS) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.requireLowS = requireLowS;
        var jca = provider.jcaProvider(); // fail now, not on first use, when the provider is unusable
        this.signatures = ThreadLocal.withInitial(() -> {
            try {
                return Signature.getInstance(EcdsaSigner.ALGORITHM, jca);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(provider + " has no " + EcdsaSigner.ALGORITHM, e);
            }
        });
    }

    /** A verifier that also rejects high-S signatures (the malleable twin of a valid signature). */
    public EcdsaVerifier requiringLowS() {
        return new EcdsaVerifier(provider, true);
    }

    public CryptoProvider provider() {
        return provider;
    }

    @Override
    public boolean verify(PublicKey key, byte[] data, byte[] signature) {
        if (key == null || data == null || signature == null || signature.length == 0 || !EcKeys.isP256(key)) {
            return false;
        }
        if (requireLowS && !EcdsaSignatures.isLowS(signature)) {
            return false;
        }
        Signature verifier = signatures.get();
        try {
            verifier.initVerify(providerKey(key));
            verifier.update(data);
            return verifier.verify(signature);
        } catch (Exception e) {
            // SignatureException for malformed DER (ACCP, SunEC), InvalidKeyException, or a provider's
            // runtime exception on odd input: all mean "not a valid signature". Drop the object, whose
            // state is unknown now.
            signatures.remove();
            return false;
        }
    }

    private PublicKey providerKey(PublicKey key) throws GeneralSecurityException {
        if (provider != CryptoProvider.BOUNCY_CASTLE) {
            return key;
        }
        PublicKey converted = convertedKeys.get(key);
        if (converted == null) {
            converted = KeyFactory.getInstance("EC", provider.jcaProvider()).translateKey(key) instanceof PublicKey k
                    ? k : key;
            if (convertedKeys.size() >= MAX_CONVERTED_KEYS) {
                convertedKeys.clear(); // crude but bounded; a node's working set of keys is far smaller
            }
            convertedKeys.put(key, converted);
        }
        return converted;
    }
}
