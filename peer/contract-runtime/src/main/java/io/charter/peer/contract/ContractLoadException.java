package io.charter.peer.contract;

/** A jar that is not a usable contract: not a jar, no or several {@code @Contract} classes, a bad function. */
public final class ContractLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ContractLoadException(String message) {
        super(message);
    }

    public ContractLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
