package io.charter.client.wallet;

/** A wallet that cannot do what was asked; {@link #reason()} says why, the message what to do. */
public final class WalletException extends RuntimeException {

    public enum Reason {
        /** No identity of that name, or no connection details saved. */
        NOT_FOUND,
        /** An identity of that name is already in the wallet. */
        EXISTS,
        /** A file of the wallet does not parse or is from an unknown format version. */
        CORRUPT,
        /** The folder cannot be read or written. */
        IO
    }

    private final Reason reason;

    public WalletException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public WalletException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
