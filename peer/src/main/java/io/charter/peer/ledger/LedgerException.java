package io.charter.peer.ledger;

/** The ledger could not do what was asked: a database failure, or a query the database refused. */
public class LedgerException extends RuntimeException {

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }

    public LedgerException(String message) {
        super(message);
    }
}
