package io.charter.common.transport;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counts what a server refused to hold or serve, by reason, for the nodes' metrics. */
public final class TransportRefusals {

    /** Why a connection, a frame or a call was refused. Names are stable: metrics are labelled with them. */
    public enum Reason {
        /** The server already held {@link TransportLimits#maxConnections()} connections. */
        CONNECTIONS_TOTAL,
        /** The caller's identity already held {@link TransportLimits#maxConnectionsPerIdentity()} connections. */
        CONNECTIONS_PER_IDENTITY,
        /** The caller's role or organization may not call the method (the access table). */
        PERMISSION_DENIED,
        /** The connection already had {@link TransportLimits#maxCallsPerConnection()} calls in flight. */
        CALLS_PER_CONNECTION,
        /** The connection already had {@link TransportLimits#maxStreamsPerConnection()} streams open. */
        STREAMS_PER_CONNECTION,
        /** A frame took longer than {@link TransportLimits#frameDeadline()} to arrive. */
        FRAME_DEADLINE,
        /** A frame in progress would have exceeded {@link TransportLimits#inFlightFrameBudgetBytes()}. */
        FRAME_BUDGET,
        /** A connection was idle for {@link TransportLimits#idleTimeout()}. */
        IDLE
    }

    private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

    public TransportRefusals() {
        for (Reason reason : Reason.values()) {
            counts.put(reason, new LongAdder());
        }
    }

    void count(Reason reason) {
        counts.get(reason).increment();
    }

    /** Refusals for {@code reason} since the server started. */
    public long total(Reason reason) {
        return counts.get(reason).sum();
    }

    /** The counts since the server started, every reason present. */
    public Map<Reason, Long> snapshot() {
        Map<Reason, Long> snapshot = new EnumMap<>(Reason.class);
        counts.forEach((reason, count) -> snapshot.put(reason, count.sum()));
        return snapshot;
    }
}
