package io.charter.peer.validation;

import io.charter.protocol.ChannelConfig;
import io.charter.peer.lifecycle.LifecycleWrite;
import io.charter.protocol.TxReadWriteSet;
import io.charter.protocol.TxValidationCode;

/**
 * The outcome of the stateless checks of one transaction (signatures, identities, policies,
 * structure). The {@link BlockCommitter} completes it with the stateful ones (duplicates, MVCC).
 *
 * @param position the envelope's index in the block (the transaction number)
 * @param code VALID when every stateless check passed, else the first failure
 * @param txId the transaction id, or null when it cannot be trusted
 * @param authenticated whether the creator's signature verified over a correct tx id: only then is
 *     the id indexed and counted for duplicates
 * @param rwset the read-write set of a transaction that passed, else null (empty for a CONFIG transaction)
 * @param detail why the transaction failed, for the logs; empty when valid
 * @param lifecycle what a valid CONTRACT_DEFINITION transaction writes (define, approve, commit), else null;
 *     the committer checks its sequence and, for a commit, the approvals against committed state
 * @param config the new channel configuration of a valid CONFIG transaction, else null
 */
public record TxCheck(int position, TxValidationCode code, String txId, boolean authenticated, TxReadWriteSet rwset,
                      String detail, LifecycleWrite lifecycle, ChannelConfig config) {

    static TxCheck invalid(int position, TxValidationCode code, String txId, boolean authenticated, String detail) {
        return new TxCheck(position, code, txId, authenticated, null, detail, null, null);
    }

    public boolean isValid() {
        return code == TxValidationCode.VALID;
    }
}
