package io.charter.common.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A headless Chromium driven over the DevTools protocol (a WebSocket and JSON, no Selenium): open a page,
 * evaluate JavaScript in it, read its DOM, take a screenshot. The browser runs with a profile of its own
 * in a temporary folder, which {@link #close()} deletes with the process.
 *
 * <p>The browser is Debian's {@code chromium} on the {@code PATH} (or the executable named by the
 * environment variable {@code CHROMIUM}); {@code .ci/run} installs it. Test certificates are accepted
 * ({@code Security.setIgnoreCertificateErrors}): the tests' servers use a test root the browser does not
 * know. Only loopback pages should be opened.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** The browser's executable: {@code CHROMIUM}, else {@code chromium} or {@code chromium-browser} on the PATH. */
    public static Optional<Path> executable() {
        String configured = System.getenv("CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Starts the browser with a blank page of {@code width} x {@code height} CSS pixels; its output goes to
     * {@code log}.
     */
    public static HeadlessChromium start(int width, int height, Path log) throws IOException, InterruptedException {
        Path executable = executable().orElseThrow(() -> new IllegalStateException("Chromium is not installed"));
        Path profile = Files.createTempDirectory("charter-chromium-");
        List<String> command = new ArrayList<>(List.of(executable.toString(),
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
                "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
                "--hide-scrollbars", "--mute-audio", "--lang=en-US", "--force-device-scale-factor=1",
                "--window-size=" + width + "," + height,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank"));
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            int port = devToolsPort(profile, process);
            URI page = pageSocket(port);
            HeadlessChromium[] self = new HeadlessChromium[1];
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(page, new Listener(message -> self[0].receive(message)))
                    .get(30, TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(process, profile, socket);
            self[0].call("Page.enable", Map.of());
            self[0].call("Runtime.enable", Map.of());
            self[0].call("Security.setIgnoreCertificateErrors", Map.of("ignore", true));
            return self[0];
        } catch (IOException | InterruptedException | RuntimeException | ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            deleteTree(profile);
            throw e instanceof IOException io ? io : new IOException("cannot drive Chromium (log: " + log + ")", e);
        }
    }

    /** Opens {@code url} and waits until the page has loaded. */
    public void navigate(String url) {
        JsonNode answer = call("Page.navigate", Map.of("url", url));
        if (answer.has("errorText")) {
            throw new IllegalStateException("cannot open " + url + ": " + answer.path("errorText").asString());
        }
        await(Duration.ofSeconds(30), () -> "complete".equals(evaluate("document.readyState").asString()));
    }

    /** Evaluates a JavaScript expression (awaiting a promise) and answers its value as JSON. */
    public JsonNode evaluate(String expression) {
        JsonNode answer = call("Runtime.evaluate", Map.of("expression", expression, "awaitPromise", true,
                "returnByValue", true));
        if (answer.has("exceptionDetails")) {
            JsonNode details = answer.path("exceptionDetails");
            throw new IllegalStateException("JavaScript failed: " + details.path("exception").path("description")
                    .asString(details.path("text").asString()));
        }
        return answer.path("result").path("value");
    }

    /** The page's DOM as HTML. */
    public String dom() {
        return evaluate("document.documentElement.outerHTML").asString();
    }

    /** Waits until {@code condition} holds, polling. */
    public void await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page did not get there within " + timeout + "; its DOM:\n" + dom());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A PNG of the whole page (beyond the window when the page is taller). */
    public byte[] screenshot() {
        JsonNode answer = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        return Base64.getDecoder().decode(answer.path("data").asString());
    }

    /** Sends one DevTools command and answers its result. */
    public JsonNode call(String method, Map<String, ?> params) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        try {
            socket.sendText(JSON.writeValueAsString(message), true).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonNode reply = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + " failed: " + reply.path("error"));
            }
            return reply.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(method + " got no answer from Chromium", e);
        } finally {
            pending.remove(id);
        }
    }

    private void receive(String text) {
        JsonNode message = JSON.readTree(text);
        if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.get(message.path("id").asLong());
            if (answer != null) {
                answer.complete(message);
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        } catch (RuntimeException ignored) {
            // the browser goes anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(profile);
    }

    private static int devToolsPort(Path profile, Process process) throws IOException, InterruptedException {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.getFirst().isBlank()) {
                    return Integer.parseInt(lines.getFirst().trim());
                }
            }
            if (!process.isAlive()) {
                throw new IOException("Chromium exited with " + process.exitValue() + " before it listened");
            }
            Thread.sleep(50);
        }
        throw new IOException("Chromium did not open its DevTools port within 60 s");
    }

    private static URI pageSocket(int port) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (JsonNode target : JSON.readTree(body)) {
                if ("page".equals(target.path("type").asString()) && target.has("webSocketDebuggerUrl")) {
                    return URI.create(target.path("webSocketDebuggerUrl").asString());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("Chromium shows no page target: " + body);
            }
            Thread.sleep(100);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a temporary folder: the system cleans it eventually
        }
    }

    /** Collects a message's fragments and hands over whole messages. */
    private static final class Listener implements WebSocket.Listener {
        private final java.util.function.Consumer<String> messages;
        private final StringBuilder partial = new StringBuilder();

        Listener(java.util.function.Consumer<String> messages) {
            this.messages = messages;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                messages.accept(message);
            }
            webSocket.request(1);
            return null;
        }
    }
}
