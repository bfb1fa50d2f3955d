package io.charter.common.pki;

import java.util.Objects;

/**
 * Bytes or text that are not the PKI object they were given as: the one exception type that the PEM,
 * certificate, CRL, key and CSR parsers throw for bad input, with a stable {@link Code} that callers
 * (the membership service's REST API, the CLI) can map to an error response.
 */
public final class PkiFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Stable reason codes; their names are part of the API. */
    public enum Code {
        /** Not PEM text: no BEGIN/END block, mismatched labels, or a body that is not Base64. */
        PEM_MALFORMED,
        /** A well-formed PEM block of another type than the one asked for. */
        PEM_UNEXPECTED_TYPE,
        /** Not a DER-encoded X.509 certificate. */
        CERTIFICATE_MALFORMED,
        /** Not a DER-encoded X.509 CRL. */
        CRL_MALFORMED,
        /** Not a PKCS#8 private key. */
        KEY_MALFORMED,
        /** A key of an algorithm or curve Charter does not use (only EC P-256). */
        KEY_UNSUPPORTED,
        /** Not a DER-encoded PKCS#10 certification request. */
        CSR_MALFORMED,
        /** A CSR whose self-signature does not verify with the key it carries. */
        CSR_BAD_SIGNATURE,
        /** A CSR for a key that is not EC P-256, or signed with another algorithm than ECDSA with SHA-256. */
        CSR_UNSUPPORTED_KEY
    }

    private final Code code;

    public PkiFormatException(Code code, String message) {
        super(code + ": " + message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public PkiFormatException(Code code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public Code code() {
        return code;
    }
}
