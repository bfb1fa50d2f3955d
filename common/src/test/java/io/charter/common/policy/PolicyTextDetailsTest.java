package io.charter.common.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.charter.common.pki.Role;
import org.junit.jupiter.api.Test;

/**
 * The parts of the policy language's error messages and printed forms that users and logs read: where an
 * error is, what character was found, the hint for each kind of mistake, and the policies' own text.
 */
class PolicyTextDetailsTest {

    @Test
    void emptyTextExpectsAWholePolicyOrASignaturePolicyDependingOnWhatIsParsed() {
        PolicySyntaxException whole = error(() -> PolicyParser.parse("  "));
        PolicySyntaxException signature = error(() -> PolicyParser.parseSignaturePolicy(""));

        assertThat(whole.code()).isEqualTo(PolicyErrorCode.POLICY_EMPTY);
        assertThat(whole.expected()).endsWith("or ANY/ALL/MAJORITY and a policy name");
        assertThat(signature.expected()).doesNotContain("ANY/ALL/MAJORITY").startsWith("a policy: AND(...)");
    }

    @Test
    void aPrincipalThatIsNotAPolicyStartExpectsTheRightStart() {
        assertThat(error(() -> PolicyParser.parse(")")).expected()).contains("ANY/ALL/MAJORITY");
        assertThat(error(() -> PolicyParser.parseSignaturePolicy(")")).expected()).doesNotContain("ANY/ALL/MAJORITY");
    }

    @Test
    void emptyTextOnANewLineIsOnTheFirstLine() {
        PolicySyntaxException error = error(() -> PolicyParser.parse("\n"));

        assertThat(error.line()).isEqualTo(1);
        assertThat(error.column()).isEqualTo(1);
        assertThat(error.getMessage()).startsWith("column 1: expected");
    }

    @Test
    void trailingInputHasAHintForAnExtraParenthesisAndAnotherForASecondPolicy() {
        PolicySyntaxException extraParenthesis = error(() -> PolicyParser.parse("'Org1.peer')"));
        PolicySyntaxException secondPolicy = error(() -> PolicyParser.parse("'Org1.peer' 'Org2.peer'"));

        assertThat(extraParenthesis.code()).isEqualTo(PolicyErrorCode.POLICY_TRAILING_INPUT);
        assertThat(extraParenthesis.hint()).isEqualTo("remove the extra ')'");
        assertThat(secondPolicy.code()).isEqualTo(PolicyErrorCode.POLICY_TRAILING_INPUT);
        assertThat(secondPolicy.hint()).contains("put them in AND(...) or OR(...)");
    }

    @Test
    void implicitMetaWithParenthesesIsToldItTakesAName() {
        assertThat(error(() -> PolicyParser.parse("ANY (Readers)")).hint())
                .isEqualTo("ANY takes a name, not parentheses: ANY Readers");
        assertThat(error(() -> PolicyParser.parse("MAJORITY 9Admins")).hint()).startsWith("name the organizations' policy");
    }

    @Test
    void thresholdKeywordWithoutParenthesisShowsItsOwnUsage() {
        assertThat(error(() -> PolicyParser.parse("OutOf 2")).hint()).isEqualTo("write OutOf(n, p1, p2, ...)");
        assertThat(error(() -> PolicyParser.parse("AND 'Org1.peer'")).hint()).isEqualTo("write AND(p1, p2, ...)");
    }

    @Test
    void anUnclosedParenthesisIsNamedByItsColumnOnItsLine() {
        PolicySyntaxException error = error(() -> PolicyParser.parse("\nAND(\n'Org1.peer'"));

        assertThat(error.code()).isEqualTo(PolicyErrorCode.POLICY_MISSING_PARENTHESIS);
        assertThat(error.hint()).isEqualTo("close AND( of column 4 with ')'");
        assertThat(error.line()).isEqualTo(3);
    }

    @Test
    void nineDigitThresholdIsParsedAndComparedTenDigitsAreRefusedAsSuch() {
        PolicySyntaxException nine = error(() -> PolicyParser.parse("OutOf(100000000, 'Org1.peer')"));
        PolicySyntaxException ten = error(() -> PolicyParser.parse("OutOf(1000000000, 'Org1.peer')"));

        assertThat(nine.code()).isEqualTo(PolicyErrorCode.POLICY_BAD_THRESHOLD);
        assertThat(nine.expected()).isEqualTo("a threshold between 1 and 1, the number of sub-policies");
        assertThat(ten.code()).isEqualTo(PolicyErrorCode.POLICY_BAD_THRESHOLD);
        assertThat(ten.hint()).isEqualTo("the threshold cannot exceed the number of sub-policies");
    }

    @Test
    void foundCharactersThatCannotBeShownAreGivenByCodePoint() {
        assertThat(found("\u0001")).isEqualTo("character U+0001");
        assertThat(found("\u0378")).as("unassigned").isEqualTo("character U+0378");
        assertThat(found("\u200B")).as("format").isEqualTo("character U+200B");
        assertThat(found("\uD800")).as("lone surrogate").isEqualTo("character U+D800");
        assertThat(found("%")).isEqualTo("'%'");
        assertThat(found("\u00E9")).isEqualTo("'\u00E9'");
    }

    @Test
    void longFoundWordsAreShortenedPastFortyCharacters() {
        String forty = "w".repeat(40);
        String fortyOne = "w".repeat(41);

        assertThat(error(() -> PolicyParser.parse("'Org1.peer' " + forty)).found()).isEqualTo("'" + forty + "'");
        assertThat(error(() -> PolicyParser.parse("'Org1.peer' " + fortyOne)).found())
                .isEqualTo("'" + "w".repeat(37) + "...'");
    }

    @Test
    void policiesPrintAsTheirCanonicalText() {
        Policy parsed = Policy.parse("OutOf(2, 'Org1.peer', 'Org2.peer', 'Org3.admin')");
        SignedBy org1Admin = SignaturePolicy.signedBy(new Principal("Org1", PrincipalRole.of(Role.ADMIN)));

        assertThat(parsed).hasToString("OutOf(2, 'Org1.peer', 'Org2.peer', 'Org3.admin')");
        assertThat(org1Admin).hasToString("'Org1.admin'");
        assertThat(org1Admin.principal()).hasToString("'Org1.admin'");
        assertThat(Policy.parse("MAJORITY Admins")).hasToString("MAJORITY Admins");
        assertThat(new Evaluation(true, "x")).hasToString("satisfied: x");
        assertThat(new Evaluation(false, "y")).hasToString("not satisfied: y");
    }

    @Test
    void principalRolesFollowTheCertificateRoles() {
        for (Role role : Role.values()) {
            assertThat(PrincipalRole.of(role).label()).isEqualTo(role.label());
        }
    }

    @Test
    void organizationsWithDefaultsAreListed() {
        SubPolicies defaults = SubPolicies.withDefaults(java.util.List.of("Org2", "Org1"));

        assertThat(defaults.organizations()).containsExactly("Org1", "Org2");
        assertThat(defaults.policy("Org1", SubPolicies.ADMINS)).contains(SignaturePolicy.signedBy("Org1", PrincipalRole.ADMIN));
    }

    @Test
    void aShortfallThatIncludesACompoundPartCountsWhatIsNeededRatherThanListingSignatures() {
        Policy twoPrincipals = Policy.parse("AND('Org1.peer', 'Org2.peer')");
        Policy withCompound = Policy.parse("AND('Org1.peer', OR('Org2.peer', 'Org3.peer'))");
        SubPolicies organizations = SubPolicies.withDefaults("Org1", "Org2", "Org3");

        assertThat(PolicyEvaluator.evaluate(twoPrincipals, java.util.List.of(), organizations).explanation())
                .contains("missing signatures from 'Org1.peer', 'Org2.peer'");
        assertThat(PolicyEvaluator.evaluate(withCompound, java.util.List.of(), organizations).explanation())
                .contains("needs 2 more of").doesNotContain("missing signatures from");
    }

    private static String found(String text) {
        return error(() -> PolicyParser.parse(text)).found();
    }

    private static PolicySyntaxException error(Runnable parse) {
        PolicySyntaxException error = catchThrowableOfType(PolicySyntaxException.class, parse::run);
        assertThat(error).as("a PolicySyntaxException").isNotNull();
        return error;
    }
}
