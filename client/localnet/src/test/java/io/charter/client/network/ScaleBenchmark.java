package io.charter.client.network;

import io.charter.common.testing.FreePorts;
import io.charter.peer.dissemination.DisseminationSettings;
import io.charter.peer.ledger.LedgerSchema;
import io.charter.peer.node.ChannelPeer;
import io.charter.peer.node.PeerNode;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerNetwork;
import io.charter.protocol.Block;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The scale benchmark of block dissemination (docs/benchmarks.md "Hybrid P2P at scale"): prints numbers, asserts
 * nothing. For each organization size N and each dissemination mode it starts, on loopback in this JVM, one embedded
 * PostgreSQL (a ledger database per peer), the orderers (Raft, mutual TLS) and two organizations of N peers each
 * ({@link PeerNetwork}), defines the fixture's contract, then orders a steady stream of blocks and measures per block:
 * the bytes the orderers send (deliver streams × block bytes), the bytes each leader and the busiest peer send
 * (push requests), and the time from the orderers' commit of a block to the last peer's commit of it (p50, p99; one
 * JVM, one clock), and the upkeep requests per second the membership service's index answers ({@link IndexUpkeep}).
 *
 * <p>Modes: {@code linear} (the leader pulls and pushes to every other peer itself), {@code tree} (the leader pulls
 * and pushes along the relay tree, fanout {@code charter.bench.fanout}), {@code pull} (every peer pulls from the
 * orderers, no super nodes). Skipped unless {@code charter.bench.scale=true} (the {@code scale-bench} profile).
 * Properties: {@code charter.bench.sizes} (1,2,4,8,16), {@code charter.bench.modes} (linear,tree,pull),
 * {@code charter.bench.seconds} (15, measured per point), {@code charter.bench.runs} (1), {@code charter.bench.orderers}
 * (1), {@code charter.bench.txs-per-block} (10), {@code charter.bench.fanout} (3), {@code charter.bench.index} (true:
 * run the membership service and each peer's index upkeep), {@code charter.bench.discovery-seconds} (30),
 * {@code charter.bench.block-interval-ms} (0: blocks back to back), {@code charter.bench.out}
 * (target/scale-bench: results.md, results.csv, scale.svg).
 */
class ScaleBenchmark {

    private static final Duration BATCH_TIMEOUT = Duration.ofMillis(100);

    record Point(String mode, int peersPerOrg, int run, int blocks, double blockBytes, double ordererBytesPerBlock,
                 double leaderBytesPerBlock, double maxPeerBytesPerBlock, double p50Millis, double p99Millis,
                 double blocksPerSecond, double indexRequestsPerSecond) {}

    @Test
    void measure() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("charter.bench.scale"), "run with -Pscale-bench");
        List<Integer> sizes = ints(System.getProperty("charter.bench.sizes", "1,2,4,8,16"));
        List<String> modes = List.of(System.getProperty("charter.bench.modes", "linear,tree,pull").split(","));
        int seconds = Integer.getInteger("charter.bench.seconds", 15);
        int runs = Integer.getInteger("charter.bench.runs", 1);
        int orderers = Integer.getInteger("charter.bench.orderers", 1);
        int txsPerBlock = Integer.getInteger("charter.bench.txs-per-block", 10);
        int fanout = Integer.getInteger("charter.bench.fanout", 3);
        Path out = Path.of(System.getProperty("charter.bench.out", "target/scale-bench"));
        Files.createDirectories(out);
        Path work = Files.createTempDirectory("charter-scale-bench");
        List<Point> points = new ArrayList<>();
        boolean withIndex = Boolean.parseBoolean(System.getProperty("charter.bench.index", "true"));
        Duration discovery = Duration.ofSeconds(Integer.getInteger("charter.bench.discovery-seconds", 30));
        try (EmbeddedDatabase database = EmbeddedDatabase.start(work.resolve("postgres"), FreePorts.loopback(),
                work.resolve("postgres-binaries"), false);
             IndexUpkeep index = withIndex ? IndexUpkeep.start(database, discovery) : null) {
            AtomicInteger databases = new AtomicInteger();
            for (int run = 1; run <= runs; run++) {
                for (int n : sizes) {
                    for (String mode : modes) {
                        Point point;
                        try {
                            point = measurePoint(database, Optional.ofNullable(index), databases,
                                    work.resolve("run" + run + "-" + mode + "-" + n), mode.trim(), n, run, seconds, orderers,
                                    txsPerBlock, fanout);
                        } catch (Exception | AssertionError e) {
                            // one size too large for the machine ends that point, not the others
                            System.out.printf(Locale.ROOT, "POINT FAILED %s %d run %d: %s%n", mode, n, run, e);
                            continue;
                        } finally {
                            // the orderer's preallocated segments and the peers' folders: gigabytes over a whole run
                            deleteTree(work.resolve("run" + run + "-" + mode.trim() + "-" + n));
                        }
                        points.add(point);
                        System.out.printf(Locale.ROOT, "POINT %s (index requests failed so far: %d)%n", point,
                                index == null ? 0 : index.failed());
                        write(out, points, orderers, txsPerBlock, fanout, seconds);
                    }
                }
            }
        }
        deleteTree(work);
        System.out.println(Files.readString(out.resolve("results.md")));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static Point measurePoint(EmbeddedDatabase database, Optional<IndexUpkeep> index, AtomicInteger databases,
                                      Path dir, String mode, int n, int run, int seconds, int orderers, int txsPerBlock,
                                      int fanout) throws Exception {
        DisseminationSettings dissemination = switch (mode) {
            case "linear" -> new DisseminationSettings(DisseminationSettings.Mode.LEADER, 0);
            case "tree" -> new DisseminationSettings(DisseminationSettings.Mode.LEADER, fanout);
            case "pull" -> new DisseminationSettings(DisseminationSettings.Mode.EVERY_PEER, fanout);
            default -> throw new IllegalArgumentException("mode linear, tree or pull, not " + mode);
        };
        int poolSize = n > 16 ? 2 : 3;
        List<String> ledgers = new ArrayList<>();
        try (PeerNetwork network = new PeerNetwork(dir, () -> {
            String name = "bench_" + databases.incrementAndGet();
            ledgers.add(name);
            return ledger(database, name, poolSize);
        }, orderers, n, BATCH_TIMEOUT)) {
            // a deployed peer's election and anti-entropy (timeout 10 s, leaders within 10 blocks, anti-entropy every 5 s), not
            // the tests' quick ones: blocks reach peers by push or deliver, and a leader a few blocks behind under load
            // keeps the lead instead of handing it over (which would have two peers of an organization deliver a while)
            network.adjustingSettings(settings -> settings.withTimings(Duration.ofSeconds(10), Duration.ofSeconds(5),
                    Duration.ofMillis(500), settings.reconnectBackoff()).withLeaderMaxLag(10).withDissemination(dissemination));
            network.startAll();
            Map<String, ChannelPeer> peers = new LinkedHashMap<>();
            network.nodes.keySet().stream().sorted().forEach(name -> peers.put(name, network.peer(name)));
            // each peer's index upkeep, as its shell does it (registration, heartbeats, discovery, leader lease)
            List<AutoCloseable> upkeep = new ArrayList<>();
            for (Map.Entry<String, ChannelPeer> peer : peers.entrySet()) {
                PeerNetwork.PeerSpec spec = network.specs.get(peer.getKey());
                ChannelPeer channel = peer.getValue();
                index.ifPresent(upkeeping -> upkeep.add(upkeeping.node(("r" + run + "-" + mode + "-" + n + "-" + spec.peerId()
                        + "-" + spec.mspId()).toLowerCase(Locale.ROOT), spec.mspId(), spec.port(), ChannelFixture.CHANNEL,
                        channel::height, () -> channel.isLeader() && !dissemination.everyPeerPulls())));
            }
            long indexStarted = System.nanoTime();
            long indexBefore = index.map(IndexUpkeep::answered).orElse(0L);
            // when the orderers commit each block, and when each peer commits it
            Map<Long, Long> ordered = new ConcurrentHashMap<>();
            Map<Long, Integer> blockBytes = new ConcurrentHashMap<>();
            Map<Long, Long> lastCommit = new ConcurrentHashMap<>();
            Map<Long, Integer> commits = new ConcurrentHashMap<>();
            long from = network.ordererHeight();
            Flow.Subscription[] subscription = new Flow.Subscription[1];
            network.channel().deliver(from).subscribe(new Flow.Subscriber<>() {
                @Override public void onSubscribe(Flow.Subscription s) {
                    subscription[0] = s;
                    s.request(Long.MAX_VALUE);
                }
                @Override public void onNext(Block block) {
                    ordered.put(block.getHeader().getNumber(), System.nanoTime());
                    blockBytes.put(block.getHeader().getNumber(), block.getSerializedSize());
                }
                @Override public void onError(Throwable t) {}
                @Override public void onComplete() {}
            });
            for (ChannelPeer peer : peers.values()) {
                peer.events().addHeightListener(height -> {
                    long now = System.nanoTime();
                    lastCommit.merge(height - 1, now, Math::max);
                    commits.merge(height - 1, 1, Integer::sum);
                });
            }
            // warm up, then count from here
            submitFor(network, Duration.ofSeconds(2), txsPerBlock);
            network.awaitConverged(Duration.ofSeconds(120));
            long first = network.ordererHeight();
            long deliveredBefore = peers.values().stream().mapToLong(p -> p.deliver().blocksReceived()).sum();
            Map<String, Long> sentBefore = peers.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().pusher().bytesSent()));
            long started = System.nanoTime();
            submitFor(network, Duration.ofSeconds(seconds), txsPerBlock);
            long elapsed = System.nanoTime() - started;
            long last = network.awaitConverged(Duration.ofSeconds(120)) - 1;
            subscription[0].cancel();
            double indexRate = index.map(i -> (i.answered() - indexBefore) / ((System.nanoTime() - indexStarted) / 1e9))
                    .orElse(Double.NaN);
            for (AutoCloseable node : upkeep) {
                node.close();
            }
            int blocks = (int) (last - first + 1);
            long delivered = peers.values().stream().mapToLong(p -> p.deliver().blocksReceived()).sum() - deliveredBefore;
            double meanBlockBytes = 0;
            List<Double> latencies = new ArrayList<>();
            for (long number = first; number <= last; number++) {
                meanBlockBytes += blockBytes.getOrDefault(number, 0);
                Long orderedAt = ordered.get(number);
                Long committed = lastCommit.get(number);
                if (orderedAt != null && committed != null && commits.getOrDefault(number, 0) == peers.size()) {
                    latencies.add((committed - orderedAt) / 1e6);
                }
            }
            meanBlockBytes /= blocks;
            double leaderBytes = 0;
            double maxPeerBytes = 0;
            int leaders = 0;
            for (Map.Entry<String, ChannelPeer> peer : peers.entrySet()) {
                double sent = peer.getValue().pusher().bytesSent() - sentBefore.get(peer.getKey());
                maxPeerBytes = Math.max(maxPeerBytes, sent / blocks);
                if (peer.getValue().isLeader() && !dissemination.everyPeerPulls()) {
                    leaderBytes += sent / blocks;
                    leaders++;
                }
            }
            double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Point(mode, n, run, blocks, meanBlockBytes, (double) delivered / blocks * meanBlockBytes,
                    leaders == 0 ? 0 : leaderBytes / leaders, maxPeerBytes, percentile(sorted, 0.50),
                    percentile(sorted, 0.99), blocks / (elapsed / 1e9), indexRate);
        } finally {
            // the network closed its pools: the point's ledgers go, so a whole run does not fill the disk
            try (java.sql.Connection connection = java.sql.DriverManager.getConnection(database.jdbcUrl("postgres"),
                    "postgres", "postgres"); java.sql.Statement statement = connection.createStatement()) {
                for (String name : ledgers) {
                    statement.execute("drop database if exists " + name);
                }
            }
        }
    }

    /**
     * Orders blocks of {@code txsPerBlock} transactions for {@code duration}, each waited for, one every
     * {@code charter.bench.block-interval-ms} at most (0: back to back, as fast as the orderers cut them).
     */
    private static void submitFor(PeerNetwork network, Duration duration, int txsPerBlock) throws Exception {
        long interval = Long.getLong("charter.bench.block-interval-ms", 0) * 1_000_000;
        long end = System.nanoTime() + duration.toNanos();
        int round = 0;
        while (System.nanoTime() < end) {
            long started = System.nanoTime();
            network.submit("k" + System.nanoTime() + "-" + round++ + "-", txsPerBlock);
            long rest = interval - (System.nanoTime() - started);
            if (rest > 0) {
                Thread.sleep(Duration.ofNanos(rest));
            }
        }
    }

    private static DataSource ledger(EmbeddedDatabase database, String name, int poolSize) {
        try {
            database.createDatabase(name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        DataSource pool = database.pool(name, poolSize);
        LedgerSchema.migrate(pool);
        return pool;
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    /** The table (medians over runs, with min–max), the raw points, and the plot. */
    private static void write(Path out, List<Point> points, int orderers, int txsPerBlock, int fanout, int seconds) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%d orderer(s), 2 organizations, %d transactions per block, relay fanout %d,"
                + " %d s measured per point, a block every %d ms at most; medians over runs (min-max)%n%n", orderers,
                txsPerBlock, fanout, seconds, Long.getLong("charter.bench.block-interval-ms", 0)));
        md.append("| peers per org | mode | blocks | blocks/s | block bytes | orderer bytes/block | leader push bytes/block"
                + " | max peer push bytes/block | last peer commit p50 ms | p99 ms | index requests/s | runs |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        StringBuilder csv = new StringBuilder("mode,peers_per_org,run,blocks,block_bytes,orderer_bytes_per_block,"
                + "leader_bytes_per_block,max_peer_bytes_per_block,p50_ms,p99_ms,blocks_per_second,index_requests_per_second\n");
        for (Point p : points) {
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%.0f,%.0f,%.0f,%.0f,%.1f,%.1f,%.2f,%.2f%n", p.mode(),
                    p.peersPerOrg(), p.run(), p.blocks(), p.blockBytes(), p.ordererBytesPerBlock(),
                    p.leaderBytesPerBlock(), p.maxPeerBytesPerBlock(), p.p50Millis(), p.p99Millis(), p.blocksPerSecond(),
                    p.indexRequestsPerSecond()));
        }
        Map<String, List<Point>> groups = points.stream().collect(Collectors.groupingBy(
                p -> p.mode() + "/" + p.peersPerOrg(), LinkedHashMap::new, Collectors.toList()));
        for (List<Point> group : groups.values()) {
            Point any = group.getFirst();
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |%n",
                    any.peersPerOrg(), any.mode(), cell(group, Point::blocks), cell(group, Point::blocksPerSecond),
                    cell(group, Point::blockBytes),
                    cell(group, Point::ordererBytesPerBlock), cell(group, Point::leaderBytesPerBlock),
                    cell(group, Point::maxPeerBytesPerBlock), cell(group, Point::p50Millis), cell(group, Point::p99Millis),
                    cell(group, Point::indexRequestsPerSecond), group.size()));
        }
        try {
            Files.writeString(out.resolve("results.md"), md);
            Files.writeString(out.resolve("results.csv"), csv);
            Files.writeString(out.resolve("scale.svg"), svg(groups));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double median(List<Point> group, java.util.function.ToDoubleFunction<Point> value) {
        double[] values = group.stream().mapToDouble(value).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    private static String cell(List<Point> group, java.util.function.ToDoubleFunction<Point> value) {
        double median = median(group, value);
        String format = Math.abs(median) >= 100 || median == Math.rint(median) ? "%.0f" : "%.1f";
        if (group.size() == 1) {
            return String.format(Locale.ROOT, format, median);
        }
        double min = group.stream().mapToDouble(value).min().orElse(median);
        double max = group.stream().mapToDouble(value).max().orElse(median);
        return String.format(Locale.ROOT, format + " (" + format + "-" + format + ")", median, min, max);
    }

    /**
     * Two panels against peers per organization (log2 axis): the last peer's commit p50 in ms, and the orderers'
     * bytes per block in KiB; one line per mode.
     */
    private static String svg(Map<String, List<Point>> groups) {
        Map<String, String> colors = Map.of("linear", "#d62728", "tree", "#2ca02c", "pull", "#1f77b4");
        Map<String, Map<Integer, double[]>> byMode = new LinkedHashMap<>();
        groups.values().forEach(group -> byMode.computeIfAbsent(group.getFirst().mode(), m -> new java.util.TreeMap<>())
                .put(group.getFirst().peersPerOrg(), new double[] {median(group, Point::p50Millis),
                        median(group, Point::ordererBytesPerBlock) / 1024}));
        List<Integer> sizes = byMode.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
        StringBuilder s = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"380\""
                + " font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"900\" height=\"380\" fill=\"white\"/>\n");
        String[] titles = {"last peer's commit after the orderers', p50 (ms)", "orderer bytes sent per block (KiB)"};
        for (int panel = 0; panel < 2; panel++) {
            int x0 = 60 + panel * 440;
            int y0 = 40;
            int w = 360;
            int h = 260;
            final int index = panel;
            double max = byMode.values().stream().flatMap(m -> m.values().stream()).mapToDouble(v -> v[index])
                    .filter(Double::isFinite).max().orElse(1);
            max = max <= 0 ? 1 : max * 1.1;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"25\">%s</text>%n", x0, titles[panel]));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                    + " stroke=\"#999\"/>%n", x0, y0, w, h));
            for (int t = 0; t <= 4; t++) {
                double value = max * t / 4;
                double y = y0 + h - h * t / 4.0;
                s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.0f\" text-anchor=\"end\">%.0f</text>%n",
                        x0 - 4, y + 4, value));
            }
            for (int i = 0; i < sizes.size(); i++) {
                double x = x0 + (sizes.size() == 1 ? w / 2.0 : w * i / (double) (sizes.size() - 1));
                s.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x,
                        y0 + h + 16, sizes.get(i)));
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">peers per organization"
                    + " (2 organizations)</text>%n", x0 + w / 2, y0 + h + 34));
            int legend = 0;
            for (Map.Entry<String, Map<Integer, double[]>> mode : byMode.entrySet()) {
                StringBuilder line = new StringBuilder();
                for (Map.Entry<Integer, double[]> point : mode.getValue().entrySet()) {
                    int i = sizes.indexOf(point.getKey());
                    double x = x0 + (sizes.size() == 1 ? w / 2.0 : w * i / (double) (sizes.size() - 1));
                    double v = point.getValue()[panel];
                    if (!Double.isFinite(v)) {
                        continue;
                    }
                    double y = y0 + h - h * v / max;
                    line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                    s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y,
                            colors.getOrDefault(mode.getKey(), "black")));
                }
                s.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\""
                        + " stroke-width=\"2\"/>%n", line.toString().trim(), colors.getOrDefault(mode.getKey(), "black")));
                s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n", x0 + 10,
                        y0 + 16 + 14 * legend++, colors.getOrDefault(mode.getKey(), "black"), label(mode.getKey())));
            }
        }
        return s.append("</svg>\n").toString();
    }

    private static String label(String mode) {
        return switch (mode) {
            case "linear" -> "leader pushes to every peer";
            case "tree" -> "leader pushes along a relay tree";
            case "pull" -> "every peer pulls (no super nodes)";
            default -> mode;
        };
    }
}
