package io.charter.common.policy;

import java.util.List;

/**
 * A policy over principals: satisfied by signatures, without reference to other policies.
 * {@code AND} and {@code OR} are not separate types: they are {@link NOutOf} with n = all and n = 1,
 * so the evaluator has one rule to get right.
 */
public sealed interface SignaturePolicy extends Policy permits SignedBy, NOutOf {

    static SignedBy signedBy(Principal principal) {
        return new SignedBy(principal);
    }

    static SignedBy signedBy(String mspId, PrincipalRole role) {
        return new SignedBy(new Principal(mspId, role));
    }

    static NOutOf and(SignaturePolicy... rules) {
        return new NOutOf(rules.length, List.of(rules));
    }

    static NOutOf or(SignaturePolicy... rules) {
        return new NOutOf(1, List.of(rules));
    }

    static NOutOf outOf(int n, SignaturePolicy... rules) {
        return new NOutOf(n, List.of(rules));
    }

    /** Parses text that must be a signature policy; see {@link PolicyParser#parseSignaturePolicy(String)}. */
    static SignaturePolicy parse(String text) throws PolicySyntaxException {
        return PolicyParser.parseSignaturePolicy(text);
    }
}
