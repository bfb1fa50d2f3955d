package io.charter.common.admin;

/**
 * Why a signed administration request was refused before anyone looked at who signed it. The names are
 * the stable refusal codes the peer and the orderer both send (docs/protocol-encodings.md): values of the same
 * name and number in both wire enums, {@link io.charter.protocol.PeerAdminRefusal} and
 * {@link io.charter.protocol.OrdererAdminRefusal} (AdminEnvelopeProblemTest).
 */
public enum AdminEnvelopeProblem {
    /** Not a signed Envelope of the expected header type, with a consistent tx id, signing time and data. */
    MALFORMED_REQUEST,
    /** Signed too long ago or in the future (more than {@link SignedAdminEnvelopes#MAX_CLOCK_SKEW}). */
    STALE_REQUEST,
    /** The signature does not verify with the creator's certificate. */
    BAD_SIGNATURE,
    /** A request with this tx id was accepted before: a replay. */
    REPLAYED_REQUEST
}
