package io.charter.orderer.service;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.CryptoProviders;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.protocol.OrdererMethodNames;
import io.charter.common.transport.TransportClient;
import io.charter.orderer.blockstore.BlockStoreOptions;
import io.charter.orderer.channel.ChannelObserver;
import io.charter.orderer.testing.OrdererCluster;
import io.charter.protocol.BroadcastResponse;
import io.charter.protocol.BroadcastStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ordering service alone, measured (not a test): three whole orderers in this JVM on loopback
 * (Raft over gRPC with mutual TLS, block stores on disk), K clients broadcasting pre-signed envelopes
 * over the Netty mutual-TLS transport, spread over the three orderers (followers forward to the
 * leader), each client keeping one call in flight. Every envelope is fully checked at the receiving
 * orderer (creator certificate, signature, Writers). Reports envelopes/s, the leader's block commit
 * latency (cut to stored after Raft commit) and the broadcast latency seen by clients; and, first, the
 * machine's ECDSA P-256 verification ceiling with the same provider on all cores.
 *
 * <pre>./mvnw -B -pl orderer -am -DskipTests -Pordering-bench verify -Dordering.bench.args="--runs 3 --envelopes 30000 --clients 1000"</pre>
 */
public final class OrderingBenchmark {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>(Map.of("runs", "3", "envelopes", "30000", "clients", "1000",
                "envelope-bytes", "1024", "max-count", "500", "timeout-ms", "200", "fsync", "true", "warmup", "5000", "via", "all"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int runs = Integer.parseInt(options.get("runs"));
        int count = Integer.parseInt(options.get("envelopes"));
        int clients = Integer.parseInt(options.get("clients"));
        int size = Integer.parseInt(options.get("envelope-bytes"));
        int maxCount = Integer.parseInt(options.get("max-count"));
        int timeoutMs = Integer.parseInt(options.get("timeout-ms"));
        boolean fsync = Boolean.parseBoolean(options.get("fsync"));
        int warmup = Integer.parseInt(options.get("warmup"));
        boolean leaderOnly = options.get("via").equals("leader");
        System.out.printf("ordering benchmark: %s; JDK %s; %d cores; provider %s%n", options,
                Runtime.version(), Runtime.getRuntime().availableProcessors(), CryptoProviders.preferred());
        int cores = Runtime.getRuntime().availableProcessors();
        List<double[]> results = new ArrayList<>();
        List<Double> ceilings = new ArrayList<>();
        List<Double> verificationCpu = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            double ceiling = verifyCeiling(cores);
            ceilings.add(ceiling);
            System.out.printf("run %d: verification ceiling %.0f verifications/s on %d threads; load average %s%n",
                    run, ceiling, cores, loadAverage());
            double[] r = run(run, count, clients, size, maxCount, timeoutMs, fsync, warmup, leaderOnly);
            results.add(r);
            verificationCpu.add(lastVerificationCpuMicros);
            System.out.printf("run %d: %.0f envelopes/s = %.0f %% of the ceiling; CPU %.0f us per envelope (whole JVM: clients,"
                            + " 3 orderers), of which one verification %.0f us; %d cores alone would bound it at %.0f envelopes/s%n",
                    run, r[0], 100 * r[0] / ceiling, r[4], lastVerificationCpuMicros, cores, cores * 1e6 / r[4]);
        }
        double[] ceilingsSorted = ceilings.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] cpu = results.stream().mapToDouble(r -> r[4]).sorted().toArray();
        double[] ratios = java.util.stream.IntStream.range(0, results.size())
                .mapToDouble(i -> results.get(i)[0] / ceilings.get(i)).sorted().toArray();
        System.out.printf("SUMMARY ceiling median %.0f (min %.0f, max %.0f) verifications/s; ratio to the ceiling median %.1f %%"
                        + " (min %.1f, max %.1f); CPU per envelope median %.0f us (min %.0f, max %.0f), per verification median %.0f us%n",
                ceilingsSorted[ceilingsSorted.length / 2], ceilingsSorted[0], ceilingsSorted[ceilingsSorted.length - 1],
                100 * ratios[ratios.length / 2], 100 * ratios[0], 100 * ratios[ratios.length - 1], cpu[cpu.length / 2],
                cpu[0], cpu[cpu.length - 1], verificationCpu.stream().mapToDouble(Double::doubleValue).sorted().toArray()[runs / 2]);
        double[] rates = results.stream().mapToDouble(r -> r[0]).sorted().toArray();
        double[] p50 = results.stream().mapToDouble(r -> r[1]).sorted().toArray();
        double[] p99 = results.stream().mapToDouble(r -> r[3]).sorted().toArray();
        System.out.printf("SUMMARY envelopes/s median %.0f (min %.0f, max %.0f); block commit p50 median %.1f ms, p99 median %.1f ms%n",
                rates[rates.length / 2], rates[0], rates[rates.length - 1], p50[p50.length / 2], p99[p99.length / 2]);
        System.exit(0);
    }

    /**
     * @param leaderOnly all clients connect to the leader (no forwarding), else they are spread over the three
     * @return envelopes/s, block commit p50, p95, p99 (ms), CPU time of this JVM per envelope (us)
     */
    static double[] run(int run, int count, int clients, int size, int maxCount, int timeoutMs, boolean fsync, int warmup,
            boolean leaderOnly) throws Exception {
        Path dir = Files.createTempDirectory("ordering-bench");
        ConcurrentLinkedQueue<Long> commitNanos = new ConcurrentLinkedQueue<>();
        AtomicLong blocks = new AtomicLong();
        AtomicLong inBlocks = new AtomicLong();
        AtomicInteger measuring = new AtomicInteger();
        ChannelObserver observer = new ChannelObserver() {
            @Override
            public void blockCommitted(String channelId, long blockNumber, int envelopes, long nanos) {
                if (measuring.get() == 1) {
                    commitNanos.add(nanos);
                    blocks.incrementAndGet();
                    inBlocks.addAndGet(envelopes);
                }
            }
        };
        try (OrdererCluster cluster = ServiceClusters.of(dir, 3, settings -> settings.withObserver(observer)
                .withBlockStore(new BlockStoreOptions(64L * 1024 * 1024, fsync)))) {
            cluster.genesis(maxCount, 2L * 1024 * 1024, 10L * 1024 * 1024, Duration.ofMillis(timeoutMs));
            cluster.startAll();
            int leader = cluster.awaitLeader();
            List<TransportClient> transports = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                if (!leaderOnly || i == leader) {
                    transports.add(cluster.connect(i, cluster.clientTls()));
                }
            }
            // the creator certificate, header and signature take the rest of the envelope
            int payload = Math.max(0, size - cluster.envelope(0).getSerializedSize());
            ByteString[] warm = sign(cluster, warmup, payload);
            blast(transports, warm, clients, null);
            ByteString[] envelopes = sign(cluster, count, payload);
            long[] latencies = new long[count];
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            measuring.set(1);
            long cpuStart = os.getProcessCpuTime();
            long start = System.nanoTime();
            int failures = blast(transports, envelopes, clients, latencies);
            long elapsed = System.nanoTime() - start;
            long cpuNanos = os.getProcessCpuTime() - cpuStart;
            measuring.set(0);
            double rate = count / (elapsed / 1e9);
            long[] commits = commitNanos.stream().mapToLong(Long::longValue).sorted().toArray();
            Arrays.sort(latencies);
            double[] result = {rate, ms(pct(commits, 0.50)), ms(pct(commits, 0.95)), ms(pct(commits, 0.99)),
                    cpuNanos / 1e3 / count};
            System.out.printf("run %d: %d envelopes of %d bytes in %.2f s = %.0f envelopes/s (%d not SUCCESS); "
                            + "%d blocks, %.0f envelopes/block; block commit p50 %.1f ms p95 %.1f ms p99 %.1f ms; "
                            + "broadcast latency p50 %.1f ms p95 %.1f ms p99 %.1f ms%n",
                    run, count, envelopes[0].size(), elapsed / 1e9, rate, failures, blocks.get(),
                    blocks.get() == 0 ? 0.0 : (double) inBlocks.get() / blocks.get(),
                    result[1], result[2], result[3],
                    ms(pct(latencies, 0.50)), ms(pct(latencies, 0.95)), ms(pct(latencies, 0.99)));
            return result;
        } finally {
            deleteQuietly(dir);
        }
    }

    private static ByteString[] sign(OrdererCluster cluster, int count, int payload) {
        ByteString[] envelopes = new ByteString[count];
        java.util.stream.IntStream.range(0, count).parallel()
                .forEach(i -> envelopes[i] = cluster.envelope(payload).toByteString());
        return envelopes;
    }

    /** K clients, each with one call in flight, taking the next envelope when their call is answered. */
    private static int blast(List<TransportClient> transports, ByteString[] envelopes, int clients, long[] latencies)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            TransportClient transport = transports.get(c % transports.size());
            new Object() {
                void send() {
                    int i = next.getAndIncrement();
                    if (i >= envelopes.length) {
                        done.countDown();
                        return;
                    }
                    long t0 = System.nanoTime();
                    transport.call(OrdererMethodNames.BROADCAST, envelopes[i], Duration.ofSeconds(60)).whenComplete((bytes, error) -> {
                        if (latencies != null) {
                            latencies[i] = System.nanoTime() - t0;
                        }
                        try {
                            if (error != null || BroadcastResponse.parseFrom(bytes).getStatus() != BroadcastStatus.SUCCESS) {
                                failures.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                        send();
                    });
                }
            }.send();
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the benchmark did not finish in 10 minutes");
        }
        return failures.get();
    }

    /** The CPU time one verification took in the last {@link #verifyCeiling} (independent of other load). */
    static volatile double lastVerificationCpuMicros;

    static double verifyCeiling(int threads) throws InterruptedException {
        KeyPair keys = io.charter.common.crypto.EcKeys.generate();
        EcdsaSigner signer = EcdsaSigner.of(keys);
        EcdsaVerifier verifier = new EcdsaVerifier();
        byte[][] messages = new byte[256][];
        byte[][] signatures = new byte[256][];
        for (int i = 0; i < messages.length; i++) {
            messages[i] = new byte[1024];
            messages[i][0] = (byte) i;
            signatures[i] = signer.sign(messages[i]);
        }
        for (int i = 0; i < 5000; i++) {
            verifier.verify(keys.getPublic(), messages[i % 256], signatures[i % 256]);
        }
        AtomicLong total = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        var threadBean = java.lang.management.ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                long n = 0;
                long cpu0 = threadBean.getCurrentThreadCpuTime();
                while (System.nanoTime() < end) {
                    if (!verifier.verify(keys.getPublic(), messages[(int) (n % 256)], signatures[(int) (n % 256)])) {
                        throw new IllegalStateException("verification failed");
                    }
                    n++;
                }
                total.addAndGet(n);
                cpuNanos.addAndGet(threadBean.getCurrentThreadCpuTime() - cpu0);
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        lastVerificationCpuMicros = cpuNanos.get() / 1e3 / total.get();
        return total.get() / 3.0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return String.format("%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static long pct(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // temp files
        }
    }

    private OrderingBenchmark() {}

}
