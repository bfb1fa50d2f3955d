package io.charter.peer.validation;

import io.charter.protocol.TxValidationCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of validation outcomes, for metrics (the Spring shell exports them) and tests. Thread-safe. */
public final class ValidationStats {

    private final Map<BlockRefusal, LongAdder> refusals = new EnumMap<>(BlockRefusal.class);
    private final Map<TxValidationCode, LongAdder> codes = new EnumMap<>(TxValidationCode.class);
    private final LongAdder blocksCommitted = new LongAdder();

    public ValidationStats() {
        for (BlockRefusal reason : BlockRefusal.values()) {
            refusals.put(reason, new LongAdder());
        }
        for (TxValidationCode code : TxValidationCode.values()) {
            if (code != TxValidationCode.UNRECOGNIZED) {
                codes.put(code, new LongAdder());
            }
        }
    }

    void refused(BlockRefusal reason) {
        refusals.get(reason).increment();
    }

    void committed(Iterable<TxValidationCode> txCodes) {
        blocksCommitted.increment();
        txCodes.forEach(code -> codes.get(code).increment());
    }

    public long refusals(BlockRefusal reason) {
        return refusals.get(reason).sum();
    }

    public long transactions(TxValidationCode code) {
        return codes.get(code).sum();
    }

    public long blocksCommitted() {
        return blocksCommitted.sum();
    }
}
