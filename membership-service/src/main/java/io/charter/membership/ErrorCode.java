package io.charter.membership;

/**
 * The stable error codes of the membership service. Each names the HTTP status the REST shell maps it
 * to; the code itself (its {@link #name()}) is what clients should match on.
 */
public enum ErrorCode {
    INVALID_REQUEST(400),
    CSR_MALFORMED(400),
    CSR_BAD_SIGNATURE(400),
    CSR_MISMATCH(400),
    CSR_UNSUPPORTED_KEY(400),
    /** A signed index request (node registration or heartbeat) is malformed or not canonically encoded. */
    NODE_REQUEST_MALFORMED(400),
    /** A host a registrar approves is not a DNS name or an IP address, is too long, or has a wildcard other than a leading {@code *.}. */
    HOST_INVALID(400),
    /** A registrar approves more hosts than one node may have. */
    TOO_MANY_HOSTS(400),
    /** Hosts registered for, or requested by, a client or an admin: their TLS certificates name no host. */
    HOSTS_NOT_ALLOWED_FOR_ROLE(400),
    AUTHENTICATION_FAILED(401),
    /** A signed request's signature does not verify under the presented or registered certificate. */
    BAD_SIGNATURE(401),
    CERTIFICATE_UNKNOWN(401),
    CERTIFICATE_EXPIRED(401),
    CERTIFICATE_REVOKED(401),
    FORBIDDEN(403),
    ENROLLMENT_LIMIT_REACHED(403),
    IDENTITY_REVOKED(403),
    /** A node asks for a TLS certificate naming a host its registrar did not approve (or it has none approved). */
    HOST_NOT_APPROVED(403),
    ORGANIZATION_NOT_FOUND(404),
    IDENTITY_NOT_FOUND(404),
    CERTIFICATE_NOT_FOUND(404),
    NODE_NOT_FOUND(404),
    ORGANIZATION_EXISTS(409),
    IDENTITY_EXISTS(409),
    /** A signed index request is older than one already accepted from that node (a replay). */
    STALE_REQUEST(409),
    /** A peer asks for a leader lease on a channel it has not reported serving in its registration or heartbeats. */
    CHANNEL_NOT_SERVED(409),
    TOO_MANY_ATTEMPTS(429);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
