package io.charter.orderer.blockcutter;

/** Why a batch was cut, for metrics. */
public enum CutCause {
    /** The batch reached the max message count. */
    COUNT,
    /** The next envelope would have taken the batch over preferred max bytes, or is itself larger. */
    BYTES,
    /** The batch timeout expired. */
    TIMEOUT,
    /** A config transaction: the pending batch is cut, then the config transaction alone. */
    CONFIG,
    /** Cut on request (for instance when leadership ends and pending envelopes are dropped). */
    FORCED
}
