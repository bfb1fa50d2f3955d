package io.charter.common.protocol;

import com.google.protobuf.ByteString;
import io.charter.protocol.Proposal;
import io.charter.protocol.TransactionAction;

/**
 * The proposal hash that an endorsement binds its results to (ProposalResponsePayload.proposal_hash):
 * SHA-256 of {@code 4-byte big-endian length of header || header || payload}, both as carried in
 * the Proposal. The transient map is left out on purpose: it never reaches the ledger, so a
 * validator could not recompute a hash over it.
 */
public final class Proposals {

    private Proposals() {}

    public static ByteString hash(Proposal proposal) {
        return hash(proposal.getHeader(), proposal.getPayload());
    }

    /** The same hash, recomputed by a validator from the bytes a transaction carries. */
    public static ByteString hash(TransactionAction action) {
        return hash(action.getHeader(), action.getEndorsedAction().getProposalPayload());
    }

    public static ByteString hash(ByteString header, ByteString payload) {
        byte[] input = CanonicalBytes.withCapacity(Integer.BYTES + header.size() + payload.size())
                .lengthPrefixed(header)
                .raw(payload)
                .toByteArray();
        return ByteString.copyFrom(Sha256.digest(input));
    }
}
