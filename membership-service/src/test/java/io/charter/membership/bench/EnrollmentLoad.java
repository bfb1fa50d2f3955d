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
 * <p>By default it starts PostgreSQL in a container ({@code TEST_POSTGRES_IMAGE}) and the service in a JVM
 * of its own (same class path; {@code --service-jvm-args} adds JVM options, for example to record JFR), so
 * that the load generator's heap, GC and JIT are not the service's; {@code --service inline} runs the
 * service in this JVM as earlier versions did. With {@code --url https://host:port --root root.pem
 * --admin-secret S} it targets a running service instead. Each run also prints the CPU time per enrollment
 * of the service, of the load generator and of the whole machine (PostgreSQL, docker-proxy and
 * neighbours included), and how busy the machine was. It enrolls the bootstrap admin, creates an organization, registers
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
                   String adminSecret, int serverThreads, boolean inline, int poolSize, List<String> serviceJvmArgs) {

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("usage: [--runs N] [--count N] [--clients K] [--warmup N]"
                            + " [--server-threads N] [--pool N] [--service fork|inline] [--service-jvm-args 'ARGS']"
                            + " [--url https://host:port --root root.pem --admin-id ID --admin-secret S]");
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
                    Integer.parseInt(values.getOrDefault("server-threads", "0")),
                    switch (values.getOrDefault("service", "fork")) {
                        case "fork" -> false;
                        case "inline" -> true;
                        default -> throw new IllegalArgumentException("--service is fork or inline");
                    },
                    Integer.parseInt(values.getOrDefault("pool", "0")),
                    Arrays.stream(values.getOrDefault("service-jvm-args", "").split(" ")).filter(a -> !a.isBlank()).toList());
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
        ConfigurableApplicationContext inline = null;
        Process forked = null;
        try {
            String base;
            X509Certificate root;
            if (options.url() != null) {
                base = options.url();
                root = TestClient.certificates(Files.readString(options.root())).getLast();
            } else if (options.inline()) {
                inline = startInline(options);
                base = "https://localhost:" + inline.getEnvironment().getProperty("local.server.port");
                root = inline.getBean(io.charter.membership.MembershipCore.class).rootCertificate();
            } else {
                int port = freePort();
                forked = startForked(options, port);
                base = "https://localhost:" + port;
                root = awaitForked(forked, base);
            }
            run(options, base, root, forked);
        } finally {
            if (inline != null) {
                inline.close();
            }
            if (forked != null) {
                forked.destroy();
                forked.waitFor();
            }
            // The shared PostgreSQL container stops in its shutdown hook.
        }
    }

    /** The service's properties: the tests' ones, quieter, with the requested pool and thread sizes. */
    private static Map<String, String> serviceProperties(Options options, int port) {
        Map<String, String> properties = new HashMap<>(MembershipTestBase.properties());
        if (options.serverThreads() > 0) {
            properties.put("server.tomcat.threads.max", Integer.toString(options.serverThreads()));
            properties.put("server.tomcat.threads.min-spare", Integer.toString(options.serverThreads()));
        }
        if (options.poolSize() > 0) {
            properties.put("charter.membership.database.maximum-pool-size", Integer.toString(options.poolSize()));
        } else {
            properties.remove("charter.membership.database.maximum-pool-size"); // the service's default
        }
        properties.put("server.port", Integer.toString(port));
        properties.put("charter.membership.bootstrap-admin.max-enrollments", "100");
        properties.put("logging.level.root", "WARN");
        properties.put("spring.main.banner-mode", "off");
        return properties;
    }

    private static String[] arguments(Map<String, String> properties) {
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    /** The service in this JVM (the load generator's threads then share its heap, JIT and GC). */
    private static ConfigurableApplicationContext startInline(Options options) {
        return new SpringApplicationBuilder(MembershipServiceApplication.class)
                .run(arguments(serviceProperties(options, 0)));
    }

    /** The service in its own JVM, on this JVM's class path; its output goes to target/enroll-load-service.log. */
    private static Process startForked(Options options, int port) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx1g", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        command.addAll(options.serviceJvmArgs());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MembershipServiceApplication.class.getName()));
        command.addAll(List.of(arguments(serviceProperties(options, port))));
        Path log = Path.of("target", "enroll-load-service.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "stop-service"));
        System.out.printf(Locale.ROOT, "service: pid %d on port %d, log %s%n", process.pid(), port, log);
        return process;
    }

    /** Waits until the forked service has bootstrapped (its root is in the database) and answers. */
    private static X509Certificate awaitForked(Process process, String base) throws Exception {
        var postgres = SharedPostgres.get();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        X509Certificate root = null;
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (root == null) {
                try (var c = java.sql.DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(),
                        postgres.getPassword());
                     var s = c.prepareStatement("select certificate from certificate_authority where id = 'root'")) {
                    var rows = s.executeQuery();
                    if (rows.next()) {
                        root = io.charter.membership.ca.CertificateAuthorities.parseCertificate(rows.getBytes(1));
                    }
                } catch (java.sql.SQLException notYet) {
                    // schema not migrated yet
                }
            }
            if (root != null) {
                try {
                    if (new TestClient(base, root).get("/actuator/health/readiness", TestClient.NONE).status() == 200) {
                        return root;
                    }
                } catch (RuntimeException notListening) {
                    // not listening yet
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the service did not become ready (alive: " + process.isAlive()
                + "); see target/enroll-load-service.log");
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void run(Options options, String base, X509Certificate root, Process forked) throws Exception {
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
            System.out.println("run  enrollments  seconds  enrollments/s  p50 ms  p95 ms  p99 ms  max ms  failures"
                    + "  | cpu ms/enrollment: service postgres proxy loadgen machine | machine busy %  load avg");
            for (int r = 0; r < runs.size(); r++) {
                CpuSample before = CpuSample.take(forked);
                RunResult result = enrollAll(r + 1, base, runs.get(r), connections, pool);
                CpuSample after = CpuSample.take(forked);
                results.add(result);
                print(String.valueOf(result.run()), result, after.since(before, result.count()));
            }
            long[] all = results.stream().flatMapToLong(res -> Arrays.stream(res.latenciesNanos())).sorted().toArray();
            double seconds = results.stream().mapToDouble(RunResult::seconds).sum();
            int failures = results.stream().mapToInt(RunResult::failures).sum();
            print("all", new RunResult(0, all.length, seconds, all, failures), "");
        } finally {
            connections.forEach(HttpClient::close);
        }
    }

    private static void print(String label, RunResult r, String cpu) {
        System.out.printf(Locale.ROOT, "%-4s %11d  %7.2f  %13.0f  %6.1f  %6.1f  %6.1f  %6.1f  %8d  %s%n", label, r.count(),
                r.seconds(), r.perSecond(), r.percentileMillis(50), r.percentileMillis(95), r.percentileMillis(99),
                r.maxMillis(), r.failures(), cpu);
    }

    /**
     * CPU time so far of the forked service, of this JVM, of the PostgreSQL container (its cgroup), of the
     * docker-proxy processes that forward the container's port, and of the whole machine (busy jiffies of
     * /proc/stat, which include any neighbour's work), to tell where a run's CPU went.
     */
    private record CpuSample(long serviceNanos, long selfNanos, long postgresNanos, long proxyNanos,
                             long machineBusyTicks, long machineTotalTicks) {

        private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

        static CpuSample take(Process service) {
            long serviceNanos = service == null ? -1
                    : service.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
            long selfNanos = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
            long busy = -1;
            long total = -1;
            try {
                String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
                total = 0;
                for (int i = 1; i < fields.length && i <= 8; i++) {
                    total += Long.parseLong(fields[i]);
                }
                busy = total - Long.parseLong(fields[4]) - Long.parseLong(fields[5]); // minus idle and iowait
            } catch (IOException | RuntimeException ignored) {
                // not Linux
            }
            return new CpuSample(serviceNanos, selfNanos, readPostgresNanos(), readProxyNanos(), busy, total);
        }

        /** The container's cgroup CPU time (cgroup v1 cpuacct or v2 cpu.stat), -1 when not readable. */
        private static long readPostgresNanos() {
            String id = SharedPostgres.get().getContainerId();
            try {
                for (Path v1 : List.of(Path.of("/sys/fs/cgroup/cpuacct/docker", id, "cpuacct.usage"),
                        Path.of("/sys/fs/cgroup/cpu,cpuacct/docker", id, "cpuacct.usage"))) {
                    if (Files.exists(v1)) {
                        return Long.parseLong(Files.readString(v1).trim());
                    }
                }
                Path v2 = Path.of("/sys/fs/cgroup/system.slice", "docker-" + id + ".scope", "cpu.stat");
                if (Files.exists(v2)) {
                    return Files.readAllLines(v2).stream().filter(l -> l.startsWith("usage_usec "))
                            .mapToLong(l -> Long.parseLong(l.substring(11).trim()) * 1000).findFirst().orElse(-1);
                }
            } catch (IOException | RuntimeException ignored) {
                // not readable here
            }
            return -1;
        }

        /** user + system time of every docker-proxy process. */
        private static long readProxyNanos() {
            long ticks = 0;
            try (var processes = Files.list(Path.of("/proc"))) {
                for (Path dir : processes.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                    try {
                        String stat = Files.readString(dir.resolve("stat"));
                        if (!stat.contains("(docker-proxy)")) {
                            continue;
                        }
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                    } catch (IOException | RuntimeException gone) {
                        // the process ended meanwhile
                    }
                }
            } catch (IOException | RuntimeException ignored) {
                return -1;
            }
            return (long) (ticks * 1e9 / TICKS_PER_SECOND);
        }

        String since(CpuSample before, int enrollments) {
            double machineMillis = (machineBusyTicks - before.machineBusyTicks) * 1000.0 / TICKS_PER_SECOND;
            double busyPercent = 100.0 * (machineBusyTicks - before.machineBusyTicks)
                    / Math.max(1, machineTotalTicks - before.machineTotalTicks);
            String load = "?";
            try {
                load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            } catch (IOException ignored) {
                // not Linux
            }
            return String.format(Locale.ROOT, "| %s %s %s %s %.2f | %.0f  %s",
                    perEnrollment(serviceNanos, before.serviceNanos, enrollments),
                    perEnrollment(postgresNanos, before.postgresNanos, enrollments),
                    perEnrollment(proxyNanos, before.proxyNanos, enrollments),
                    perEnrollment(selfNanos, before.selfNanos, enrollments),
                    machineMillis / enrollments, busyPercent, load);
        }

        private static String perEnrollment(long after, long before, int enrollments) {
            return after < 0 || before < 0 ? "-" : String.format(Locale.ROOT, "%.2f", (after - before) / 1e6 / enrollments);
        }
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
        System.out.printf(Locale.ROOT, "target: %s (%s)%n", base, options.url() != null ? "external service"
                : options.inline() ? "service in this JVM, PostgreSQL in a container"
                : "service in its own JVM, PostgreSQL in a container");
        System.out.printf(Locale.ROOT, "cpu: %s, %d cores visible to the JVM%n", cpu, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "jdk: %s %s; providers: %s%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), Arrays.stream(Security.getProviders()).limit(4)
                        .map(p -> p.getName()).toList());
        System.out.printf(Locale.ROOT, "load: %d runs x %d enrollments, %d concurrent HTTPS/1.1 keep-alive clients,"
                + " TLS 1.3, JSON body with a PEM P-256 CSR; server threads %s%n", options.runs(), options.count(),
                options.clients(), options.serverThreads() > 0 ? options.serverThreads() : "Tomcat's default (200 max)");
    }
}
