package io.charter.peer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.transport.TransportLimits;
import io.charter.peer.dissemination.DisseminationSettings;
import io.charter.shell.TlsFiles;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The records the peer shares with the orderer (io.charter.shell) bind under {@code charter.peer}, as documented. */
class PeerPropertiesTest {

    private static PeerProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("charter.peer", PeerProperties.class);
    }

    @Test
    void theTlsFilesLimitsAndMembershipKeysReachTheShellsRecords() {
        PeerProperties properties = bind(Map.of(
                "charter.peer.tls.certificate", "tls.pem",
                "charter.peer.tls.private-key", "tls.key",
                "charter.peer.transport.limits.idle-timeout", "7s",
                "charter.peer.membership.enrollment-id", "peer0",
                "charter.peer.membership.tls-hosts", "peer0.org1"));
        assertThat(properties.tls()).isEqualTo(new TlsFiles(Path.of("tls.pem"), Path.of("tls.key"), null));
        assertThat(properties.transport().limits().toTransportLimits().idleTimeout()).hasSeconds(7);
        assertThat(properties.membership().enrollmentId()).isEqualTo("peer0");
        assertThat(properties.membership().tlsHosts()).containsExactly("peer0.org1");
    }

    @Test
    void unsetTheyKeepTheirDocumentedDefaults() {
        PeerProperties properties = bind(Map.of());
        assertThat(properties.transport().port()).isEqualTo(7060);
        assertThat(properties.transport().limits().toTransportLimits()).isEqualTo(TransportLimits.defaults());
        assertThat(properties.signing().certificate()).isNull();
        assertThat(properties.membership().tlsHosts()).containsExactly("localhost", "127.0.0.1");
        assertThat(properties.membership().renewAt()).isNull();
    }

    @Test
    void disseminationDefaultsToTheLeaderWithARelayFanoutOfThreeAndBindsEveryPeerAndLinear() {
        assertThat(bind(Map.of()).dissemination().toSettings()).isEqualTo(DisseminationSettings.DEFAULTS);
        assertThat(bind(Map.of("charter.peer.dissemination.mode", "every-peer",
                "charter.peer.dissemination.relay-fanout", "0")).dissemination().toSettings())
                .isEqualTo(new DisseminationSettings(DisseminationSettings.Mode.EVERY_PEER, 0));
    }

    @Test
    void anUnknownDisseminationModeOrANegativeFanoutIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> bind(Map.of("charter.peer.dissemination.mode", "gossip")).dissemination().toSettings())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("charter.peer.dissemination.mode");
        assertThatThrownBy(() -> bind(Map.of("charter.peer.dissemination.relay-fanout", "-1")).dissemination().toSettings())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("charter.peer.dissemination.relay-fanout");
    }
}
