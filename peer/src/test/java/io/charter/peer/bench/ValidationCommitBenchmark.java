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
 * block n+1 run while block n is committed (a pipeline of depth one).
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
            List<Double> rates = new ArrayList<>();
            List<Double> ceilings = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                double ceiling = verificationsPerSecond(fixture, verifier, cores, 3_000);
                ceilings.add(ceiling);
                DataSource dataSource = databases.dataSource(databases.createDatabase());
                Result result = runOnce(fixture, dataSource, chain);
                double rate = (double) blocks * txPerBlock / result.seconds;
                rates.add(rate);
                System.out.printf(Locale.ROOT,
                        "run %d: %.0f tx/s (%.2f s), ceiling %.0f verifications/s = %.0f tx/s, ratio %.0f%%;"
                                + " stateless checks %.2f s, MVCC+commit %.2f s, waiting for checks %.2f s%n",
                        run, rate, result.seconds, ceiling, ceiling / 3, 100 * rate / (ceiling / 3),
                        result.prevalidateSeconds, result.commitSeconds, result.waitSeconds);
            }
            double[] sortedRates = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] sortedCeilings = ceilings.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = median(sortedRates);
            double medianCeiling = median(sortedCeilings);
            String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst().map(l -> l.replaceFirst(".*:\\s*", "")).orElse("?");
            System.out.println();
            System.out.printf(Locale.ROOT, "RESULT validation+commit: median %.0f tx/s (min %.0f, max %.0f) over %d runs of %d blocks x %d tx%n",
                    median, sortedRates[0], sortedRates[sortedRates.length - 1], runs, blocks, txPerBlock);
            System.out.printf(Locale.ROOT, "RESULT signature ceiling: median %.0f verifications/s on %d threads (min %.0f, max %.0f) = %.0f tx/s at 3 per tx%n",
                    medianCeiling, cores, sortedCeilings[0], sortedCeilings[sortedCeilings.length - 1], medianCeiling / 3);
            System.out.printf(Locale.ROOT, "RESULT ratio to ceiling: %.0f%%%n", 100 * median / (medianCeiling / 3));
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

    private record Result(double seconds, double prevalidateSeconds, double commitSeconds, double waitSeconds) {}

    private static Result runOnce(ChannelFixture fixture, DataSource dataSource, List<Block> chain) throws Exception {
        try (TestPeer peer = new TestPeer(dataSource, fixture)) {
            ExecutorService ahead = Executors.newSingleThreadExecutor();
            LongAdder prevalidateNanos = new LongAdder();
            long commitNanos = 0;
            long waitNanos = 0;
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
                CommitResult result = peer.committer.commit(current);
                commitNanos += System.nanoTime() - commitStart;
                if (!(result instanceof CommitResult.Committed committed) || committed.validCount() != current.transactions().size()) {
                    throw new IllegalStateException("block " + i + " did not commit fully: " + result);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            ahead.shutdown();
            return new Result(seconds, prevalidateNanos.sum() / 1e9, commitNanos / 1e9, waitNanos / 1e9);
        }
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

    /** Verifications per second of real endorsement signatures on {@code threads} threads for about {@code millis}. */
    private static double verificationsPerSecond(ChannelFixture fixture, EcdsaVerifier verifier, int threads, long millis)
            throws Exception {
        ByteString payload = ByteString.copyFrom(new byte[300]);
        ByteString endorser = ChannelFixture.identity(fixture.peer1);
        byte[] signed = Endorsements.signedBytes(payload, endorser);
        byte[] signature = EcdsaSigner.of(fixture.peer1.keys()).sign(signed);
        PublicKey key = KeyFactory.getInstance("EC", verifier.provider().jcaProvider())
                .generatePublic(new X509EncodedKeySpec(fixture.peer1.certificate().getPublicKey().getEncoded()));
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder count = new LongAdder();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    if (!verifier.verify(key, signed, signature)) {
                        throw new IllegalStateException("the reference signature does not verify");
                    }
                    count.increment();
                }
            }));
        }
        Thread.sleep(500); // warm-up
        long startCount = count.sum();
        long start = System.nanoTime();
        Thread.sleep(millis);
        long verified = count.sum() - startCount;
        double seconds = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        return verified / seconds;
    }
}
