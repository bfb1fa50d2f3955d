package io.charter.peer.bench;

import static io.charter.peer.testing.ChannelFixture.CONTRACT;
import static io.charter.peer.testing.ChannelFixture.ns;
import static io.charter.peer.testing.ChannelFixture.readAbsent;
import static io.charter.peer.testing.ChannelFixture.rwset;
import static io.charter.peer.testing.ChannelFixture.write;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.protocol.Endorsements;
import io.charter.common.testing.TestPki;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerDatabases;
import io.charter.peer.testing.TestPeer;
import io.charter.peer.validation.CommitResult;
import io.charter.peer.validation.PrevalidatedBlock;
import io.charter.protocol.Block;
import io.charter.protocol.BlockHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Validation and commit of pre-built blocks on one peer against PostgreSQL, in transactions/s, next to
 * the signature-verification ceiling of this machine measured in the same run. Not a test.
 *
 * <p>Blocks: 500 transactions (configurable), each by a client of Org1 or Org2, endorsed by a peer of
 * Org1 and one of Org2 under AND('Org1.peer', 'Org2.peer'), reading one absent key and writing it with
 * a 1 KB JSON value. Every run commits the same blocks into a fresh database; the stateless checks of
 * block n+1 run while block n is committed (a pipeline of depth one). An uncounted warm-up run comes
 * first. Besides wall-clock rates, which depend on what else the machine runs, each run reports CPU
 * time per transaction (the JVM's by thread group, PostgreSQL's from /proc, one verification's on the
 * ceiling threads), from which the rate two idle cores would sustain follows.
 *
 * <p>{@code ./mvnw -B -pl peer -am -Ppeer-bench -DskipTests verify [-Dbench.args="blocks runs txPerBlock valueBytes"]}
 */
public final class ValidationCommitBenchmark {

    public static void main(String[] args) throws Exception {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int txPerBlock = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int valueBytes = args.length > 3 ? Integer.parseInt(args[3]) : 1024;
        int cores = Runtime.getRuntime().availableProcessors();

        ChannelFixture fixture = new ChannelFixture();
        EcdsaVerifier verifier = new EcdsaVerifier();
        System.out.printf("building %d blocks of %d transactions...%n", blocks, txPerBlock);
        List<Block> chain = build(fixture, blocks, txPerBlock, valueBytes);
        long envelopeBytes = chain.stream().mapToLong(b -> b.getData().getSerializedSize()).sum() / blocks / txPerBlock;

        try (PeerDatabases databases = PeerDatabases.start()) {
            String fsync;
            try (Connection c = databases.dataSource(databases.createDatabase()).getConnection();
                 Statement s = c.createStatement(); ResultSet r = s.executeQuery("show fsync")) {
                r.next();
                fsync = r.getString(1);
            }
            long postgresPid = postgresPid(databases);
            List<Double> rates = new ArrayList<>();
            List<Double> ceilings = new ArrayList<>();
            List<Double> statelessRates = new ArrayList<>();
            List<Double> verifyCpuMicros = new ArrayList<>();
            List<Double> idleEstimates = new ArrayList<>();
            // One uncounted run first, so that the counted ones measure compiled code, not the JIT at work.
            System.out.println("warm-up run (not counted)...");
            verificationsPerSecond(fixture, verifier, cores, 1_000);
            runOnce(fixture, databases.dataSource(databases.createDatabase()), chain, postgresPid);
            for (int run = 1; run <= runs; run++) {
                double[] measured = verificationsPerSecond(fixture, verifier, cores, 3_000);
                double ceiling = measured[0];
                verifyCpuMicros.add(measured[1]);
                ceilings.add(ceiling);
                DataSource dataSource = databases.dataSource(databases.createDatabase());
                Result result = runOnce(fixture, dataSource, chain, postgresPid);
                double transactions = (double) blocks * txPerBlock;
                double rate = transactions / result.seconds;
                rates.add(rate);
                statelessRates.add(result.statelessRate);
                if (result.postgresCpuNanos >= 0) {
                    // What two idle cores would sustain: both busy with the CPU this run spent per transaction.
                    idleEstimates.add(cores * 1e9 * transactions / (result.jvmCpuNanos + result.postgresCpuNanos));
                }
                System.out.printf(Locale.ROOT,
                        "run %d: %.0f tx/s (%.2f s), ceiling %.0f verifications/s = %.0f tx/s, ratio %.0f%%;"
                                + " stateless checks %.2f s, MVCC+commit %.2f s, waiting for checks %.2f s;"
                                + " CPU per tx: peer JVM %.0f us (stateless checks %.0f us, commit thread %.0f us), PostgreSQL %s,"
                                + " 3 verifications %.0f us;"
                                + " stateless checks alone (no commit) %.0f tx/s = %.0f%% of the ceiling; load average %.1f%n",
                        run, rate, result.seconds, ceiling, ceiling / 3, 100 * rate / (ceiling / 3),
                        result.prevalidateSeconds, result.commitSeconds, result.waitSeconds,
                        result.jvmCpuNanos / transactions / 1e3, result.statelessCpuNanos / transactions / 1e3,
                        result.commitCpuNanos / transactions / 1e3,
                        result.postgresCpuNanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f us", result.postgresCpuNanos / transactions / 1e3),
                        3 * measured[1],
                        result.statelessRate, 100 * result.statelessRate / (ceiling / 3),
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
            double[] sortedRates = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] sortedCeilings = ceilings.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = median(sortedRates);
            double medianCeiling = median(sortedCeilings);
            double[] sortedStateless = statelessRates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst().map(l -> l.replaceFirst(".*:\\s*", "")).orElse("?");
            System.out.println();
            System.out.printf(Locale.ROOT, "RESULT validation+commit: median %.0f tx/s (min %.0f, max %.0f) over %d runs of %d blocks x %d tx%n",
                    median, sortedRates[0], sortedRates[sortedRates.length - 1], runs, blocks, txPerBlock);
            System.out.printf(Locale.ROOT, "RESULT signature ceiling: median %.0f verifications/s on %d threads (min %.0f, max %.0f) = %.0f tx/s at 3 per tx%n",
                    medianCeiling, cores, sortedCeilings[0], sortedCeilings[sortedCeilings.length - 1], medianCeiling / 3);
            System.out.printf(Locale.ROOT, "RESULT ratio to ceiling: %.0f%%%n", 100 * median / (medianCeiling / 3));
            double medianVerifyMicros = median(verifyCpuMicros.stream().mapToDouble(Double::doubleValue).sorted().toArray());
            System.out.printf(Locale.ROOT, "RESULT CPU per verification (ceiling threads): median %.1f us = %.0f verifications/s per idle core%n",
                    medianVerifyMicros, 1e6 / medianVerifyMicros);
            if (!idleEstimates.isEmpty()) {
                double[] sortedIdle = idleEstimates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf(Locale.ROOT, "RESULT CPU-bound estimate for %d idle cores (JVM + PostgreSQL CPU per tx): median %.0f tx/s"
                                + " (min %.0f, max %.0f); CPU ceiling %.0f tx/s (3 verifications per tx)%n",
                        cores, median(sortedIdle), sortedIdle[0], sortedIdle[sortedIdle.length - 1],
                        cores * 1e6 / (3 * medianVerifyMicros));
            }
            System.out.printf(Locale.ROOT, "RESULT stateless checks alone: median %.0f tx/s (min %.0f, max %.0f) = %.0f%% of the ceiling%n",
                    median(sortedStateless), sortedStateless[0], sortedStateless[sortedStateless.length - 1],
                    100 * median(sortedStateless) / (medianCeiling / 3));
            System.out.printf("conditions: CPU %s, %d cores, JDK %s (%s), provider %s, %d tx/block, %d B values (JSON),"
                            + " ~%d B per envelope, policy AND('Org1.peer','Org2.peer'), PostgreSQL %s fsync=%s%n",
                    cpu, cores, System.getProperty("java.version"), System.getProperty("java.vm.name"), verifier.provider(),
                    txPerBlock, valueBytes, envelopeBytes, databases.container().getDockerImageName(), fsync);
        }
        System.exit(0);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private record Result(double seconds, double prevalidateSeconds, double commitSeconds, double waitSeconds,
                          long jvmCpuNanos, long statelessCpuNanos, long commitCpuNanos, long postgresCpuNanos,
                          double statelessRate) {}

    private static Result runOnce(ChannelFixture fixture, DataSource dataSource, List<Block> chain, long postgresPid)
            throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        try (TestPeer peer = new TestPeer(dataSource, fixture)) {
            ExecutorService ahead = Executors.newSingleThreadExecutor();
            LongAdder prevalidateNanos = new LongAdder();
            long commitNanos = 0;
            long commitCpuNanos = 0;
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long waitNanos = 0;
            Map<Long, Long> threadCpuStart = threadCpu();
            long jvmCpuStart = os.getProcessCpuTime();
            long postgresCpuStart = postgresCpuNanos(postgresPid);
            long start = System.nanoTime();
            CompletableFuture<PrevalidatedBlock> next = prevalidate(peer, chain.get(0), ahead, prevalidateNanos);
            for (int i = 0; i < chain.size(); i++) {
                long waitStart = System.nanoTime();
                PrevalidatedBlock current = next.join();
                waitNanos += System.nanoTime() - waitStart;
                if (i + 1 < chain.size()) {
                    next = prevalidate(peer, chain.get(i + 1), ahead, prevalidateNanos);
                }
                long commitStart = System.nanoTime();
                long commitCpuStart = threads.getCurrentThreadCpuTime();
                CommitResult result = peer.committer.commit(current);
                commitNanos += System.nanoTime() - commitStart;
                commitCpuNanos += threads.getCurrentThreadCpuTime() - commitCpuStart;
                if (!(result instanceof CommitResult.Committed committed) || committed.validCount() != current.transactions().size()) {
                    throw new IllegalStateException("block " + i + " did not commit fully: " + result);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long jvmCpu = os.getProcessCpuTime() - jvmCpuStart;
            Map<String, Long> threadCpu = threadCpuByGroup(threadCpuStart);
            long javaThreads = threadCpu.values().stream().mapToLong(Long::longValue).sum();
            threadCpu.put("JVM-internal (GC, JIT)", jvmCpu - javaThreads);
            double perTx = chain.size() * (double) chain.getFirst().getData().getEnvelopesCount() * 1e3;
            StringBuilder groups = new StringBuilder("  JVM CPU per tx by thread group:");
            threadCpu.entrySet().stream().filter(e -> e.getValue() / perTx >= 1)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> groups.append(String.format(Locale.ROOT, " %s %.0f us;", e.getKey(), e.getValue() / perTx)));
            System.out.println(groups);
            long postgresCpuEnd = postgresCpuNanos(postgresPid);
            long postgresCpu = postgresCpuStart < 0 || postgresCpuEnd < 0 ? -1 : postgresCpuEnd - postgresCpuStart;
            ahead.shutdown();
            // The same blocks once more through the stateless checks only: what validation alone reaches.
            long statelessStart = System.nanoTime();
            long statelessCpuStart = os.getProcessCpuTime();
            for (Block block : chain) {
                if (peer.validator.prevalidate(block).isRefused()) {
                    throw new IllegalStateException("block " + block.getHeader().getNumber() + " refused");
                }
            }
            double statelessRate = chain.size() * (double) chain.getFirst().getData().getEnvelopesCount()
                    / ((System.nanoTime() - statelessStart) / 1e9);
            long statelessCpu = os.getProcessCpuTime() - statelessCpuStart;
            return new Result(seconds, prevalidateNanos.sum() / 1e9, commitNanos / 1e9, waitNanos / 1e9, jvmCpu,
                    statelessCpu, commitCpuNanos, postgresCpu, statelessRate);
        }
    }

    /** CPU time of each live Java thread, by thread id. */
    private static Map<Long, Long> threadCpu() {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new java.util.HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long nanos = threads.getThreadCpuTime(id);
            if (nanos > 0) {
                cpu.put(id, nanos);
            }
        }
        return cpu;
    }

    /**
     * CPU time the live Java threads used since {@code start}, summed by name with digits removed (one
     * entry per pool). Threads that ended meanwhile (idle pools timing out) are left out.
     */
    private static Map<String, Long> threadCpuByGroup(Map<Long, Long> start) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = new java.util.TreeMap<>();
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = threads.getThreadCpuTime(info.getThreadId()) - start.getOrDefault(info.getThreadId(), 0L);
            if (nanos > 0) {
                groups.merge(info.getThreadName().replaceAll("[0-9]+", "#"), nanos, Long::sum);
            }
        }
        return groups;
    }

    /** The PostgreSQL server's process id on this host, or -1 when its processes are not visible here. */
    private static long postgresPid(PeerDatabases databases) {
        try {
            Long pid = databases.container().getContainerInfo().getState().getPidLong();
            return pid != null && Files.exists(Path.of("/proc", pid.toString(), "stat")) ? pid : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU time of the PostgreSQL server: the postmaster's own and reaped children's time plus that of its
     * live processes (the backends serving the peer), from /proc; -1 when not visible.
     */
    private static long postgresCpuNanos(long rootPid) {
        if (rootPid < 0) {
            return -1;
        }
        long ticksPerSecond = 100; // USER_HZ on Linux
        long ticks = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String stat;
                try {
                    stat = Files.readString(dir.resolve("stat"));
                } catch (java.io.IOException gone) {
                    continue;
                }
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long pid = Long.parseLong(name);
                long ppid = Long.parseLong(fields[1]);
                if (pid == rootPid) {
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                            + Long.parseLong(fields[14]);
                } else if (ppid == rootPid) {
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return ticks * 1_000_000_000L / ticksPerSecond;
    }

    private static CompletableFuture<PrevalidatedBlock> prevalidate(TestPeer peer, Block block, ExecutorService executor,
                                                                    LongAdder nanos) {
        return CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            PrevalidatedBlock result = peer.validator.prevalidate(block);
            nanos.add(System.nanoTime() - start);
            return result;
        }, executor);
    }

    private static List<Block> build(ChannelFixture fixture, int blocks, int txPerBlock, int valueBytes) throws Exception {
        List<TestPki.Credential> clients = List.of(fixture.client1, fixture.client2);
        char[] padding = new char[Math.max(0, valueBytes - 60)];
        Arrays.fill(padding, 'x');
        String pad = new String(padding);
        List<Block> chain = new ArrayList<>();
        BlockHeader previous = fixture.genesis.getHeader();
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        for (int b = 1; b <= blocks; b++) {
            List<CompletableFuture<ByteString>> envelopes = new ArrayList<>();
            for (int i = 0; i < txPerBlock; i++) {
                String key = String.format("asset-%05d-%05d", b, i);
                String value = "{\"id\":\"" + key + "\",\"owner\":\"org" + (i % 2 + 1) + "\",\"pad\":\"" + pad + "\"}";
                TestPki.Credential client = clients.get(i % 2);
                envelopes.add(CompletableFuture.supplyAsync(() -> fixture.tx(client,
                        rwset(ns(CONTRACT).addReads(readAbsent(key)).addWrites(write(key, value))),
                        fixture.peer1, fixture.peer2).envelope(), pool));
            }
            Block block = fixture.block(previous, envelopes.stream().map(CompletableFuture::join).toList());
            chain.add(block);
            previous = block.getHeader();
        }
        pool.shutdown();
        return chain;
    }

    /**
     * Verifications per second of real endorsement signatures on {@code threads} threads for about
     * {@code millis}, and the CPU time of one verification in microseconds (from the threads' CPU clocks,
     * so it does not depend on how much of the cores other processes took).
     */
    private static double[] verificationsPerSecond(ChannelFixture fixture, EcdsaVerifier verifier, int threads, long millis)
            throws Exception {
        ByteString payload = ByteString.copyFrom(new byte[300]);
        ByteString endorser = ChannelFixture.identity(fixture.peer1);
        byte[] signed = Endorsements.signedBytes(payload, endorser);
        byte[] signature = EcdsaSigner.of(fixture.peer1.keys()).sign(signed);
        PublicKey key = KeyFactory.getInstance("EC", verifier.provider().jcaProvider())
                .generatePublic(new X509EncodedKeySpec(fixture.peer1.certificate().getPublicKey().getEncoded()));
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder count = new LongAdder();
        LongAdder measuredCount = new LongAdder();
        LongAdder cpuNanos = new LongAdder();
        var threadClock = java.lang.management.ManagementFactory.getThreadMXBean();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                long own = 0;
                long ownAtStart = -1;
                long cpuAtStart = 0;
                while (!stop.get()) {
                    if (ownAtStart < 0 && measuring.get()) {
                        ownAtStart = own;
                        cpuAtStart = threadClock.getCurrentThreadCpuTime();
                    }
                    if (!verifier.verify(key, signed, signature)) {
                        throw new IllegalStateException("the reference signature does not verify");
                    }
                    count.increment();
                    own++;
                }
                if (ownAtStart >= 0) {
                    cpuNanos.add(threadClock.getCurrentThreadCpuTime() - cpuAtStart);
                    measuredCount.add(own - ownAtStart);
                }
            }));
        }
        Thread.sleep(500); // warm-up
        measuring.set(true);
        long startCount = count.sum();
        long start = System.nanoTime();
        Thread.sleep(millis);
        long verified = count.sum() - startCount;
        double seconds = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        return new double[] {verified / seconds, cpuNanos.sum() / 1e3 / Math.max(1, measuredCount.sum())};
    }
}
