package io.charter.peer.app;

import io.charter.shell.AdminTls;
import io.charter.shell.MembershipSetup;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The admin API's HTTPS key material ({@link AdminTls}): the peer's TLS identity, trusting
 * {@code charter.peer.tls.trusted-roots} for client certificates, which must be set. Whether a certificate is an
 * ADMIN of the peer's organization is decided per request by the admin API.
 */
@Configuration(proxyBeanMethods = false)
public class AdminTlsConfiguration {

    @Bean
    SslBundleRegistrar charterAdminBundle(PeerProperties properties, ObjectProvider<MembershipSetup> membership) {
        return registry -> {
            List<X509Certificate> roots = properties.tls().readTrustedRoots();
            if (roots.isEmpty()) {
                throw new IllegalStateException("charter.peer.tls.trusted-roots is required: the admin API verifies client"
                        + " certificates against it");
            }
            registry.registerBundle(AdminTls.BUNDLE, AdminTls.bundle("peer", PeerProperties.PREFIX, properties.tls(),
                    Optional.ofNullable(membership.getIfAvailable()), roots));
        };
    }
}
