package io.charter.client.sdk;

/**
 * Why one peer did not endorse a proposal.
 *
 * @param mspId the peer's organization
 * @param peer the peer's name (or host:port)
 * @param status the response status (4xx/5xx) the peer answered, or 0 when it could not be reached
 * @param reason the stable reason code: the peer's refusal reason (e.g. {@code CREATOR_REVOKED},
 *     {@code UNDEFINED_CONTRACT}), {@code CONTRACT_FAILED}, or the transport's code
 *     ({@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}, ...) when it did not answer
 * @param message the peer's message, for people
 */
public record EndorsementFailure(String mspId, String peer, int status, String reason, String message) {

    @Override
    public String toString() {
        return peer + " (" + mspId + "): " + (message.startsWith(reason) ? message : reason + ": " + message)
                + (status == 0 ? "" : " [status " + status + "]");
    }
}
