package io.charter.orderer.app;

import io.charter.common.pki.KeyStores;
import io.charter.common.pki.Pem;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The admin HTTPS listener's key material, as the SSL bundle {@value #BUNDLE} that
 * {@code server.ssl.bundle} names: the orderer's TLS identity, TLS 1.3 only, and the trusted TLS roots
 * ({@code charter.orderer.tls.trusted-roots}) for client certificates, which are required
 * ({@code server.ssl.client-auth=need}). Whether a certificate is an ADMIN of a channel's organization is
 * decided per request by the participation API.
 */
@Configuration(proxyBeanMethods = false)
public class AdminTlsConfiguration {

    public static final String BUNDLE = "charter-admin";
    private static final String ALIAS = "orderer";
    /** Protects the in-memory key store only. */
    private static final String PASSWORD = UUID.randomUUID().toString();

    @Bean
    SslBundleRegistrar charterAdminBundle(OrdererProperties properties,
            org.springframework.beans.factory.ObjectProvider<OrdererConfiguration.MembershipSetup> membership) {
        return registry -> registry.registerBundle(BUNDLE, bundle(properties, membership.getIfAvailable()));
    }

    static SslBundle bundle(OrdererProperties properties, OrdererConfiguration.MembershipSetup enrolled) {
        List<X509Certificate> chain;
        PrivateKey key;
        if (enrolled != null) {
            chain = enrolled.identity().tlsChain();
            key = enrolled.identity().tlsKey();
        } else {
            if (properties.tls().certificate() == null || properties.tls().privateKey() == null) {
                throw new IllegalStateException("charter.orderer.tls.certificate and charter.orderer.tls.private-key are required");
            }
            chain = Pem.readCertificates(properties.tls().certificate());
            key = Pem.readPrivateKey(properties.tls().privateKey());
        }
        return SslBundle.of(SslStoreBundle.of(KeyStores.withKey(ALIAS, key, PASSWORD.toCharArray(), chain), PASSWORD,
                        KeyStores.trusting(OrdererConfiguration.trustedRoots(properties))),
                SslBundleKey.of(PASSWORD, ALIAS), SslOptions.of(null, new String[] {"TLSv1.3"}));
    }
}
