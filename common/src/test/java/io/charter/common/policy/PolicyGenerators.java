package io.charter.common.policy;

import io.charter.common.policy.ImplicitMeta.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/** QuickTheories generators of policy ASTs and policy-like text. */
final class PolicyGenerators {

    private static final String MSP_ID_CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
    private static final String NAME_START = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String NAME_REST = NAME_START + "0123456789_-";

    private PolicyGenerators() {}

    static int between(RandomnessSource in, int min, int max) {
        return (int) in.next(Constraint.between(min, max));
    }

    static <T> T pick(RandomnessSource in, List<T> choices) {
        return choices.get(between(in, 0, choices.size() - 1));
    }

    /** Signature policies with arbitrary MSP ids, up to {@code maxDepth} levels of thresholds. */
    static Gen<SignaturePolicy> signaturePolicies(int maxDepth) {
        return in -> signaturePolicy(in, maxDepth, () -> new Principal(mspId(in), pick(in, List.of(PrincipalRole.values()))));
    }

    /** Signature policies whose principals come from {@code principals}. */
    static Gen<SignaturePolicy> signaturePoliciesOver(List<Principal> principals, int maxDepth, int maxWidth) {
        return in -> signaturePolicy(in, maxDepth, maxWidth, () -> pick(in, principals));
    }

    static Gen<Policy> policies() {
        Gen<SignaturePolicy> signature = signaturePolicies(4);
        return in -> between(in, 0, 4) == 0
                ? new ImplicitMeta(pick(in, List.of(Rule.values())), name(in))
                : signature.generate(in);
    }

    private static SignaturePolicy signaturePolicy(
            RandomnessSource in, int depth, Supplier<Principal> principals) {
        return signaturePolicy(in, depth, 4, principals);
    }

    private static SignaturePolicy signaturePolicy(
            RandomnessSource in, int depth, int maxWidth, Supplier<Principal> principals) {
        if (depth == 0 || between(in, 0, 2) == 0) {
            return new SignedBy(principals.get());
        }
        int width = between(in, 1, maxWidth);
        List<SignaturePolicy> rules = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            rules.add(signaturePolicy(in, depth - 1, maxWidth, principals));
        }
        return new NOutOf(between(in, 1, width), rules);
    }

    private static String mspId(RandomnessSource in) {
        StringBuilder id = new StringBuilder();
        int length = between(in, 1, 8);
        for (int i = 0; i < length; i++) {
            id.append(MSP_ID_CHARACTERS.charAt(between(in, 0, MSP_ID_CHARACTERS.length() - 1)));
        }
        return id.toString();
    }

    private static String name(RandomnessSource in) {
        StringBuilder name = new StringBuilder().append(NAME_START.charAt(between(in, 0, NAME_START.length() - 1)));
        int length = between(in, 0, 10);
        for (int i = 0; i < length; i++) {
            name.append(NAME_REST.charAt(between(in, 0, NAME_REST.length() - 1)));
        }
        return name.toString();
    }

    private static final List<String> TOKENS = List.of(
            "AND", "and", "OR", "Or", "OutOf", "OUTOF", "ANY", "ALL", "MAJORITY", "Readers", "NAND",
            "(", ")", ",", " ", "\n", "\t", "'", "\"", "'Org1.peer'", "\"Org2.member\"", "'Org1.'", "'.admin'",
            "'Org1'", "'O g.peer'", "Org1.peer", "0", "1", "2", "3", "-1", "99999999999", ".", "x", ";", "\u0000",
            "\uD83D\uDE00", "\uD800", "é");

    /** Strings made of policy tokens and fragments, which reach deeper into the parser than noise does. */
    static Gen<String> tokenSoup() {
        return in -> {
            StringBuilder text = new StringBuilder();
            int count = between(in, 0, 20);
            for (int i = 0; i < count; i++) {
                text.append(pick(in, TOKENS));
            }
            return text.toString();
        };
    }

    /** The text of a valid policy with one character deleted, replaced or inserted. */
    static Gen<String> mutatedPolicyText() {
        Gen<Policy> policies = policies();
        return in -> {
            StringBuilder text = new StringBuilder(policies.generate(in).text());
            int at = between(in, 0, text.length() - 1);
            char replacement = pick(in, List.of('(', ')', ',', '\'', '"', '.', ' ', 'A', '0', 'x'));
            switch (between(in, 0, 2)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.setCharAt(at, replacement);
                default -> text.insert(at, replacement);
            }
            return text.toString();
        };
    }
}
