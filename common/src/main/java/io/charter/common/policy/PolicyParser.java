package io.charter.common.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses policy text into a {@link Policy}. See the package documentation for the grammar.
 *
 * <p>Recursive descent over a lexer that runs one token ahead, so the error reported is the first
 * one in the text. Every failure is a {@link PolicySyntaxException}; nothing else escapes.
 */
public final class PolicyParser {

    /** Deeper nesting is rejected so that hostile text cannot exhaust the stack. */
    public static final int MAX_DEPTH = 32;

    private static final String ROLES = "member, admin, client, peer or orderer";
    private static final String POLICY_START =
            "a policy: AND(...), OR(...), OutOf(n, ...) or a quoted principal such as 'Org1.peer'";
    private static final String WHOLE_POLICY_START = POLICY_START + ", or ANY/ALL/MAJORITY and a policy name";
    private static final int MAX_THRESHOLD_DIGITS = 9;

    private enum Kind { LEFT_PAREN, RIGHT_PAREN, COMMA, WORD, QUOTED, OTHER, END }

    private record Token(Kind kind, int offset, String raw) {}

    private final String text;
    private int position;
    private Token lookahead;

    private PolicyParser(String text) {
        this.text = text;
    }

    /**
     * Parses a whole policy: a signature policy such as {@code AND('Org1.peer', 'Org2.peer')} or an
     * implicit meta policy such as {@code MAJORITY Admins}.
     */
    public static Policy parse(String text) throws PolicySyntaxException {
        return new PolicyParser(text).parseWhole(true);
    }

    /** Parses text that must be a signature policy; ANY/ALL/MAJORITY are rejected. */
    public static SignaturePolicy parseSignaturePolicy(String text) throws PolicySyntaxException {
        return (SignaturePolicy) new PolicyParser(text).parseWhole(false);
    }

    private Policy parseWhole(boolean implicitMetaAllowed) {
        Token first = peek();
        if (first.kind() == Kind.END) {
            throw error(PolicyErrorCode.POLICY_EMPTY, 0, implicitMetaAllowed ? WHOLE_POLICY_START : POLICY_START,
                    "nothing",
                    "write a policy such as OR('Org1.member', 'Org2.member') or MAJORITY Admins");
        }
        Policy policy;
        Optional<ImplicitMeta.Rule> rule = implicitMetaRule(first);
        if (rule.isPresent()) {
            if (!implicitMetaAllowed) {
                throw error(PolicyErrorCode.POLICY_IMPLICIT_META_NOT_ALLOWED, first, "a signature policy",
                        "ANY, ALL and MAJORITY policies refer to other policies and are not allowed here;"
                                + " name principals, e.g. OR('Org1.peer', 'Org2.peer')");
            }
            advance();
            policy = parseImplicitMeta(rule.get(), first);
        } else {
            policy = parseSignature(0, implicitMetaAllowed ? WHOLE_POLICY_START : POLICY_START);
        }
        Token trailing = peek();
        if (trailing.kind() != Kind.END) {
            String hint = trailing.kind() == Kind.RIGHT_PAREN
                    ? "remove the extra ')'"
                    : "the policy ends before this; to combine policies, put them in AND(...) or OR(...)";
            throw error(PolicyErrorCode.POLICY_TRAILING_INPUT, trailing, "the end of the policy", hint);
        }
        return policy;
    }

    private ImplicitMeta parseImplicitMeta(ImplicitMeta.Rule rule, Token keyword) {
        Token name = advance();
        if (name.kind() != Kind.WORD || !ImplicitMeta.SUB_POLICY_NAME.matcher(name.raw()).matches()) {
            String hint = name.kind() == Kind.LEFT_PAREN
                    ? rule + " takes a name, not parentheses: " + rule + " Readers"
                    : "name the organizations' policy, a letter followed by letters, digits, '_' or '-'";
            throw error(PolicyErrorCode.POLICY_BAD_SUB_POLICY_NAME, name,
                    "a sub-policy name after " + keyword.raw() + ", such as Readers, Writers or Admins", hint);
        }
        return new ImplicitMeta(rule, name.raw());
    }

    private SignaturePolicy parseSignature(int depth, String expected) {
        Token token = advance();
        if (depth > MAX_DEPTH) {
            throw error(PolicyErrorCode.POLICY_TOO_DEEP, token, "at most " + MAX_DEPTH + " levels of nesting",
                    "flatten the policy");
        }
        switch (token.kind()) {
            case QUOTED:
                return new SignedBy(principal(token));
            case WORD:
                String keyword = token.raw().toUpperCase(Locale.ROOT);
                switch (keyword) {
                    case "AND", "OR", "OUTOF":
                        return parseThreshold(keyword, token, depth);
                    default:
                        break;
                }
                Optional<ImplicitMeta.Rule> nested = implicitMetaRule(token);
                if (nested.isPresent()) {
                    throw error(PolicyErrorCode.POLICY_NESTED_IMPLICIT_META, token, "a signature policy",
                            nested.get() + " policies stand alone as the whole policy, e.g. MAJORITY Admins;"
                                    + " inside AND, OR and OutOf name principals instead");
                }
                if (token.raw().contains(".") && Character.isLetterOrDigit(token.raw().charAt(0))) {
                    throw error(PolicyErrorCode.POLICY_SYNTAX, token, expected,
                            "put principals in quotes: '" + token.raw() + "'");
                }
                if (!Character.isLetter(token.raw().charAt(0))) {
                    throw error(PolicyErrorCode.POLICY_SYNTAX, token, expected,
                            "only OutOf takes a number, as its first argument: OutOf(2, ...)");
                }
                throw error(PolicyErrorCode.POLICY_UNKNOWN_KEYWORD, token, expected,
                        "the keywords are AND, OR, OutOf, and ANY, ALL, MAJORITY for a whole policy");
            case RIGHT_PAREN:
                throw error(PolicyErrorCode.POLICY_SYNTAX, token, expected, "remove the comma before ')'");
            default:
                throw error(PolicyErrorCode.POLICY_SYNTAX, token, expected, "");
        }
    }

    /** AND(...), OR(...) or OutOf(n, ...), after its keyword. */
    private NOutOf parseThreshold(String keyword, Token keywordToken, int depth) {
        String name = keywordToken.raw();
        String usage = keyword.equals("OUTOF") ? name + "(n, p1, p2, ...)" : name + "(p1, p2, ...)";
        Token open = advance();
        if (open.kind() != Kind.LEFT_PAREN) {
            throw error(PolicyErrorCode.POLICY_MISSING_PARENTHESIS, open, "'(' after " + name, "write " + usage);
        }
        Optional<Token> thresholdToken = Optional.empty();
        int threshold = 0;
        if (keyword.equals("OUTOF")) {
            Token number = advance();
            if (number.kind() == Kind.RIGHT_PAREN) {
                throw error(PolicyErrorCode.POLICY_EMPTY_ARGUMENTS, number,
                        "a threshold and sub-policies in " + name, "write " + usage);
            }
            threshold = threshold(number, name);
            thresholdToken = Optional.of(number);
            Token comma = advance();
            if (comma.kind() == Kind.RIGHT_PAREN) {
                throw error(PolicyErrorCode.POLICY_EMPTY_ARGUMENTS, comma,
                        "',' and sub-policies after the threshold", "write " + usage);
            }
            if (comma.kind() != Kind.COMMA) {
                throw error(PolicyErrorCode.POLICY_SYNTAX, comma, "',' after the threshold", "write " + usage);
            }
        } else if (peek().kind() == Kind.RIGHT_PAREN) {
            throw error(PolicyErrorCode.POLICY_EMPTY_ARGUMENTS, peek(), "at least one sub-policy in " + name,
                    "write " + usage);
        }

        List<SignaturePolicy> rules = new ArrayList<>();
        String expected = "a sub-policy of " + name + ": AND(...), OR(...), OutOf(n, ...) or a quoted principal";
        while (true) {
            SignaturePolicy rule = parseSignature(depth + 1, expected);
            rules.add(rule);
            Token separator = advance();
            if (separator.kind() == Kind.RIGHT_PAREN) {
                break;
            }
            if (separator.kind() != Kind.COMMA) {
                String after = rule instanceof SignedBy ? "a principal" : "a sub-policy";
                if (separator.kind() == Kind.END) {
                    throw error(PolicyErrorCode.POLICY_MISSING_PARENTHESIS, separator, "',' or ')' after " + after,
                            "close " + name + "( of column " + columnOf(open) + " with ')'");
                }
                throw error(PolicyErrorCode.POLICY_SYNTAX, separator, "',' or ')' after " + after,
                        "separate arguments with commas");
            }
            expected = "a sub-policy after ','";
        }

        return switch (keyword) {
            case "AND" -> new NOutOf(rules.size(), rules);
            case "OR" -> new NOutOf(1, rules);
            default -> {
                if (threshold > rules.size()) {
                    throw error(PolicyErrorCode.POLICY_BAD_THRESHOLD, thresholdToken.orElseThrow(),
                            "a threshold between 1 and " + rules.size() + ", the number of sub-policies",
                            "OutOf(n, ...) needs at least n sub-policies");
                }
                yield new NOutOf(threshold, rules);
            }
        };
    }

    private int threshold(Token number, String keyword) {
        String expected = "a threshold, a whole number from 1, as the first argument of " + keyword;
        if (number.kind() != Kind.WORD || !number.raw().chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw error(PolicyErrorCode.POLICY_BAD_THRESHOLD, number, expected, "write OutOf(n, p1, p2, ...)");
        }
        String digits = number.raw().replaceFirst("^0+(?=.)", "");
        if (digits.length() > MAX_THRESHOLD_DIGITS) {
            throw error(PolicyErrorCode.POLICY_BAD_THRESHOLD, number, expected,
                    "the threshold cannot exceed the number of sub-policies");
        }
        int threshold = Integer.parseInt(digits);
        if (threshold < 1) {
            throw error(PolicyErrorCode.POLICY_BAD_THRESHOLD, number, expected,
                    "a threshold of 0 would need no signature at all");
        }
        return threshold;
    }

    private Principal principal(Token token) {
        String raw = token.raw();
        String body = raw.substring(1, raw.length() - 1);
        int bodyOffset = token.offset() + 1;
        int dot = body.lastIndexOf('.');
        if (dot < 0) {
            throw error(PolicyErrorCode.POLICY_BAD_PRINCIPAL, token, "a principal of the form 'MSPID.role'",
                    "name a role after a dot, e.g. 'Org1.member'");
        }
        String mspId = body.substring(0, dot);
        if (mspId.isEmpty()) {
            throw error(PolicyErrorCode.POLICY_BAD_MSP_ID, bodyOffset, "an MSP id before '.role'",
                    describe(token), "name the organization, e.g. 'Org1.peer'");
        }
        for (int i = 0; i < mspId.length(); i++) {
            char c = mspId.charAt(i);
            if (!Principal.MSP_ID.matcher(String.valueOf(c)).matches()) {
                throw error(PolicyErrorCode.POLICY_BAD_MSP_ID, bodyOffset + i,
                        "letters, digits, '.', '_' or '-' in the MSP id", describeCharacter(mspId, i), "");
            }
        }
        String label = body.substring(dot + 1);
        Optional<PrincipalRole> role = PrincipalRole.fromLabel(label);
        if (role.isEmpty()) {
            Optional<PrincipalRole> caseInsensitive = PrincipalRole.fromLabel(label.toLowerCase(Locale.ROOT));
            String hint = caseInsensitive
                    .map(r -> "roles are lower case: '" + mspId + "." + r.label() + "'")
                    .orElse("use member to accept any role of the organization");
            throw error(PolicyErrorCode.POLICY_UNKNOWN_ROLE, bodyOffset + dot + 1, "a role: " + ROLES,
                    label.isEmpty() ? "nothing" : "'" + shorten(label) + "'", hint);
        }
        return new Principal(mspId, role.get());
    }

    private static Optional<ImplicitMeta.Rule> implicitMetaRule(Token token) {
        if (token.kind() != Kind.WORD) {
            return Optional.empty();
        }
        return switch (token.raw().toUpperCase(Locale.ROOT)) {
            case "ANY" -> Optional.of(ImplicitMeta.Rule.ANY);
            case "ALL" -> Optional.of(ImplicitMeta.Rule.ALL);
            case "MAJORITY" -> Optional.of(ImplicitMeta.Rule.MAJORITY);
            default -> Optional.empty();
        };
    }

    // ---- lexer ----

    private Token peek() {
        if (lookahead == null) {
            lookahead = lex();
        }
        return lookahead;
    }

    private Token advance() {
        Token token = peek();
        lookahead = null;
        return token;
    }

    private Token lex() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
        int start = position;
        if (start == text.length()) {
            return new Token(Kind.END, start, "");
        }
        char c = text.charAt(start);
        switch (c) {
            case '(':
                position++;
                return new Token(Kind.LEFT_PAREN, start, "(");
            case ')':
                position++;
                return new Token(Kind.RIGHT_PAREN, start, ")");
            case ',':
                position++;
                return new Token(Kind.COMMA, start, ",");
            case '\'', '"':
                int close = text.indexOf(c, start + 1);
                if (close < 0) {
                    throw error(PolicyErrorCode.POLICY_UNTERMINATED_QUOTE, start,
                            "a closing " + c + " for the principal opened here", "end of input",
                            "close the quote, e.g. " + c + "Org1.peer" + c);
                }
                position = close + 1;
                return new Token(Kind.QUOTED, start, text.substring(start, position));
            default:
                if (isWordCharacter(c)) {
                    while (position < text.length() && isWordCharacter(text.charAt(position))) {
                        position++;
                    }
                    return new Token(Kind.WORD, start, text.substring(start, position));
                }
                position += Character.charCount(text.codePointAt(start));
                return new Token(Kind.OTHER, start, text.substring(start, position));
        }
    }

    private static boolean isWordCharacter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '_' || c == '.' || c == '-';
    }

    // ---- errors ----

    private PolicySyntaxException error(PolicyErrorCode code, Token at, String expected, String hint) {
        return error(code, at.offset(), expected, describe(at), hint);
    }

    private PolicySyntaxException error(
            PolicyErrorCode code, int offset, String expected, String found, String hint) {
        return new PolicySyntaxException(code, text, offset, expected, found, hint);
    }

    private int columnOf(Token token) {
        return token.offset() - (text.lastIndexOf('\n', token.offset() - 1) + 1) + 1;
    }

    private static String describe(Token token) {
        return switch (token.kind()) {
            case END -> "end of input";
            case QUOTED -> shorten(token.raw());
            case OTHER -> describeCharacter(token.raw(), 0);
            default -> "'" + shorten(token.raw()) + "'";
        };
    }

    private static String describeCharacter(String s, int index) {
        int codePoint = s.codePointAt(index);
        if (Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
                || !Character.isDefined(codePoint) || Character.getType(codePoint) == Character.FORMAT
                || Character.isSurrogate(s.charAt(index))) {
            return String.format(Locale.ROOT, "character U+%04X", codePoint);
        }
        return "'" + Character.toString(codePoint) + "'";
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
