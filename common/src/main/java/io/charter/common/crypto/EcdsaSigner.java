package io.charter.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;

/**
 * Signs with one P-256 private key on a chosen provider. Thread-safe: each thread keeps its own
 * initialized {@link Signature} (after {@code sign()} a JCA signature is ready to sign again, so the
 * per-thread object is initialized once). Signatures are DER-encoded and always in low-S form.
 */
public final class EcdsaSigner implements Signer {

    /** The JCA name of the one signature algorithm Charter uses. */
    public static final String ALGORITHM = "SHA256withECDSA";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final CryptoProvider provider;
    private final ThreadLocal<Signature> signatures;

    private EcdsaSigner(PrivateKey privateKey, PublicKey publicKey, CryptoProvider provider) {
        this.privateKey = translate(privateKey, provider);
        this.publicKey = publicKey;
        this.provider = provider;
        this.signatures = ThreadLocal.withInitial(this::newSignature);
    }

    /** A signer on the {@linkplain CryptoProviders#preferred() preferred} provider. */
    public static EcdsaSigner of(KeyPair keys) {
        return of(keys.getPrivate(), keys.getPublic(), CryptoProviders.preferred());
    }

    /**
     * A signer on {@code provider}.
     *
     * @throws IllegalArgumentException when the keys are not a matching P-256 pair
     */
    public static EcdsaSigner of(PrivateKey privateKey, PublicKey publicKey, CryptoProvider provider) {
        Objects.requireNonNull(provider, "provider");
        if (!EcKeys.isP256(privateKey) || !EcKeys.isP256(publicKey)) {
            throw new IllegalArgumentException("Charter signs with " + EcKeys.CURVE + " keys only");
        }
        EcdsaSigner signer = new EcdsaSigner(privateKey, publicKey, provider);
        byte[] probe = "charter key-pair check".getBytes(StandardCharsets.UTF_8);
        if (!new EcdsaVerifier(provider).verify(publicKey, probe, signer.sign(probe))) {
            throw new IllegalArgumentException("the private key does not belong to the public key");
        }
        return signer;
    }

    @Override
    public byte[] sign(byte[] data) {
        Signature signature = signatures.get();
        try {
            signature.update(data);
            return EcdsaSignatures.toLowS(signature.sign());
        } catch (GeneralSecurityException | RuntimeException e) {
            signatures.remove(); // its state is unknown now
            throw new IllegalStateException("signing with " + provider + " failed", e);
        }
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    public CryptoProvider provider() {
        return provider;
    }

    private Signature newSignature() {
        try {
            Signature signature = Signature.getInstance(ALGORITHM, provider.jcaProvider());
            signature.initSign(privateKey);
            return signature;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(provider + " cannot sign with " + ALGORITHM, e);
        }
    }

    /** Converts the key to the provider's own class once, instead of on every initialization. */
    private static PrivateKey translate(PrivateKey key, CryptoProvider provider) {
        try {
            return (PrivateKey) KeyFactory.getInstance("EC", provider.jcaProvider()).translateKey(key);
        } catch (GeneralSecurityException | RuntimeException e) {
            return key;
        }
    }
}
