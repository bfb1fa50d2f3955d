package io.charter.client.network;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.charter.common.health.Readiness;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * One local node's operations endpoints, on 127.0.0.1 over plain HTTP, at the paths its Spring shell serves in a
 * deployment, so that the probes and dashboards used in production can be tried on the local network:
 * {@code /actuator/health/liveness} (the host runs), {@code /actuator/health} and {@code /actuator/health/readiness}
 * (the node's readiness, computed by its core as the shell does; 503 when DOWN) and {@code /actuator/prometheus}
 * (its meters, with the shell's metric names). Read-only: every other method or path is refused.
 */
final class NodeOperations implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService executor;

    private NodeOperations(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Serves {@code node}'s endpoints on 127.0.0.1:{@code port}.
     *
     * @param indicator the readiness indicator's name in the health document ({@code peer}, {@code ordering}), as
     *     the node's shell names it
     */
    static NodeOperations start(String node, int port, String indicator, Supplier<Readiness> readiness,
            PrometheusMeterRegistry metrics) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        // one thread: a scrape or a probe at a time is all a local network needs, and it bounds what callers hold
        ExecutorService executor = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
                .name("operations-" + node).factory());
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                answer(exchange, indicator, readiness, metrics);
            }
        });
        server.start();
        return new NodeOperations(server, executor);
    }

    private static void answer(HttpExchange exchange, String indicator, Supplier<Readiness> readiness,
            PrometheusMeterRegistry metrics) throws IOException {
        exchange.getRequestBody().close(); // nothing is read from a request
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            send(exchange, 405, "application/json", "{\"error\":\"METHOD_NOT_ALLOWED\"}");
            return;
        }
        switch (exchange.getRequestURI().getPath()) {
            case "/actuator/health/liveness" -> send(exchange, 200, "application/json", "{\"status\":\"UP\"}");
            case "/actuator/health", "/actuator/health/readiness" -> {
                Readiness now = readiness.get();
                Map<String, Object> component = new LinkedHashMap<>();
                component.put("status", now.status());
                component.put("details", Map.of("channels", now.channels()));
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("status", now.status());
                document.put("components", Map.of(indicator, component));
                send(exchange, now.ready() ? 200 : 503, "application/json", JSON.writeValueAsString(document));
            }
            case "/actuator/prometheus" -> send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
            default -> send(exchange, 404, "application/json", "{\"error\":\"NOT_FOUND\",\"paths\":[\"/actuator/health\","
                    + "\"/actuator/health/liveness\",\"/actuator/health/readiness\",\"/actuator/prometheus\"]}");
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
