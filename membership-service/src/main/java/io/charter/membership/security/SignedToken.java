package io.charter.membership.security;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import io.charter.common.crypto.CryptoProviders;
import io.charter.common.crypto.EcdsaVerifier;

/**
 * The signed request token, modeled on Fabric CA's: the header
 * {@code Authorization: Charter <base64 certificate DER>.<base64 signature>} together with
 * {@code X-Charter-Timestamp: <epoch millis>}. The signature is ECDSA P-256 with SHA-256 (DER encoded)
 * over the UTF-8 bytes of
 *
 * <pre>
 * METHOD + "\n" + PATH + "\n" + base64(sha256(body)) + "\n" + TIMESTAMP
 * </pre>
 *
 * where METHOD is upper case, PATH is the request path with its query string if any ({@code
 * /api/v1/identities?organization=Org1MSP}), base64 is standard base64 with padding, and TIMESTAMP is
 * exactly the header's value. Clients use {@link #authorization}; the service uses {@link #parse} and
 * {@link #verify}.
 */
public final class SignedToken {

    public static final String SCHEME = "Charter";
    public static final String TIMESTAMP_HEADER = "X-Charter-Timestamp";

    /** On common's preferred provider (ACCP where it loads, else Bouncy Castle): never SunEC. */
    private static final EcdsaVerifier VERIFIER = new EcdsaVerifier();

    private final X509Certificate certificate;
    private final byte[] signature;

    private SignedToken(X509Certificate certificate, byte[] signature) {
        this.certificate = certificate;
        this.signature = signature;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Whether {@code header} uses this scheme (case-insensitive, like HTTP auth schemes). */
    public static boolean isToken(String header) {
        return header != null && header.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1);
    }

    /** Parses an {@code Authorization} header value; empty when it is not a well-formed token. */
    public static Optional<SignedToken> parse(String header) {
        if (!isToken(header)) {
            return Optional.empty();
        }
        String value = header.substring(SCHEME.length() + 1).trim();
        int dot = value.indexOf('.');
        if (dot <= 0 || dot == value.length() - 1 || value.indexOf('.', dot + 1) >= 0) {
            return Optional.empty();
        }
        try {
            byte[] der = Base64.getDecoder().decode(value.substring(0, dot));
            byte[] signature = Base64.getDecoder().decode(value.substring(dot + 1));
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            return Optional.of(new SignedToken(certificate, signature));
        } catch (IllegalArgumentException | CertificateException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** Whether the signature covers this request under the token's certificate key. */
    public boolean verify(String method, String pathAndQuery, byte[] body, String timestamp) {
        return verify(certificate.getPublicKey(), signature, payload(method, pathAndQuery, body, timestamp));
    }

    /** The bytes a token signs. */
    public static byte[] payload(String method, String pathAndQuery, byte[] body, String timestamp) {
        String text = method.toUpperCase(Locale.ROOT) + "\n" + pathAndQuery + "\n"
                + Base64.getEncoder().encodeToString(sha256(body)) + "\n" + timestamp;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Builds the {@code Authorization} header value for a request (client side). */
    public static String authorization(
            X509Certificate certificate, PrivateKey key, String method, String pathAndQuery, byte[] body,
            String timestamp) {
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA", CryptoProviders.preferred().jcaProvider());
            signer.initSign(key);
            signer.update(payload(method, pathAndQuery, body, timestamp));
            Base64.Encoder base64 = Base64.getEncoder();
            return SCHEME + " " + base64.encodeToString(certificate.getEncoded()) + "."
                    + base64.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a request token", e);
        }
    }

    private static boolean verify(PublicKey key, byte[] signature, byte[] data) {
        return VERIFIER.verify(key, data, signature);
    }

    static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
