package io.charter.common.transport;

import java.util.Objects;
import java.util.Optional;

/**
 * A call failed with a stable {@link ErrorCode}. Handlers throw it (or complete their future with it)
 * to answer with their own code; anything else a handler throws reaches the caller as
 * {@link ErrorCode#INTERNAL}.
 */
public final class TransportException extends RuntimeException {

    private final ErrorCode code;
    private final String reason; // empty: none

    public TransportException(ErrorCode code, String message) {
        this(code, "", message);
    }

    private TransportException(ErrorCode code, String reason, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * A refusal with the method's own stable code, carried in the ERROR frame's {@code reason} so callers need
     * not read it from the message.
     */
    public static TransportException withReason(ErrorCode code, String reason, String message) {
        if (reason.isEmpty()) {
            throw new IllegalArgumentException("an empty reason is no reason");
        }
        return new TransportException(code, reason, message);
    }

    /** As received from the wire: {@code reason} empty when the server sent none. */
    static TransportException fromWire(ErrorCode code, String reason, String message) {
        return new TransportException(code, reason, message);
    }

    public TransportException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.reason = "";
    }

    public ErrorCode code() {
        return code;
    }

    /** The method's own stable code for the refusal, when the handler gave one ({@link #withReason}). */
    public Optional<String> reason() {
        return reason.isEmpty() ? Optional.empty() : Optional.of(reason);
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
