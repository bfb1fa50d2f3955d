package io.charter.membership;

/**
 * The membership core cannot start: wrong CA key passphrase, unreadable import files, inconsistent
 * database. The message says what to fix; the service must not serve requests.
 */
public final class StartupException extends RuntimeException {

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
