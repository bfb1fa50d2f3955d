package io.charter.client.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The load generator's pacing and its report, with a scripted sender (no network). */
class LoadGeneratorTest {

    @Test
    void aFixedBacklogNeverHasMoreOutstandingThanItsBacklog() throws InterruptedException {
        AtomicInteger outstanding = new AtomicInteger();
        AtomicInteger highest = new AtomicInteger();
        LoadGenerator<Integer> generator = new LoadGenerator<>(tx -> {
            highest.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            outstanding.decrementAndGet();
            return LoadGenerator.Outcome.SUCCEEDED;
        });
        BenchReport report = generator.run(numbers(200), new LoadGenerator.FixedBacklog(8));
        assertThat(highest.get()).isLessThanOrEqualTo(8).isGreaterThan(1);
        assertThat(report.succeeded()).isEqualTo(200);
        assertThat(report.sent()).isEqualTo(200);
        assertThat(report.mode()).isEqualTo("fixed-backlog 8");
    }

    @Test
    void outcomesAreCountedApartAndFailuresNeverStopTheRun() throws InterruptedException {
        LoadGenerator<Integer> generator = new LoadGenerator<>(tx -> switch (tx % 4) {
            case 0 -> LoadGenerator.Outcome.MVCC_INVALID;
            case 1 -> LoadGenerator.Outcome.FAILED;
            case 2 -> throw new IllegalStateException("a sender that throws counts as failed");
            default -> LoadGenerator.Outcome.SUCCEEDED;
        });
        BenchReport report = generator.run(numbers(40), new LoadGenerator.FixedRate(10_000));
        assertThat(report.mvccInvalid()).isEqualTo(10);
        assertThat(report.failed()).isEqualTo(20);
        assertThat(report.succeeded()).isEqualTo(10);
        assertThat(report.json()).containsEntry("mvccInvalid", 10).containsKey("latencyMs");
        assertThat(report.text()).contains("succeeded").contains("p99 ms");
    }

    @Test
    void percentilesAreNearestRankOverTheSucceededLatencies() {
        LoadGenerator.Outcome[] outcomes = new LoadGenerator.Outcome[100];
        long[] latencies = new long[100];
        for (int i = 0; i < 100; i++) {
            outcomes[i] = LoadGenerator.Outcome.SUCCEEDED;
            latencies[i] = (100 - i) * 1_000_000L; // 100 ms down to 1 ms
        }
        BenchReport report = BenchReport.of(new LoadGenerator.FixedBacklog(1), outcomes, latencies,
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(2));
        assertThat(report.minMs()).isEqualTo(1.0);
        assertThat(report.maxMs()).isEqualTo(100.0);
        assertThat(report.p50Ms()).isEqualTo(50.0);
        assertThat(report.p95Ms()).isEqualTo(95.0);
        assertThat(report.p99Ms()).isEqualTo(99.0);
        assertThat(report.avgMs()).isEqualTo(50.5);
        assertThat(report.sendRate()).isEqualTo(100.0);
        assertThat(report.throughput()).isEqualTo(50.0);
    }

    @Test
    void badModesAreRefused() {
        assertThatThrownBy(() -> new LoadGenerator.FixedBacklog(0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new LoadGenerator.FixedRate(0)).hasMessageContaining("above 0");
    }

    private static List<Integer> numbers(int count) {
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            numbers.add(i);
        }
        return numbers;
    }
}
