package io.charter.peer.validation;

import io.charter.peer.lifecycle.LifecycleWrite;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.TxReadWriteSet;
import io.charter.protocol.TxValidationCode;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of the stateless checks of one transaction (signatures, identities, policies, structure): it
 * {@link Passed} them, with what the committer needs, or {@link Failed} one. The {@link BlockCommitter} completes it
 * with the stateful checks (duplicates, MVCC).
 */
public sealed interface TxCheck permits TxCheck.Passed, TxCheck.Failed {

    /** The envelope's index in the block (the transaction number). */
    int position();

    /** VALID when every stateless check passed, else the first failure. */
    TxValidationCode code();

    /**
     * The transaction id when it can be trusted: the creator's signature verified over a correct tx id. Only then
     * is the id indexed and counted for duplicates; otherwise it is at most the sender's claim.
     */
    Optional<String> trustedTxId();

    /** Why the transaction failed, for the logs; empty when valid. */
    String detail();

    default boolean isValid() {
        return code() == TxValidationCode.VALID;
    }

    /** Whether the tx id can be trusted ({@link #trustedTxId()} present). */
    default boolean authenticated() {
        return trustedTxId().isPresent();
    }

    /**
     * Every stateless check passed.
     *
     * @param rwset the transaction's read-write set (empty for a CONFIG transaction)
     * @param lifecycle what a CONTRACT_DEFINITION transaction writes (define, approve, commit); the committer
     *     checks its sequence and, for a commit, the approvals against committed state
     * @param config the new channel configuration of a CONFIG transaction
     */
    record Passed(int position, String txId, TxReadWriteSet rwset, Optional<LifecycleWrite> lifecycle,
                  Optional<ChannelConfig> config) implements TxCheck {

        public Passed {
            Objects.requireNonNull(txId, "txId");
            Objects.requireNonNull(rwset, "rwset");
            Objects.requireNonNull(lifecycle, "lifecycle");
            Objects.requireNonNull(config, "config");
        }

        /** A transaction of a contract (or of the lifecycle, {@code lifecycle} then present). */
        static Passed transaction(int position, String txId, TxReadWriteSet rwset, Optional<LifecycleWrite> lifecycle) {
            return new Passed(position, txId, rwset, lifecycle, Optional.empty());
        }

        /** A CONFIG transaction: no read-write set, the configuration it puts in force. */
        static Passed config(int position, String txId, ChannelConfig config) {
            return new Passed(position, txId, TxReadWriteSet.getDefaultInstance(), Optional.empty(), Optional.of(config));
        }

        @Override
        public TxValidationCode code() {
            return TxValidationCode.VALID;
        }

        @Override
        public Optional<String> trustedTxId() {
            return Optional.of(txId);
        }

        @Override
        public String detail() {
            return "";
        }
    }

    /** A stateless check failed: {@code code} says which. */
    record Failed(int position, TxValidationCode code, Optional<String> trustedTxId, String detail) implements TxCheck {

        public Failed {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(trustedTxId, "trustedTxId");
            Objects.requireNonNull(detail, "detail");
            if (code == TxValidationCode.VALID) {
                throw new IllegalArgumentException("a failed check has a failure code, not VALID");
            }
        }
    }

    /** Failed before the tx id could be trusted (malformed, bad creator or signature, ...). */
    static Failed untrusted(int position, TxValidationCode code, String detail) {
        return new Failed(position, code, Optional.empty(), detail);
    }

    /** Failed after the creator's signature verified over the tx id {@code txId}. */
    static Failed failed(int position, TxValidationCode code, String txId, String detail) {
        return new Failed(position, code, Optional.of(txId), detail);
    }
}
