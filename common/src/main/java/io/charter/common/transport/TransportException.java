package io.charter.common.transport;

import java.util.Objects;

/**
 * A call failed with a stable {@link ErrorCode}. Handlers throw it (or complete their future with it)
 * to answer with their own code; anything else a handler throws reaches the caller as
 * {@link ErrorCode#INTERNAL}.
 */
public final class TransportException extends RuntimeException {

    private final ErrorCode code;

    public TransportException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public TransportException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    @Override
    public String getMessage() {
        return code + ": " + super.getMessage();
    }

    /** The message without the code prefix, as carried in an ERROR frame. */
    public String detail() {
        return super.getMessage();
    }
}
