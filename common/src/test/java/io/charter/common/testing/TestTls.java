package io.charter.common.testing;

import io.charter.common.pki.KeyStores;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS 1.3 contexts and HTTPS clients from a {@link TestPki}'s credentials, as the nodes' HTTPS listeners expect them. */
public final class TestTls {

    private static final char[] PASSWORD = "test".toCharArray();

    private TestTls() {}

    /**
     * A TLS 1.3 context that presents {@code credential} when there is one, and trusts {@code trusted} (the JDK's
     * default trust when empty).
     */
    public static SSLContext context(Optional<TestPki.Credential> credential, List<X509Certificate> trusted) {
        try {
            KeyManagerFactory keys = null;
            if (credential.isPresent()) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(KeyStores.withKey("me", credential.get().keys().getPrivate(), PASSWORD, credential.get().chain()),
                        PASSWORD);
            }
            TrustManagerFactory trust = null;
            if (!trusted.isEmpty()) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(KeyStores.trusting(trusted));
            }
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP/1.1 client presenting {@code credential} and trusting {@code root} alone. */
    public static HttpClient httpClient(TestPki.Credential credential, X509Certificate root) {
        return httpClient(Optional.of(credential), root);
    }

    /** As {@link #httpClient(TestPki.Credential, X509Certificate)}, without a client certificate when empty. */
    public static HttpClient httpClient(Optional<TestPki.Credential> credential, X509Certificate root) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(context(credential, List.of(root)))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }
}
