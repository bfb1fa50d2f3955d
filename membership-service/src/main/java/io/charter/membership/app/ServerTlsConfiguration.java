package io.charter.membership.app;

import io.charter.common.pki.KeyStores;
import io.charter.common.crypto.EcKeys;
import io.charter.membership.MembershipCore;
import io.charter.membership.enrollment.Enrollment;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTPS listener's key material, as the SSL bundle {@value #BUNDLE} that {@code server.ssl.bundle}
 * names. The server certificate is issued to this instance by the consortium organization's TLS CA at
 * startup ({@link io.charter.membership.enrollment.ServiceCertificates}, no identity registered), or read from
 * PEM files; client certificates are trusted when they chain to the consortium root, and the
 * authentication filter then checks them against the core (issued here, not revoked, not expired).
 */
@Configuration(proxyBeanMethods = false)
public class ServerTlsConfiguration {

    public static final String BUNDLE = "charter-server";
    static final String KEY_ALIAS = "server";
    /** Protects the in-memory key store only; the store never reaches a disk. */
    private static final String STORE_PASSWORD = UUID.randomUUID().toString();

    private static final Logger log = LoggerFactory.getLogger(ServerTlsConfiguration.class);

    @Bean
    SslBundleRegistrar charterServerBundle(
            MembershipProperties properties, MembershipCore core) {
        return registry -> registry.registerBundle(BUNDLE, bundle(properties.http().tls(), core));
    }

    static SslBundle bundle(MembershipProperties.Tls tls, MembershipCore core) {
        KeyStore trustStore = trustStore(core.rootCertificate());
        SslOptions tls13 = SslOptions.of(null, new String[] {"TLSv1.3"});
        if (tls.source() == MembershipProperties.TlsSource.FILES) {
            if (tls.certificate() == null || tls.privateKey() == null) {
                throw new IllegalStateException("charter.membership.http.tls.source=files needs"
                        + " charter.membership.http.tls.certificate and charter.membership.http.tls.private-key");
            }
            KeyStore keyStore = new PemSslStoreBundle(
                    PemSslStoreDetails.forCertificate(tls.certificate().toUri().toString())
                            .withPrivateKey(tls.privateKey().toUri().toString())
                            .withAlias(KEY_ALIAS),
                    null).getKeyStore();
            return SslBundle.of(SslStoreBundle.of(keyStore, null, trustStore), SslBundleKey.of(null, KEY_ALIAS), tls13);
        }
        KeyPair keys = EcKeys.generate();
        Enrollment enrollment = core.serviceCertificates().issueServiceTls(tls.commonName(), keys.getPublic(), tls.hosts());
        log.info("HTTPS server certificate issued by {} for {} (serial {}, valid until {})",
                enrollment.chain().getFirst().getSubjectX500Principal(), tls.hosts(),
                enrollment.certificate().getSerialNumber().toString(16), enrollment.certificate().getNotAfter());
        KeyStore keyStore = keyStore(keys.getPrivate(), enrollment.fullChain());
        return SslBundle.of(SslStoreBundle.of(keyStore, STORE_PASSWORD, trustStore),
                SslBundleKey.of(STORE_PASSWORD, KEY_ALIAS), tls13);
    }

    static KeyStore keyStore(PrivateKey key, List<X509Certificate> chain) {
        return KeyStores.withKey(KEY_ALIAS, key, STORE_PASSWORD.toCharArray(), chain);
    }

    static KeyStore trustStore(X509Certificate root) {
        return KeyStores.trusting(List.of(root));
    }
}
