package io.charter.client.sdk;

/** The step of a client operation that failed; {@link SdkException#step()} names it. */
public enum Step {
    /** Loading, enrolling or saving an identity. */
    IDENTITY,
    /** Asking the membership service who serves a channel. */
    DISCOVER,
    /** Running a query proposal on one peer ({@link Contract#evaluate}). */
    EVALUATE,
    /** Collecting endorsements for a submit. */
    ENDORSE,
    /** Broadcasting the endorsed transaction to the orderers. */
    ORDER,
    /** Waiting for the transaction's validation result on a peer. */
    COMMIT,
    /** Block or contract event streams. */
    EVENTS,
    /** Reading a channel's configuration from an orderer. */
    CONFIG
}
