package io.charter.client.cli;

import java.io.PrintWriter;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a command writes: its result to standard output (text, or one JSON document with
 * {@code --output json}), progress and errors to standard error, so that {@code charter ... --output json | jq}
 * always parses.
 */
public final class Output {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final JsonMapper JSON_LINES = JsonMapper.builder().build();

    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputFormat format;

    public Output(PrintWriter out, PrintWriter err, OutputFormat format) {
        this.out = out;
        this.err = err;
        this.format = format;
    }

    public OutputFormat format() {
        return format;
    }

    public boolean json() {
        return format == OutputFormat.json;
    }

    /**
     * Prints a command's result: {@code value} as JSON (maps, lists, records, strings, numbers), or
     * {@code text} as is.
     */
    public void result(Object value, String text) {
        if (format == OutputFormat.dot) {
            throw new IllegalStateException("a command that draws no graph was run with -o dot");
        }
        if (json()) {
            out.println(JSON.writeValueAsString(value));
        } else {
            out.print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
        }
        out.flush();
    }

    /**
     * One record of a stream of results, printed at once: {@code value} as one line of JSON (JSON lines, for
     * {@code | jq -c} or a log shipper), or {@code text}, one line.
     */
    public void line(Object value, String text) {
        out.println(json() ? JSON_LINES.writeValueAsString(value) : text);
        out.flush();
    }

    /**
     * Prints a command's result as {@code json}, {@code text} or, under {@code -o dot}, the Graphviz graph {@code dot}.
     */
    public void result(Object value, String text, String dot) {
        if (format == OutputFormat.dot) {
            out.print(dot.endsWith("\n") ? dot : dot + "\n");
            out.flush();
        } else {
            result(value, text);
        }
    }

    /** A progress line on standard error (text mode only: JSON and graph users want the result alone). */
    public void progress(String line) {
        if (format == OutputFormat.text) {
            err.println(line);
            err.flush();
        }
    }

    /** The one line of a failure; in JSON mode a JSON object on standard error. */
    public void error(String code, int exitCode, String message) {
        if (json()) {
            err.println(JSON.writeValueAsString(Map.of("error", Map.of("code", code, "exitCode", exitCode,
                    "message", message))));
        } else {
            err.println("charter: " + message);
        }
        err.flush();
    }

    /**
     * {@code text} safe to print to a terminal: control characters (a composite key's separator, an escape sequence a
     * contract put in a key or an event) as {@code \\uXXXX}, so that ledger data can never move the cursor or
     * rewrite what the user sees.
     */
    public static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) || Character.getType(c) == Character.FORMAT;
            if (control && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (control) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    static String json(Object value) {
        return JSON.writeValueAsString(value);
    }
}
