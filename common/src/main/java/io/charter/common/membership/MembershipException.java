package io.charter.common.membership;

/**
 * A refusal or failure answered by the membership service: its error {@code code} (the service's
 * {@code ErrorCode} or {@code ShellErrorCode} name, e.g. {@code AUTHENTICATION_FAILED},
 * {@code CERTIFICATE_REVOKED}), the HTTP status and its message. Transport failures have code
 * {@code UNREACHABLE} and status 0.
 */
public final class MembershipException extends RuntimeException {

    public static final String UNREACHABLE = "UNREACHABLE";

    private final String code;
    private final int status;

    public MembershipException(String code, int status, String message) {
        super(code + " (" + status + "): " + message);
        this.code = code;
        this.status = status;
    }

    public MembershipException(String message, Throwable cause) {
        super(UNREACHABLE + ": " + message, cause);
        this.code = UNREACHABLE;
        this.status = 0;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
