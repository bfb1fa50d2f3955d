package io.charter.peer.endorsement;

/**
 * Why a peer refused to run a proposal at all (nothing simulated, nothing signed, nothing written).
 * The names are stable: clients receive them in the response message, {@code "<REASON>: <detail>"},
 * with {@link #status} as the response status.
 */
public enum RefusalReason {
    /** Not a SignedProposal / Proposal / PayloadHeader / ContractInvocation, a missing field, or a header type other than ENDORSER_TRANSACTION and CONTRACT_DEFINITION. */
    MALFORMED_PROPOSAL(400),
    /** The header names a channel this peer has not joined. */
    UNKNOWN_CHANNEL(404),
    /**
     * This peer's own organization is not in the channel's configuration in force (a config update removed
     * it): the peer no longer endorses for the channel. Its endorsements would not count anyway.
     */
    PEER_NOT_IN_CHANNEL(403),
    /** No nonce, or tx id ≠ SHA-256(nonce ‖ creator). */
    BAD_TXID(400),
    /** The header's timestamp is further from the peer's clock than the proposal window. */
    STALE_PROPOSAL(400),
    /** The creator's certificate (or a CA of its chain) is revoked. */
    CREATOR_REVOKED(403),
    /** The creator's certificate (or a CA of its chain) is expired or not yet valid. */
    CREATOR_EXPIRED(403),
    /** The creator's certificate is not a valid identity of a channel organization for another reason. */
    CREATOR_INVALID(403),
    /** The creator does not satisfy the channel's Writers policy. */
    CREATOR_NOT_WRITER(403),
    /** A contract definition (approve, commit) proposed by someone who is not an organization admin. */
    CREATOR_NOT_ADMIN(403),
    /** An approval for another organization than the creator's: an admin approves for its own organization only. */
    APPROVAL_NOT_OWN_ORGANIZATION(403),
    /**
     * The retired single-step {@code _lifecycle.define}: a definition is approved by each organization's admin
     * ({@code approve}) and then committed ({@code commit}).
     */
    DEFINE_RETIRED(400),
    /** The signature over the proposal bytes does not verify with the creator's key. */
    BAD_SIGNATURE(401),
    /** The tx id is already in the ledger, or this peer saw it within the proposal window. */
    REPLAYED_PROPOSAL(409),
    /** No committed definition of the contract on the channel (or a reserved name). */
    UNDEFINED_CONTRACT(404),
    /** Defined on the channel, but the package the definition names is not installed on this peer. */
    CONTRACT_NOT_INSTALLED(404),
    /**
     * The contract wrote private data and fewer peers of a collection's member organizations than its
     * requiredPeerCount stored it (or this peer's transient store is full): nothing is endorsed.
     */
    PRIVATE_DATA_NOT_DISSEMINATED(503),
    /** The ledger could not be read. */
    LEDGER_UNAVAILABLE(503);

    private final int status;

    RefusalReason(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
