package io.charter.shell;

import io.charter.common.transport.TransportLimits;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code charter.orderer.transport.limits.*} and {@code charter.peer.transport.limits.*}: the transport's bounds on
 * what callers can make a node hold (docs/security.md, "Transport limits", says what happens past each). The
 * defaults are {@link TransportLimits#defaults()}.
 */
public record TransportLimitsProperties(
        @DefaultValue("16MB") DataSize maxFrameSize,
        @DefaultValue("1024") int maxConnections,
        @DefaultValue("16") int maxConnectionsPerIdentity,
        @DefaultValue("4096") int maxCallsPerConnection,
        @DefaultValue("256") int maxStreamsPerConnection,
        @DefaultValue("5m") Duration idleTimeout,
        @DefaultValue("10s") Duration handshakeTimeout,
        @DefaultValue("30s") Duration frameDeadline,
        @DefaultValue("256MB") DataSize framesInFlight,
        @DefaultValue("1m") Duration defaultDeadline,
        @DefaultValue("10m") Duration maxDeadline) {

    public TransportLimits toTransportLimits() {
        return TransportLimits.defaults()
                .withMaxFrameBytes(Math.toIntExact(maxFrameSize.toBytes()))
                .withConnectionCaps(maxConnections, maxConnectionsPerIdentity)
                .withMaxCallsPerConnection(maxCallsPerConnection)
                .withMaxStreamsPerConnection(maxStreamsPerConnection)
                .withTimeouts(idleTimeout, handshakeTimeout, frameDeadline)
                .withInFlightFrameBudgetBytes(framesInFlight.toBytes())
                .withDeadlines(defaultDeadline, maxDeadline);
    }
}
