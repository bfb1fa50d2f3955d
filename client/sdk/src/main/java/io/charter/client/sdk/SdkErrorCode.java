package io.charter.client.sdk;

/**
 * Why a client operation failed. The names are stable: applications and the CLI branch on them (and
 * the CLI maps them to exit codes). Each code is reported with the {@link Step} it happened in.
 */
public enum SdkErrorCode {
    /** A certificate, key or keystore could not be read, or the key does not match the certificate. */
    IDENTITY_INVALID,
    /** The membership service refused or could not answer (discovery, enrollment). */
    MEMBERSHIP_FAILED,
    /** No peer is known for the channel (or for the organizations the operation needs). */
    NO_PEERS,
    /** No orderer is known for the channel. */
    NO_ORDERERS,
    /**
     * The channel has no committed definition of the contract (its peers said so through
     * {@code peer.ContractPolicy}): define it ({@code charter contract approve} by each organization, then {@code commit};
     * {@link Network#approveContract}, {@link Network#commitContract})
     * or check the contract's name and the channel.
     */
    CONTRACT_NOT_DEFINED,
    /** Peers answered, but too few endorsed for the endorsement policy: see {@link SdkException#missingOrganizations()}. */
    ENDORSEMENT_POLICY_NOT_SATISFIED,
    /** The endorsing peers returned different results (read-write sets or events): their states differ. */
    ENDORSEMENTS_DIFFER,
    /** An endorsement does not verify or is not bound to the proposal sent. */
    BAD_ENDORSEMENT,
    /** The contract ran and failed (status 500); the message carries the contract's code and message. */
    CONTRACT_FAILED,
    /** A peer refused the proposal before running it (status 4xx/5xx with a reason code, e.g. CREATOR_REVOKED). */
    PROPOSAL_REFUSED,
    /**
     * The peers asked are at their contract's concurrency limit ({@code CONTRACT_UNAVAILABLE}), even after
     * the SDK's own retries with new proposals: send fewer at once, or retry later.
     */
    PEERS_BUSY,
    /** No peer could be reached for a query or a commit status. */
    PEER_UNAVAILABLE,
    /** An orderer refused the transaction (4xx): see the reason in the message, resending will not help. */
    ORDERING_REFUSED,
    /** No orderer ordered the transaction: all unreachable or unavailable (503). */
    ORDERERS_UNAVAILABLE,
    /** The step did not finish within its timeout ({@link Timeouts}). */
    TIMEOUT,
    /** The transaction was ordered but invalidated by MVCC: a key it read changed. See {@link SdkException#conflict()}. */
    MVCC_READ_CONFLICT,
    /** The transaction was ordered but invalidated because a range it read changed. See {@link SdkException#conflict()}. */
    PHANTOM_READ_CONFLICT,
    /** The transaction was ordered but invalidated for another reason: see {@link SdkException#validationCode()}. */
    TRANSACTION_INVALID,
    /** An event stream failed; resume it from {@link EventStream#nextBlockNumber()}. */
    EVENT_STREAM_FAILED,
    /** The caller interrupted the operation, or closed the gateway under it. */
    CANCELLED
}
