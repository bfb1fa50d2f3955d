package io.charter.peer.endorsement;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of endorsement outcomes, by a stable outcome name: {@value #ENDORSED}, {@value #CONTRACT_FAILED}
 * or the {@link RefusalReason} of a refusal. Thread-safe.
 */
public final class EndorsementStats {

    public static final String ENDORSED = "ENDORSED";
    public static final String CONTRACT_FAILED = "CONTRACT_FAILED";

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    /** Counts {@code result} and returns it. */
    public EndorsementResult record(EndorsementResult result) {
        counts.computeIfAbsent(outcome(result), k -> new AtomicLong()).incrementAndGet();
        return result;
    }

    public static String outcome(EndorsementResult result) {
        return switch (result) {
            case EndorsementResult.Endorsed e -> ENDORSED;
            case EndorsementResult.ContractFailed f -> CONTRACT_FAILED;
            case EndorsementResult.Refused r -> r.reason().name();
        };
    }

    public long count(String outcome) {
        AtomicLong count = counts.get(outcome);
        return count == null ? 0 : count.get();
    }

    /** Every outcome seen so far with its count, by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((outcome, count) -> snapshot.put(outcome, count.get()));
        return snapshot;
    }
}
