package io.charter.peer.lifecycle;

import io.charter.protocol.ContractDefinition;
import java.util.Objects;

/**
 * What a valid CONTRACT_DEFINITION transaction writes to the lifecycle's state, as the validator read it
 * from the transaction; the committer completes its checks against committed state (sequence, approvals).
 */
public sealed interface LifecycleWrite {

    /** The contract the write concerns. */
    ContractDefinition definition();

    /** The retired single-step {@code define}: writes the definition as is (transactions already in blocks). */
    record Define(ContractDefinition definition) implements LifecycleWrite {
        public Define {
            Objects.requireNonNull(definition, "definition");
        }
    }

    /** {@code approve}: organization {@code mspId} approves exactly {@code definition}. */
    record Approve(String mspId, ContractDefinition definition) implements LifecycleWrite {
        public Approve {
            Objects.requireNonNull(mspId, "mspId");
            Objects.requireNonNull(definition, "definition");
        }
    }

    /** {@code commit}: writes {@code definition}, whose {@code approved_by} names the organizations that approved it. */
    record Commit(ContractDefinition definition) implements LifecycleWrite {
        public Commit {
            Objects.requireNonNull(definition, "definition");
        }
    }
}
