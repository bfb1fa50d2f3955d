package io.charter.common.policy;

import java.util.Objects;

/**
 * Policy text that does not parse. Carries a stable {@link #code()}, where the problem is, what
 * the parser expected and what it found, and a hint on how to fix it; {@link #getMessage()} puts
 * them together, e.g. {@code column 17: expected ',' or ')' after a principal but found 'Org2.peer'
 * — separate arguments with commas}.
 */
public final class PolicySyntaxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final PolicyErrorCode code;
    private final int offset;
    private final int line;
    private final int column;
    private final String expected;
    private final String found;
    private final String hint;

    PolicySyntaxException(
            PolicyErrorCode code, String text, int offset, String expected, String found, String hint) {
        super(message(text, offset, expected, found, hint));
        this.code = Objects.requireNonNull(code, "code");
        this.offset = offset;
        this.line = lineOf(text, offset);
        this.column = columnOf(text, offset);
        this.expected = Objects.requireNonNull(expected, "expected");
        this.found = Objects.requireNonNull(found, "found");
        this.hint = Objects.requireNonNull(hint, "hint");
    }

    public PolicyErrorCode code() {
        return code;
    }

    /** 0-based character offset of the problem in the policy text. */
    public int offset() {
        return offset;
    }

    /** 1-based line of the problem; policies are usually one line. */
    public int line() {
        return line;
    }

    /** 1-based column of the problem within its line. */
    public int column() {
        return column;
    }

    /** What the parser expected at {@link #offset()}, e.g. {@code ',' or ')' after a principal}. */
    public String expected() {
        return expected;
    }

    /** What it found there, e.g. {@code 'Org2.peer'} or {@code end of input}. */
    public String found() {
        return found;
    }

    /** What to do about it; may be empty. */
    public String hint() {
        return hint;
    }

    private static String message(String text, int offset, String expected, String found, String hint) {
        int line = lineOf(text, offset);
        String where = line == 1
                ? "column " + columnOf(text, offset)
                : "line " + line + ", column " + columnOf(text, offset);
        String message = where + ": expected " + expected + " but found " + found;
        return hint.isEmpty() ? message : message + " — " + hint;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static int columnOf(String text, int offset) {
        int lineStart = text.lastIndexOf('\n', Math.min(offset, text.length()) - 1) + 1;
        return offset - lineStart + 1;
    }
}
