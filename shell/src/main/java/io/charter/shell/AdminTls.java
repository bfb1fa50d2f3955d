package io.charter.shell;

import io.charter.common.pki.KeyStores;
import io.charter.common.pki.Pem;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * The admin HTTPS listener's key material, as the SSL bundle {@value #BUNDLE} that each shell's
 * {@code server.ssl.bundle} names: the node's TLS identity, TLS 1.3 only, and its trusted TLS roots for client
 * certificates, which the shells require ({@code server.ssl.client-auth=need}). Whether a certificate is an admin
 * who may do what it asks is each node's admin API's decision, per request.
 */
public final class AdminTls {

    public static final String BUNDLE = "charter-admin";
    /** Protects the in-memory key store only. */
    private static final String PASSWORD = UUID.randomUUID().toString();

    private AdminTls() {}

    /** Registers {@link #bundle}. */
    public static SslBundleRegistrar registrar(String alias, String prefix, TlsFiles tls, Optional<MembershipSetup> enrolled,
            List<X509Certificate> trustedRoots) {
        return registry -> registry.registerBundle(BUNDLE, bundle(alias, prefix, tls, enrolled, trustedRoots));
    }

    /**
     * The enrolled TLS identity, or the node's TLS PEM files (required then: {@code prefix} names them in the error),
     * trusting {@code trustedRoots}.
     */
    public static SslBundle bundle(String alias, String prefix, TlsFiles tls, Optional<MembershipSetup> enrolled,
            List<X509Certificate> trustedRoots) {
        List<X509Certificate> chain;
        PrivateKey key;
        if (enrolled.isPresent()) {
            chain = enrolled.get().identity().tlsChain();
            key = enrolled.get().identity().tlsKey();
        } else {
            if (tls.certificate() == null || tls.privateKey() == null) {
                throw new IllegalStateException(prefix + ".tls.certificate and " + prefix + ".tls.private-key are required");
            }
            chain = Pem.readCertificates(tls.certificate());
            key = Pem.readPrivateKey(tls.privateKey());
        }
        return SslBundle.of(SslStoreBundle.of(KeyStores.withKey(alias, key, PASSWORD.toCharArray(), chain), PASSWORD,
                        KeyStores.trusting(trustedRoots)),
                SslBundleKey.of(PASSWORD, alias), SslOptions.of(null, new String[] {"TLSv1.3"}));
    }
}
