package io.charter.client.cli.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the network host tells the CLI through {@code status.json}: its state, the progress so far, and
 * once ready where everything is.
 *
 * @param state {@code starting}, {@code ready}, {@code failed} or {@code stopped}
 * @param progress the steps done so far, one line each
 * @param error why it failed (state {@code failed})
 * @param nodes every node: name, role, organization, address
 * @param durable whether PostgreSQL and the block stores sync every commit to disk ({@code charter up --durable})
 */
public record NetworkStatus(String state, long pid, String startedAt, long readyMillis, List<String> progress,
        String error, String channel, String membershipUrl, List<Node> nodes, boolean durable) {

    /**
     * A node of the local network as status shows it.
     *
     * @param operations where its health and metrics are served ({@code .../health}, {@code .../prometheus}), for
     *     nodes that serve them
     */
    public record Node(String name, String role, String mspId, String host, int port, Optional<String> operations) {}

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public NetworkStatus {
        progress = List.copyOf(progress);
        nodes = List.copyOf(nodes);
    }

    public static Optional<NetworkStatus> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(Files.readString(file), NetworkStatus.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public void write(Path file) {
        NetworkLayout.writeString(file, JSON.writeValueAsString(this));
    }

    /**
     * This status as {@code up} and {@code status} print it with {@code -o json}: its fields and, with a membership
     * service, {@code networkMap}, the URL of the network map page.
     */
    Map<String, Object> json() {
        Map<String, Object> json = new java.util.LinkedHashMap<>(JSON.convertValue(this,
                new tools.jackson.core.type.TypeReference<Map<String, Object>>() {}));
        if (membershipUrl != null) {
            json.put("networkMap", StatusCommand.mapUrl(membershipUrl));
        }
        return json;
    }

    Map<String, Object> summary() {
        return Map.of("state", state, "pid", pid);
    }
}
