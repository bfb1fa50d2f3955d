package io.charter.client.config;

/**
 * A configuration document (YAML or JSON) that cannot be read: one line naming where (the line when the parser
 * knows it, and the field's path, e.g. {@code organizations[1].anchorPeers[0]}) and what is wrong.
 */
public final class ConfigFormatException extends RuntimeException {

    private final int line;
    private final String field;

    ConfigFormatException(int line, String field, String problem) {
        super(describe(line, field, problem));
        this.line = line;
        this.field = field;
    }

    private static String describe(int line, String field, String problem) {
        String where = (line > 0 ? "line " + line : "") + (field.isEmpty() ? "" : (line > 0 ? ", " : "") + field);
        return (where.isEmpty() ? "" : where + ": ") + problem.replace('\n', ' ').strip();
    }

    /** The 1-based line of the problem, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** The path of the field, e.g. {@code orderer.batchSize.preferredMaxBytes}; empty for a syntax error. */
    public String field() {
        return field;
    }
}
