package io.charter.client.cli;

/**
 * A failure the CLI reports as one line, with one of {@link ExitCodes}. The message says what went wrong
 * and what to do about it; a stack trace is shown only with {@code --verbose}.
 */
public final class CliException extends RuntimeException {

    private final int exitCode;
    private final String code;

    public CliException(int exitCode, String code, String message) {
        super(message);
        this.exitCode = exitCode;
        this.code = code;
    }

    public CliException(int exitCode, String code, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.code = code;
    }

    public static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, "USAGE", message);
    }

    public static CliException notFound(String message) {
        return new CliException(ExitCodes.NOT_FOUND, "NOT_FOUND", message);
    }

    public static CliException conflict(String message) {
        return new CliException(ExitCodes.CONFLICT, "CONFLICT", message);
    }

    public static CliException unreachable(String message, Throwable cause) {
        return new CliException(ExitCodes.UNREACHABLE, "UNREACHABLE", message, cause);
    }

    public static CliException failed(String message) {
        return new CliException(ExitCodes.FAILED, "FAILED", message);
    }

    public int exitCode() {
        return exitCode;
    }

    /** A stable machine-readable code (the service's error code where there is one), shown in JSON output. */
    public String code() {
        return code;
    }
}
