package io.charter.membership;

import java.util.Objects;

/**
 * The one exception the membership core throws for a refused request. The message is meant for the
 * caller and says what to do; it never contains secrets or key material.
 */
public final class MembershipException extends RuntimeException {

    private final ErrorCode code;

    public MembershipException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public MembershipException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    public int httpStatus() {
        return code.httpStatus();
    }
}
