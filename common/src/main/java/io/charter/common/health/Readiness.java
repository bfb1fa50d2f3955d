package io.charter.common.health;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a node is ready to serve, and why, channel by channel: what a node's Spring shell shows as its readiness
 * health indicator and the local network shows on each node's operations port, computed once by the node's core.
 *
 * @param ready true when every joined channel is ready (no channel joined: ready)
 * @param channels per channel, its details (height, leader, lag, ready, ...), in a stable order
 */
public record Readiness(boolean ready, Map<String, Map<String, Object>> channels) {

    public Readiness {
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        channels.forEach((channel, detail) -> copy.put(channel, java.util.Collections.unmodifiableMap(
                new LinkedHashMap<>(detail))));
        channels = java.util.Collections.unmodifiableMap(copy);
    }

    /** Spring Boot's status name: {@code UP} or {@code DOWN}. */
    public String status() {
        return ready ? "UP" : "DOWN";
    }
}
