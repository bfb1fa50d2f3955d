package io.charter.orderer.app;

import io.charter.shell.AdminTls;
import io.charter.shell.MembershipSetup;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The participation API's HTTPS key material ({@link AdminTls}): the orderer's TLS identity, trusting
 * {@code charter.orderer.tls.trusted-roots} for client certificates. Whether a certificate is an ADMIN of a
 * channel's organization is decided per request by the participation API.
 */
@Configuration(proxyBeanMethods = false)
public class AdminTlsConfiguration {

    @Bean
    SslBundleRegistrar charterAdminBundle(OrdererProperties properties, ObjectProvider<MembershipSetup> membership) {
        return registry -> registry.registerBundle(AdminTls.BUNDLE, AdminTls.bundle("orderer",
                OrdererProperties.PREFIX, properties.tls(), Optional.ofNullable(membership.getIfAvailable()),
                properties.tls().readTrustedRoots()));
    }
}
