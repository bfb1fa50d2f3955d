package io.charter.membership.bench;

import io.charter.common.crypto.EcKeys;
import io.charter.membership.app.Csrs;
import io.charter.membership.app.MembershipServiceApplication;
import io.charter.membership.testing.MembershipTestBase;
import io.charter.membership.testing.SharedPostgres;
import io.charter.membership.testing.TestClient;
import io.charter.membership.testing.TestClient.Credential;
import io.charter.membership.testing.TestClient.Response;
import io.charter.membership.testing.TestClient.Token;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A load generator (not a test) for enrollments over HTTPS.
 *
 * <p>By default it starts PostgreSQL in a container ({@code TEST_POSTGRES_IMAGE}) and the service in this
 * JVM on a random port; with {@code --url https://host:port --root root.pem --admin-secret S} it targets a
 * running service instead. It enrolls the bootstrap admin, creates an organization, registers
 * {@code count} identities that may each enroll {@code runs} times, and generates every key pair and CSR
 * before the clock starts. Then, per run, {@code clients} concurrent HTTPS clients (each one keep-alive
 * connection) enroll every identity once, and it prints enrollments/s and latency percentiles (sorted
 * latencies, no histogram approximation). A warm-up run of {@code warmup} enrollments on separate
 * identities comes first and is not reported.
 *
 * <pre>
 * ./mvnw -B -pl membership-service -am -DskipTests -Penroll-load verify \
 *     -Dload.args="--runs 5 --count 3000 --clients 16"
 * </pre>
 */
public final class EnrollmentLoad {

    record Options(int runs, int count, int clients, int warmup, String url, Path root, String adminId,
                   String adminSecret, int serverThreads) {

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("usage: [--runs N] [--count N] [--clients K] [--warmup N]"
                            + " [--server-threads N] [--url https://host:port --root root.pem --admin-id ID --admin-secret S]");
                }
                values.put(args[i].substring(2), args[++i]);
            }
            return new Options(
                    Integer.parseInt(values.getOrDefault("runs", "5")),
                    Integer.parseInt(values.getOrDefault("count", "3000")),
                    Integer.parseInt(values.getOrDefault("clients", "16")),
                    Integer.parseInt(values.getOrDefault("warmup", "3000")),
                    values.get("url"),
                    values.containsKey("root") ? Path.of(values.get("root")) : null,
                    values.getOrDefault("admin-id", TestClient.ADMIN_ID),
                    values.getOrDefault("admin-secret", TestClient.ADMIN_SECRET),
                    Integer.parseInt(values.getOrDefault("server-threads", "0")));
        }
    }

    /** One pre-built enrollment request. */
    record Prepared(String authorization, byte[] body) {}

    record RunResult(int run, int count, double seconds, long[] latenciesNanos, int failures) {

        double perSecond() {
            return count / seconds;
        }

        double percentileMillis(double p) {
            int index = (int) Math.ceil(p / 100.0 * latenciesNanos.length) - 1;
            return latenciesNanos[Math.max(0, Math.min(index, latenciesNanos.length - 1))] / 1e6;
        }

        double maxMillis() {
            return latenciesNanos[latenciesNanos.length - 1] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        ConfigurableApplicationContext service = null;
        try {
            String base;
            X509Certificate root;
            if (options.url() == null) {
                service = startService(options);
                base = "https://localhost:" + service.getEnvironment().getProperty("local.server.port");
                root = service.getBean(io.charter.membership.MembershipCore.class).rootCertificate();
            } else {
                base = options.url();
                root = TestClient.certificates(Files.readString(options.root())).getLast();
            }
            run(options, base, root);
        } finally {
            if (service != null) {
                service.close();
            }
            // The shared PostgreSQL container stops in its shutdown hook.
        }
    }

    private static ConfigurableApplicationContext startService(Options options) {
        Map<String, String> properties = new HashMap<>(MembershipTestBase.properties());
        if (options.serverThreads() > 0) {
            properties.put("server.tomcat.threads.max", Integer.toString(options.serverThreads()));
            properties.put("server.tomcat.threads.min-spare", Integer.toString(options.serverThreads()));
        }
        properties.put("server.port", "0");
        properties.put("charter.membership.bootstrap-admin.max-enrollments", "100");
        properties.put("charter.membership.database.maximum-pool-size", "16");
        properties.put("logging.level.root", "WARN");
        properties.put("spring.main.banner-mode", "off");
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        SharedPostgres.get();
        return new SpringApplicationBuilder(MembershipServiceApplication.class).run(args);
    }

    private static void run(Options options, String base, X509Certificate root) throws Exception {
        TestClient client = new TestClient(base, root);
        Credential admin = client.enroll(options.adminId(), options.adminSecret());
        String org = "Load" + UUID.randomUUID().toString().substring(0, 8) + "MSP";
        Response created = client.postJson("/api/v1/organizations", Map.of("mspId", org), new Token(admin));
        if (created.status() != 201) {
            throw new IllegalStateException("cannot create " + org + ": " + created);
        }

        System.out.printf(Locale.ROOT, "registering %d + %d identities in %s...%n", options.count(), options.warmup(), org);
        List<String[]> identities = register(client, admin, org, "load", options.count(), options.runs(), options.clients());
        List<String[]> warmupIdentities = register(client, admin, org, "warm", options.warmup(), 1, options.clients());

        System.out.printf(Locale.ROOT, "generating %d key pairs and CSRs...%n", options.count() * options.runs() + options.warmup());
        List<Prepared> warmup = prepare(warmupIdentities);
        List<List<Prepared>> runs = new ArrayList<>();
        for (int r = 0; r < options.runs(); r++) {
            runs.add(prepare(identities));
        }

        printConditions(options, base);
        List<HttpClient> connections = IntStream.range(0, options.clients())
                .mapToObj(i -> client.httpClient(null)).toList();
        try (ExecutorService pool = Executors.newFixedThreadPool(options.clients())) {
            if (!warmup.isEmpty()) {
                RunResult w = enrollAll(0, base, warmup, connections, pool);
                System.out.printf(Locale.ROOT, "warm-up: %d enrollments, %.0f/s (not counted)%n", w.count(), w.perSecond());
            }
            List<RunResult> results = new ArrayList<>();
            System.out.println("run  enrollments  seconds  enrollments/s  p50 ms  p95 ms  p99 ms  max ms  failures");
            for (int r = 0; r < runs.size(); r++) {
                RunResult result = enrollAll(r + 1, base, runs.get(r), connections, pool);
                results.add(result);
                print(String.valueOf(result.run()), result);
            }
            long[] all = results.stream().flatMapToLong(res -> Arrays.stream(res.latenciesNanos())).sorted().toArray();
            double seconds = results.stream().mapToDouble(RunResult::seconds).sum();
            int failures = results.stream().mapToInt(RunResult::failures).sum();
            print("all", new RunResult(0, all.length, seconds, all, failures));
        } finally {
            connections.forEach(HttpClient::close);
        }
    }

    private static void print(String label, RunResult r) {
        System.out.printf(Locale.ROOT, "%-4s %11d  %7.2f  %13.0f  %6.1f  %6.1f  %6.1f  %6.1f  %8d%n", label, r.count(),
                r.seconds(), r.perSecond(), r.percentileMillis(50), r.percentileMillis(95), r.percentileMillis(99),
                r.maxMillis(), r.failures());
    }

    private static List<String[]> register(TestClient client, Credential admin, String org, String prefix, int count,
                                           int maxEnrollments, int parallelism) throws Exception {
        String[][] out = new String[count][];
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(parallelism)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < parallelism; t++) {
                done.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
                        Response registered = client.postJson("/api/v1/identities", Map.of("id", id, "type", "client",
                                "organization", org, "maxEnrollments", maxEnrollments), new Token(admin));
                        if (registered.status() != 201) {
                            throw new IllegalStateException("cannot register " + id + ": " + registered);
                        }
                        out[i] = new String[] {id, registered.json().path("secret").asString()};
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        return Arrays.asList(out);
    }

    private static List<Prepared> prepare(List<String[]> identities) {
        return identities.parallelStream().map(identity -> {
            String csr = Csrs.pem(identity[0], EcKeys.generate());
            String basic = "Basic " + Base64.getEncoder().encodeToString(
                    (identity[0] + ":" + identity[1]).getBytes(StandardCharsets.UTF_8));
            return new Prepared(basic, TestClient.JSON.writeValueAsBytes(Map.of("csr", csr)));
        }).toList();
    }

    private static RunResult enrollAll(int run, String base, List<Prepared> requests, List<HttpClient> connections,
                                       ExecutorService pool) throws Exception {
        URI uri = URI.create(base + "/api/v1/enroll");
        long[] latencies = new long[requests.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (HttpClient connection : connections) {
            done.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < requests.size(); i = next.getAndIncrement()) {
                    Prepared p = requests.get(i);
                    HttpRequest request = HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .header("Authorization", p.authorization())
                            .POST(HttpRequest.BodyPublishers.ofByteArray(p.body()))
                            .build();
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = connection.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() != 200) {
                            if (failures.incrementAndGet() <= 3) {
                                System.err.println("enrollment failed: " + response.statusCode() + " "
                                        + new String(response.body(), StandardCharsets.UTF_8));
                            }
                        }
                    } catch (IOException e) {
                        failures.incrementAndGet();
                    }
                    latencies[i] = System.nanoTime() - sent;
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new RunResult(run, requests.size(), seconds, latencies, failures.get());
    }

    private static void printConditions(Options options, String base) {
        String cpu = "unknown";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException ignored) {
            // not Linux
        }
        System.out.printf(Locale.ROOT, "target: %s (%s)%n", base, options.url() == null
                ? "service in this JVM, PostgreSQL in a container" : "external service");
        System.out.printf(Locale.ROOT, "cpu: %s, %d cores visible to the JVM%n", cpu, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "jdk: %s %s; providers: %s%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), Arrays.stream(Security.getProviders()).limit(4)
                        .map(p -> p.getName()).toList());
        System.out.printf(Locale.ROOT, "load: %d runs x %d enrollments, %d concurrent HTTPS/1.1 keep-alive clients,"
                + " TLS 1.3, JSON body with a PEM P-256 CSR; server threads %s%n", options.runs(), options.count(),
                options.clients(), options.serverThreads() > 0 ? options.serverThreads() : "Tomcat's default (200 max)");
    }
}
