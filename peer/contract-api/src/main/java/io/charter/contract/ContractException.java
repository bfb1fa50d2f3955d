package io.charter.contract;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A business error of a contract, e.g. {@code new ContractException("ASSET_NOT_FOUND", "no asset a1")}.
 * The proposal fails and is not endorsed; the client receives the code and the message unchanged, so
 * the code should be stable (upper case, digits and underscores) and the message readable.
 *
 * <p>The peer itself throws it from {@link Context} methods for misuse, with codes such as
 * {@code INVALID_KEY}, {@code INVALID_PAGE_SIZE}, {@code INVALID_QUERY}, {@code EVALUATE_WRITES} and
 * {@code CONTEXT_CLOSED}.
 */
public class ContractException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    private final String code;

    /**
     * @param code upper case letters, digits and underscores, starting with a letter, at most 64
     */
    public ContractException(String code, String message) {
        super(Objects.requireNonNull(message, "message"));
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("a contract error code is upper case letters, digits and '_': '" + code + "'");
        }
        this.code = code;
    }

    public ContractException(String code, String message, Throwable cause) {
        this(code, message);
        initCause(cause);
    }

    public String code() {
        return code;
    }
}
