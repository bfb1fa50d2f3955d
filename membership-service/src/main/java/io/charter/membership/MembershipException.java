package io.charter.membership;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The one exception the membership core throws for a refused request. The message is meant for the
 * caller and says what to do; it never contains secrets or key material.
 */
public final class MembershipException extends RuntimeException {

    private final ErrorCode code;
    /** When the caller may try again (HTTP Retry-After); absent for most refusals. */
    private final Duration retryAfter;

    public MembershipException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfter = null;
    }

    private MembershipException(ErrorCode code, String message, Duration retryAfter) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** A refusal that ends by itself after {@code retryAfter}. */
    public static MembershipException retryAfter(ErrorCode code, String message, Duration retryAfter) {
        return new MembershipException(code, message, retryAfter);
    }

    public MembershipException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfter = null;
    }

    public ErrorCode code() {
        return code;
    }

    /** When trying again may succeed, for a refusal that ends by itself. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public int httpStatus() {
        return code.httpStatus();
    }
}
