package io.charter.client.cli.ledger;

import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transient data of {@code charter invoke} and {@code charter query}: private inputs that go to the endorsing peers
 * only, in {@code Proposal.transient_map}, and are never ordered nor written to the ledger (a contract reads them with
 * {@code Context.transientData()}; docs/private-data.md). Checked before anything is sent; a bad one is refused with
 * {@value #CODE} (exit 1). No message ever quotes a value, nor an argument that may hold one.
 */
final class TransientOptions {

    /** The stable code of every refusal of these options. */
    static final String CODE = "BAD_TRANSIENT";
    /** At most this many entries, over both options. */
    static final int MAX_ENTRIES = 64;
    /** At most this many bytes of names and values (UTF-8), over both options. */
    static final int MAX_BYTES = 1024 * 1024;
    /** A --transient-file is read up to this many bytes: room for JSON syntax and escapes around {@link #MAX_BYTES}. */
    static final int MAX_FILE_BYTES = 4 * MAX_BYTES;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // an object value is sent as the file wrote its numbers: 1.50 stays 1.50, not 1.5
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    @Option(names = "--transient", paramLabel = "NAME=VALUE", description = "Private input for the contract"
            + " (Context.transientData()), sent only to the peers that run it, never ordered nor written to the ledger;"
            + " the value as UTF-8, split at the first '='. Repeatable. Values given here are visible to other local"
            + " users in the process list and may land in shell history: prefer --transient-file for secrets.")
    List<String> pairs = new ArrayList<>();

    @Option(names = "--transient-file", paramLabel = "FILE", description = "More private input, from a JSON object"
            + " of names to values: a string value is sent as UTF-8; an object value as its compact JSON text, e.g."
            + " {\"asset_properties\": {\"objectType\": \"asset_properties\", \"assetID\": \"asset1\"}}. A name may be"
            + " given once over both options; at most 64 entries and 1 MiB in all.")
    Path file;

    /**
     * The transient data the options give, in their order (the pairs, then the file's entries), or empty.
     *
     * @throws CliException {@value #CODE}, exit 1, when an entry is malformed, a name repeats, the file cannot be read
     *     or is not a JSON object of strings and objects, or there is too much
     */
    Map<String, byte[]> data() {
        Map<String, byte[]> data = new LinkedHashMap<>();
        Budget budget = new Budget();
        for (int i = 0; i < pairs.size(); i++) {
            Map.Entry<String, byte[]> entry = pair(pairs.get(i), i + 1);
            add(data, budget, entry.getKey(), entry.getValue(), "--transient");
        }
        if (file != null) {
            fromJson(read(file), "--transient-file " + file).forEach((name, value) ->
                    add(data, budget, name, value, "--transient-file " + file));
        }
        return Collections.unmodifiableMap(data);
    }

    /**
     * One {@code --transient NAME=VALUE}, split at the first {@code =}; {@code position} (from 1) names it in a refusal,
     * since the argument itself may be a value.
     */
    static Map.Entry<String, byte[]> pair(String argument, int position) {
        String which = "--transient number " + position;
        int equals = argument.indexOf('=');
        if (equals < 0) {
            throw bad(which + " has no '=': give NAME=VALUE, e.g. --transient price=120");
        }
        if (equals == 0) {
            throw bad(which + " has an empty name: give NAME=VALUE, e.g. --transient price=120");
        }
        String name = argument.substring(0, equals);
        return Map.entry(name, utf8(argument.substring(equals + 1), which + " ('" + printableName(name) + "')"));
    }

    /**
     * The entries of a {@code --transient-file}'s text, in its order: each value a string (sent as UTF-8) or an object
     * (sent as its compact JSON text, UTF-8). {@code source} names the file in a refusal.
     */
    static Map<String, byte[]> fromJson(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            // the parser's own message may quote the text around the problem: only where it is
            throw bad(source + ": not JSON" + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")")
                    + (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate")
                    ? ": a name appears twice" : "") + "; it should be a JSON object of names to values,"
                    + " e.g. {\"price\": \"120\"}");
        }
        if (root == null || !root.isObject()) {
            throw bad(source + ": not a JSON object; it should be a JSON object of names to values, e.g. {\"price\": \"120\"}");
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : root.properties()) {
            String name = property.getKey();
            String where = source + ": '" + printableName(name) + "'";
            if (name.isEmpty()) {
                throw bad(source + ": an empty name");
            }
            JsonNode value = property.getValue();
            if (value.isString()) {
                entries.put(name, utf8(value.asString(), where));
            } else if (value.isObject()) {
                entries.put(name, utf8(JSON.writeValueAsString(value), where));
            } else {
                throw bad(where + " is " + kind(value) + ": a value is a string, or an object (sent as its JSON text)");
            }
            if (entries.size() > MAX_ENTRIES) {
                throw tooMany();
            }
        }
        return entries;
    }

    /** The file's text: read up to {@link #MAX_FILE_BYTES}, UTF-8. Any file that can be read, a pipe included. */
    static String read(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException | RuntimeException e) {
            throw bad("cannot read --transient-file " + file + ": " + (Files.isDirectory(file) ? "a folder"
                    : Files.exists(file) ? "check its permissions" : "no such file"));
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw bad("--transient-file " + file + " is larger than " + MAX_FILE_BYTES / (1024 * 1024) + " MiB");
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            // a byte order mark, as some editors write, is not part of the JSON
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw bad("--transient-file " + file + " is not UTF-8 text");
        }
    }

    /** Counts entries and bytes over both options. */
    private static final class Budget {
        int entries;
        long bytes;
    }

    private static void add(Map<String, byte[]> data, Budget budget, String name, byte[] value, String source) {
        byte[] nameBytes = utf8(name, source + ": a name");
        if (data.containsKey(name)) {
            throw bad(source + ": the name '" + printableName(name) + "' is given twice; a name may be given once over"
                    + " --transient and --transient-file");
        }
        budget.entries++;
        budget.bytes += nameBytes.length + (long) value.length;
        if (budget.entries > MAX_ENTRIES) {
            throw tooMany();
        }
        if (budget.bytes > MAX_BYTES) {
            throw bad("the transient data is larger than 1 MiB (names and values, UTF-8): send less, or send large"
                    + " private data some other way");
        }
        data.put(name, value);
    }

    private static CliException tooMany() {
        return bad("more than " + MAX_ENTRIES + " transient entries");
    }

    /** {@code text} as UTF-8, refusing text that is not Unicode (a lone surrogate would be sent as '?'). */
    private static byte[] utf8(String text, String where) {
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw bad(where + ": not valid Unicode text");
        }
    }

    /** A name as a refusal may show it: names are not secret, but may hold control characters. */
    private static String printableName(String name) {
        String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        return io.charter.client.cli.Output.printable(shown);
    }

    private static String kind(JsonNode value) {
        return value.isArray() ? "an array" : value.isNumber() ? "a number" : value.isBoolean() ? "a boolean"
                : value.isNull() ? "null" : "not a string";
    }

    static CliException bad(String message) {
        return new CliException(ExitCodes.USAGE, CODE, "bad transient data (" + CODE + "): " + message);
    }
}
