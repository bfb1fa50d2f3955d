package io.charter.peer.admin;

import org.springframework.http.HttpStatus;

/** A refused admin call: its HTTP status and stable error code (docs/peer.md lists them). */
public final class AdminException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final HttpStatus status;
    private final String code;

    public AdminException(HttpStatus status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }
}
