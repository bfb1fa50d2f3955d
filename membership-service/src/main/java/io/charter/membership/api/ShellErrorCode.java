package io.charter.membership.api;

/**
 * Error codes the web shell adds to the core's {@link io.charter.membership.ErrorCode}s, for what is
 * refused before the core sees a request. Stable: clients match on the name.
 */
public enum ShellErrorCode {
    /** No credentials: HTTP Basic for enrollment, a client certificate or signed token for everything else. */
    AUTHENTICATION_REQUIRED(401),
    /** The {@code Authorization: Charter ...} token or its {@code X-Charter-Timestamp} header is not well formed. */
    TOKEN_MALFORMED(401),
    /** The token's timestamp is outside the accepted window (replay protection). */
    TOKEN_EXPIRED(401),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    NOT_ACCEPTABLE(406),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    INTERNAL_ERROR(500);

    private final int httpStatus;

    ShellErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
