package io.charter.client.sdk;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One call of a contract function: its arguments, private inputs, and what a submit should do.
 *
 * @param function the contract function
 * @param args the arguments, as bytes (strings are UTF-8)
 * @param transientData private inputs: sent to the endorsers only, never written to the ledger
 * @param mvccRetries how many times a submit runs again from a new proposal when its transaction is
 *     invalidated by an MVCC (or phantom) read conflict; 0 (the default) reports the conflict
 */
public record Invocation(String function, List<byte[]> args, Map<String, byte[]> transientData, int mvccRetries) {

    public Invocation {
        Objects.requireNonNull(function, "function");
        if (function.isEmpty()) {
            throw new IllegalArgumentException("an invocation needs a function name");
        }
        args = args.stream().map(a -> Objects.requireNonNull(a, "argument").clone()).toList();
        Map<String, byte[]> copy = new LinkedHashMap<>();
        transientData.forEach((k, v) -> copy.put(Objects.requireNonNull(k), Objects.requireNonNull(v).clone()));
        transientData = java.util.Collections.unmodifiableMap(copy);
        if (mvccRetries < 0) {
            throw new IllegalArgumentException("mvccRetries must not be negative: " + mvccRetries);
        }
    }

    /** {@code function(args)} with UTF-8 string arguments, no transient data, no retry. */
    public static Invocation of(String function, String... args) {
        return new Invocation(function, Arrays.stream(args).map(a -> a.getBytes(StandardCharsets.UTF_8)).toList(), Map.of(), 0);
    }

    /** {@code function(args)} with byte arguments. */
    public static Invocation ofBytes(String function, List<byte[]> args) {
        return new Invocation(function, args, Map.of(), 0);
    }

    public Invocation withTransient(Map<String, byte[]> data) {
        return new Invocation(function, args, data, mvccRetries);
    }

    public Invocation withMvccRetries(int retries) {
        return new Invocation(function, args, transientData, retries);
    }
}
