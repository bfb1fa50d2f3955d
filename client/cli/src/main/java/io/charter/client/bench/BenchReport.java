package io.charter.client.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a load run measured, with Caliper's columns (succeeded, failed, send rate, throughput, min/avg/max
 * latency) plus latency percentiles; MVCC-invalidated transactions are counted apart from failures.
 * Latencies are of the succeeded transactions, from send to commit status, in milliseconds.
 *
 * @param sendRate transactions sent per second over the sending time
 * @param throughput succeeded transactions per second from the first send to the last outcome
 */
public record BenchReport(String mode, int sent, int succeeded, int failed, int mvccInvalid, double sendRate,
        double throughput, double minMs, double avgMs, double maxMs, double p50Ms, double p95Ms, double p99Ms,
        double durationSeconds) {

    static BenchReport of(LoadGenerator.Mode mode, LoadGenerator.Outcome[] outcomes, long[] latencies, Duration sending,
            Duration total) {
        int succeeded = 0;
        int failed = 0;
        int mvcc = 0;
        long[] ok = new long[outcomes.length];
        for (int i = 0; i < outcomes.length; i++) {
            switch (outcomes[i] == null ? LoadGenerator.Outcome.FAILED : outcomes[i]) {
                case SUCCEEDED -> ok[succeeded++] = latencies[i];
                case MVCC_INVALID -> mvcc++;
                case FAILED -> failed++;
            }
        }
        long[] sorted = Arrays.copyOf(ok, succeeded);
        Arrays.sort(sorted);
        double sendSeconds = Math.max(sending.toNanos(), 1) / 1e9;
        double totalSeconds = Math.max(total.toNanos(), 1) / 1e9;
        String modeText = switch (mode) {
            case LoadGenerator.FixedBacklog b -> "fixed-backlog " + b.backlog();
            case LoadGenerator.FixedRate r -> String.format(Locale.ROOT, "fixed-rate %.0f/s", r.perSecond());
        };
        return new BenchReport(modeText, outcomes.length, succeeded, failed, mvcc, outcomes.length / sendSeconds,
                succeeded / totalSeconds, ms(sorted, 0.0, true), average(sorted), ms(sorted, 1.0, true),
                ms(sorted, 0.50, false), ms(sorted, 0.95, false), ms(sorted, 0.99, false), totalSeconds);
    }

    /** The nearest-rank percentile of sorted nanosecond values, in ms; 0 when there are none. */
    private static double ms(long[] sorted, double quantile, boolean exact) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = exact ? (quantile == 0.0 ? 0 : sorted.length - 1)
                : Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(index, 0)] / 1e6;
    }

    private static double average(long[] sorted) {
        return sorted.length == 0 ? 0 : Arrays.stream(sorted).average().orElse(0) / 1e6;
    }

    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", mode);
        json.put("sent", sent);
        json.put("succeeded", succeeded);
        json.put("failed", failed);
        json.put("mvccInvalid", mvccInvalid);
        json.put("sendRateTps", round(sendRate));
        json.put("throughputTps", round(throughput));
        json.put("latencyMs", Map.of("min", round(minMs), "avg", round(avgMs), "max", round(maxMs), "p50", round(p50Ms),
                "p95", round(p95Ms), "p99", round(p99Ms)));
        json.put("durationSeconds", round(durationSeconds));
        return json;
    }

    public String text() {
        return String.format(Locale.ROOT, "| %-18s | %9s | %6s | %6s | %11s | %10s | %8s | %8s | %8s | %8s | %8s | %8s |%n",
                "mode", "succeeded", "failed", "mvcc", "send rate/s", "throughput", "min ms", "avg ms", "max ms", "p50 ms",
                "p95 ms", "p99 ms")
                + String.format(Locale.ROOT,
                        "| %-18s | %9d | %6d | %6d | %11.1f | %10.1f | %8.1f | %8.1f | %8.1f | %8.1f | %8.1f | %8.1f |%n",
                        mode, succeeded, failed, mvccInvalid, sendRate, throughput, minMs, avgMs, maxMs, p50Ms, p95Ms, p99Ms);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
