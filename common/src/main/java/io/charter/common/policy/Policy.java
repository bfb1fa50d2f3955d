package io.charter.common.policy;

/**
 * A parsed policy: either a {@link SignaturePolicy} over principals, or an {@link ImplicitMeta}
 * policy that refers to the same-named policy of every organization.
 *
 * <p>{@link #text()} is the canonical text; {@code PolicyParser.parse(p.text())} equals {@code p}.
 */
public sealed interface Policy permits SignaturePolicy, ImplicitMeta {

    /** The canonical policy text, which parses back to an equal policy. */
    String text();

    /** Parses policy text; see {@link PolicyParser#parse(String)}. */
    static Policy parse(String text) throws PolicySyntaxException {
        return PolicyParser.parse(text);
    }
}
