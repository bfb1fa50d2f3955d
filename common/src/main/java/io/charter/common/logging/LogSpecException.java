package io.charter.common.logging;

/** A log spec that does not parse; its message says what to change. Code {@value #CODE} wherever it is reported. */
public final class LogSpecException extends IllegalArgumentException {

    public static final String CODE = "INVALID_LOG_SPEC";

    public LogSpecException(String message) {
        super(message);
    }
}
