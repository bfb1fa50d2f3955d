package io.charter.orderer.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.transport.TransportLimits;
import io.charter.shell.PemIdentity;
import io.charter.shell.TlsFiles;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The records the orderer shares with the peer (io.charter.shell) bind under {@code charter.orderer}, as documented. */
class OrdererPropertiesTest {

    private static OrdererProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("charter.orderer", OrdererProperties.class);
    }

    @Test
    void theIdentityFilesLimitsAndMembershipKeysReachTheShellsRecords() {
        OrdererProperties properties = bind(Map.of(
                "charter.orderer.signing.certificate", "signing.pem",
                "charter.orderer.signing.private-key", "signing.key",
                "charter.orderer.tls.trusted-roots", "roots.pem",
                "charter.orderer.transport.limits.max-connections", "10",
                "charter.orderer.membership.url", "https://membership:7054",
                "charter.orderer.membership.renew-at", "0.5"));
        assertThat(properties.signing()).isEqualTo(new PemIdentity(Path.of("signing.pem"), Path.of("signing.key")));
        assertThat(properties.tls()).isEqualTo(new TlsFiles(null, null, Path.of("roots.pem")));
        assertThat(properties.transport().limits().toTransportLimits().maxConnections()).isEqualTo(10);
        assertThat(properties.membership().url()).isEqualTo(URI.create("https://membership:7054"));
        assertThat(properties.membership().renewAt()).isEqualTo(0.5);
    }

    @Test
    void unsetTheyKeepTheirDocumentedDefaults() {
        OrdererProperties properties = bind(Map.of());
        assertThat(properties.transport().port()).isEqualTo(7050);
        assertThat(properties.transport().limits().toTransportLimits()).isEqualTo(TransportLimits.defaults());
        assertThat(properties.membership().url()).isNull();
        assertThat(properties.membership().tlsHosts()).containsExactly("localhost", "127.0.0.1");
        assertThat(properties.tls().readTrustedRoots()).isEmpty();
    }
}
