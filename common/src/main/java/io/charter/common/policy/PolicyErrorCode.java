package io.charter.common.policy;

/** Stable codes for policy text errors; callers and tests match on these, not on messages. */
public enum PolicyErrorCode {
    /** The text is empty or only whitespace. */
    POLICY_EMPTY,
    /** A token that does not fit where it is, e.g. a missing comma or a stray character. */
    POLICY_SYNTAX,
    /** A word where a keyword was expected that is none of AND, OR, OutOf, ANY, ALL, MAJORITY. */
    POLICY_UNKNOWN_KEYWORD,
    /** A principal's opening quote has no closing quote. */
    POLICY_UNTERMINATED_QUOTE,
    /** An opening or closing parenthesis is missing. */
    POLICY_MISSING_PARENTHESIS,
    /** Text after a complete policy. */
    POLICY_TRAILING_INPUT,
    /** OutOf's threshold is not a whole number between 1 and its number of sub-policies. */
    POLICY_BAD_THRESHOLD,
    /** A principal names a role other than member, admin, client, peer, orderer. */
    POLICY_UNKNOWN_ROLE,
    /** A principal has no {@code .role} part. */
    POLICY_BAD_PRINCIPAL,
    /** A principal's MSP id is empty or has characters other than letters, digits, '.', '_' and '-'. */
    POLICY_BAD_MSP_ID,
    /** AND(), OR() or OutOf(n) with no sub-policies. */
    POLICY_EMPTY_ARGUMENTS,
    /** ANY/ALL/MAJORITY inside AND, OR or OutOf. */
    POLICY_NESTED_IMPLICIT_META,
    /** ANY/ALL/MAJORITY where only a signature policy is allowed. */
    POLICY_IMPLICIT_META_NOT_ALLOWED,
    /** The sub-policy name after ANY/ALL/MAJORITY is missing or malformed. */
    POLICY_BAD_SUB_POLICY_NAME,
    /** Nesting deeper than the parser accepts. */
    POLICY_TOO_DEEP
}
