package io.charter.peer.validation;

import io.charter.protocol.TxValidationCode;
import java.util.List;
import java.util.Objects;

/** What happened to a block given to the {@link BlockCommitter}. */
public sealed interface CommitResult {

    long blockNumber();

    /** Validated and committed; one code per envelope, in block order. */
    record Committed(long blockNumber, List<TxValidationCode> codes) implements CommitResult {
        public Committed {
            codes = List.copyOf(codes);
        }

        public long validCount() {
            return codes.stream().filter(c -> c == TxValidationCode.VALID).count();
        }
    }

    /** The same block (same header hash) is already committed: nothing done (idempotent restart). */
    record AlreadyCommitted(long blockNumber) implements CommitResult {}

    /** Refused whole: nothing committed. */
    record Refused(long blockNumber, BlockRefusal reason, String detail) implements CommitResult {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
