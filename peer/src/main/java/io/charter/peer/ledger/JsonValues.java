package io.charter.peer.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Decides whether a state value is stored as {@code jsonb} too: when it is one JSON object (RFC 8259)
 * in UTF-8 that PostgreSQL accepts. The decision is a pure function of the bytes, so every peer
 * indexes the same values. Values PostgreSQL's jsonb would refuse are treated as opaque bytes
 * rather than failing the commit: strings with {@code \u0000}, numbers with an exponent beyond
 * &plusmn;1000, nesting deeper than 64.
 */
public final class JsonValues {

    private static final int MAX_DEPTH = 64;

    private JsonValues() {}

    /** The value as JSON text when it is a JSON object PostgreSQL can store as jsonb. */
    public static Optional<String> asJsonObject(byte[] value) {
        int start = skipWhitespace(value, 0);
        if (start >= value.length || value[start] != '{') {
            return Optional.empty();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        Parser parser = new Parser(text);
        try {
            parser.pos = skip(text, 0);
            parser.value(0);
            if (skip(text, parser.pos) != text.length()) {
                return Optional.empty();
            }
        } catch (NotJson e) {
            return Optional.empty();
        }
        return Optional.of(text);
    }

    private static int skipWhitespace(byte[] bytes, int i) {
        while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r')) {
            i++;
        }
        return i;
    }

    private static int skip(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            i++;
        }
        return i;
    }

    private static final class NotJson extends Exception {
        NotJson() {
            super(null, null, false, false);
        }
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        private char peek() throws NotJson {
            if (pos >= s.length()) {
                throw new NotJson();
            }
            return s.charAt(pos);
        }

        private void expect(char c) throws NotJson {
            if (peek() != c) {
                throw new NotJson();
            }
            pos++;
        }

        void value(int depth) throws NotJson {
            if (depth > MAX_DEPTH) {
                throw new NotJson();
            }
            char c = peek();
            switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true");
                case 'f' -> literal("false");
                case 'n' -> literal("null");
                default -> number();
            }
        }

        private void object(int depth) throws NotJson {
            expect('{');
            pos = skip(s, pos);
            if (peek() == '}') {
                pos++;
                return;
            }
            while (true) {
                pos = skip(s, pos);
                string();
                pos = skip(s, pos);
                expect(':');
                pos = skip(s, pos);
                value(depth + 1);
                pos = skip(s, pos);
                if (peek() == ',') {
                    pos++;
                    continue;
                }
                expect('}');
                return;
            }
        }

        private void array(int depth) throws NotJson {
            expect('[');
            pos = skip(s, pos);
            if (peek() == ']') {
                pos++;
                return;
            }
            while (true) {
                pos = skip(s, pos);
                value(depth + 1);
                pos = skip(s, pos);
                if (peek() == ',') {
                    pos++;
                    continue;
                }
                expect(']');
                return;
            }
        }

        private void string() throws NotJson {
            expect('"');
            while (true) {
                char c = peek();
                pos++;
                if (c == '"') {
                    return;
                }
                if (c < 0x20) {
                    throw new NotJson();
                }
                if (c == '\\') {
                    char e = peek();
                    pos++;
                    switch (e) {
                        case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {}
                        case 'u' -> {
                            if (pos + 4 > s.length()) {
                                throw new NotJson();
                            }
                            int code;
                            try {
                                code = Integer.parseInt(s.substring(pos, pos + 4), 16);
                            } catch (NumberFormatException ex) {
                                throw new NotJson();
                            }
                            if (code == 0 || Character.isSurrogate((char) code)) {
                                // PostgreSQL refuses \u0000 and unpaired surrogate escapes; pairs are rare
                                // enough in keys and values to treat conservatively as non-JSON.
                                throw new NotJson();
                            }
                            pos += 4;
                        }
                        default -> throw new NotJson();
                    }
                }
            }
        }

        private void literal(String word) throws NotJson {
            if (!s.startsWith(word, pos)) {
                throw new NotJson();
            }
            pos += word.length();
        }

        private void number() throws NotJson {
            if (peek() == '-') {
                pos++;
            }
            char c = peek();
            if (c == '0') {
                pos++;
            } else if (c >= '1' && c <= '9') {
                digits();
            } else {
                throw new NotJson();
            }
            if (pos < s.length() && s.charAt(pos) == '.') {
                pos++;
                if (digits() == 0) {
                    throw new NotJson();
                }
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                int start = pos;
                if (digits() == 0) {
                    throw new NotJson();
                }
                String exponent = s.substring(start, pos).replaceFirst("^0+(?=.)", "");
                if (exponent.length() > 4 || Integer.parseInt(exponent) > 1000) {
                    throw new NotJson();
                }
            }
        }

        private int digits() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            return pos - start;
        }
    }
}
