package io.charter.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.transport.TransportLimits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class TransportLimitsPropertiesTest {

    private static TransportLimits bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("charter.node.transport.limits", TransportLimitsProperties.class).toTransportLimits();
    }

    @Test
    void withNoKeySetTheLimitsAreTheTransportsDocumentedDefaults() {
        assertThat(bind(Map.of())).isEqualTo(TransportLimits.defaults());
    }

    @Test
    void everyKeyReachesItsLimit() {
        TransportLimits limits = bind(Map.ofEntries(
                Map.entry("charter.node.transport.limits.max-frame-size", "1MB"),
                Map.entry("charter.node.transport.limits.max-connections", "10"),
                Map.entry("charter.node.transport.limits.max-connections-per-identity", "2"),
                Map.entry("charter.node.transport.limits.max-calls-per-connection", "30"),
                Map.entry("charter.node.transport.limits.max-streams-per-connection", "3"),
                Map.entry("charter.node.transport.limits.idle-timeout", "7s"),
                Map.entry("charter.node.transport.limits.handshake-timeout", "2s"),
                Map.entry("charter.node.transport.limits.frame-deadline", "4s"),
                Map.entry("charter.node.transport.limits.frames-in-flight", "8MB"),
                Map.entry("charter.node.transport.limits.default-deadline", "5s"),
                Map.entry("charter.node.transport.limits.max-deadline", "9s")));
        assertThat(limits.maxFrameBytes()).isEqualTo(1024 * 1024);
        assertThat(limits.maxConnections()).isEqualTo(10);
        assertThat(limits.maxConnectionsPerIdentity()).isEqualTo(2);
        assertThat(limits.maxCallsPerConnection()).isEqualTo(30);
        assertThat(limits.maxStreamsPerConnection()).isEqualTo(3);
        assertThat(limits.idleTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(limits.handshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(limits.frameDeadline()).isEqualTo(Duration.ofSeconds(4));
        assertThat(limits.inFlightFrameBudgetBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(limits.defaultDeadline()).isEqualTo(Duration.ofSeconds(5));
        assertThat(limits.maxDeadline()).isEqualTo(Duration.ofSeconds(9));
    }
}
