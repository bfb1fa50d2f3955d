package io.charter.peer.contract;

import java.time.Duration;
import java.util.Objects;

/**
 * How contracts run.
 *
 * @param invocationTimeout the longest one invocation may take, from its submission (queueing
 *     included); past it the proposal fails with CONTRACT_TIMEOUT. Default 3 s.
 * @param threadsPerContract the threads that run one contract's invocations concurrently. Default 2.
 * @param queueCapacity invocations of one contract that may wait for a thread; beyond, CONTRACT_UNAVAILABLE.
 *     Default 64.
 * @param maxAbandonedThreads how many threads of one contract may still be running invocations that timed
 *     out (code that ignores interruption) before the contract is refused with CONTRACT_UNAVAILABLE until
 *     they end. Default 4.
 */
public record ContractRuntimeSettings(Duration invocationTimeout, int threadsPerContract, int queueCapacity,
                                      int maxAbandonedThreads) {

    public static final ContractRuntimeSettings DEFAULTS = new ContractRuntimeSettings(Duration.ofSeconds(3), 2, 64, 4);

    public ContractRuntimeSettings {
        Objects.requireNonNull(invocationTimeout, "invocationTimeout");
        if (invocationTimeout.isNegative() || invocationTimeout.isZero() || threadsPerContract < 1 || queueCapacity < 1
                || maxAbandonedThreads < 0) {
            throw new IllegalArgumentException("invalid contract runtime settings: " + invocationTimeout + ", "
                    + threadsPerContract + ", " + queueCapacity + ", " + maxAbandonedThreads);
        }
    }

    public ContractRuntimeSettings withInvocationTimeout(Duration timeout) {
        return new ContractRuntimeSettings(timeout, threadsPerContract, queueCapacity, maxAbandonedThreads);
    }
}
