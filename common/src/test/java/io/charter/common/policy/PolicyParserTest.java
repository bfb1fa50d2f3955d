package io.charter.common.policy;

import static io.charter.common.policy.SignaturePolicy.and;
import static io.charter.common.policy.SignaturePolicy.or;
import static io.charter.common.policy.SignaturePolicy.outOf;
import static io.charter.common.policy.SignaturePolicy.signedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.charter.common.policy.ImplicitMeta.Rule;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyParserTest {

    private static final SignedBy ORG1_PEER = signedBy("Org1", PrincipalRole.PEER);
    private static final SignedBy ORG2_PEER = signedBy("Org2", PrincipalRole.PEER);
    private static final SignedBy ORG3_PEER = signedBy("Org3", PrincipalRole.PEER);

    static Stream<Arguments> validPolicies() {
        return Stream.of(
                Arguments.of("'Org1.member'", signedBy("Org1", PrincipalRole.MEMBER)),
                Arguments.of("'Org1.peer'", ORG1_PEER),
                Arguments.of("'Org1.admin'", signedBy("Org1", PrincipalRole.ADMIN)),
                Arguments.of("'Org1.client'", signedBy("Org1", PrincipalRole.CLIENT)),
                Arguments.of("'Org1.orderer'", signedBy("Org1", PrincipalRole.ORDERER)),
                Arguments.of("\"Org1.peer\"", ORG1_PEER),
                Arguments.of("'org-1_A.b.peer'", signedBy("org-1_A.b", PrincipalRole.PEER)),
                Arguments.of("AND('Org1.peer', OR('Org2.peer', 'Org3.peer'))",
                        and(ORG1_PEER, or(ORG2_PEER, ORG3_PEER))),
                Arguments.of("OutOf(2, 'Org1.peer', 'Org2.peer', 'Org3.peer')",
                        outOf(2, ORG1_PEER, ORG2_PEER, ORG3_PEER)),
                Arguments.of("and('Org1.peer','Org2.peer')", and(ORG1_PEER, ORG2_PEER)),
                Arguments.of("or('Org1.peer')", or(ORG1_PEER)),
                Arguments.of("outof(1,'Org1.peer')", outOf(1, ORG1_PEER)),
                Arguments.of("OUTOF(002, 'Org1.peer', 'Org2.peer')", outOf(2, ORG1_PEER, ORG2_PEER)),
                Arguments.of(" \tAND (\n 'Org1.peer' ,\r\n\"Org2.peer\" ) \n", and(ORG1_PEER, ORG2_PEER)),
                Arguments.of("ANY Readers", new ImplicitMeta(Rule.ANY, "Readers")),
                Arguments.of("ALL Writers", new ImplicitMeta(Rule.ALL, "Writers")),
                Arguments.of("MAJORITY Admins", new ImplicitMeta(Rule.MAJORITY, "Admins")),
                Arguments.of("  majority\n  Lifecycle_Endorsement  ", new ImplicitMeta(Rule.MAJORITY, "Lifecycle_Endorsement")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validPolicies")
    void parsesEachValidForm(String text, Policy expected) {
        assertThat(PolicyParser.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validPolicies")
    void canonicalTextParsesBackToTheSamePolicy(String text, Policy expected) {
        Policy parsed = PolicyParser.parse(text);
        assertThat(PolicyParser.parse(parsed.text())).isEqualTo(parsed);
    }

    @Test
    void canonicalTextNamesAndOrAndOutOfByWhatTheyMean() {
        assertThat(and(ORG1_PEER, ORG2_PEER).text()).isEqualTo("AND('Org1.peer', 'Org2.peer')");
        assertThat(or(ORG1_PEER, ORG2_PEER).text()).isEqualTo("OR('Org1.peer', 'Org2.peer')");
        assertThat(outOf(2, ORG1_PEER, ORG2_PEER, ORG3_PEER).text())
                .isEqualTo("OutOf(2, 'Org1.peer', 'Org2.peer', 'Org3.peer')");
        assertThat(new ImplicitMeta(Rule.MAJORITY, "Admins").text()).isEqualTo("MAJORITY Admins");
    }

    static Stream<Arguments> invalidPolicies() {
        return Stream.of(
                // text, code, offset
                Arguments.of("", PolicyErrorCode.POLICY_EMPTY, 0),
                Arguments.of("  \n ", PolicyErrorCode.POLICY_EMPTY, 0),
                Arguments.of("NAND('Org1.peer')", PolicyErrorCode.POLICY_UNKNOWN_KEYWORD, 0),
                Arguments.of("AND('Org1.peer', XOR('Org2.peer'))", PolicyErrorCode.POLICY_UNKNOWN_KEYWORD, 17),
                Arguments.of("OR('Org1.peer', 'Org2.peer)", PolicyErrorCode.POLICY_UNTERMINATED_QUOTE, 16),
                Arguments.of("\"Org1.peer'", PolicyErrorCode.POLICY_UNTERMINATED_QUOTE, 0),
                Arguments.of("AND('Org1.peer', 'Org2.peer'", PolicyErrorCode.POLICY_MISSING_PARENTHESIS, 28),
                Arguments.of("AND 'Org1.peer'", PolicyErrorCode.POLICY_MISSING_PARENTHESIS, 4),
                Arguments.of("AND('Org1.peer'))", PolicyErrorCode.POLICY_TRAILING_INPUT, 16),
                Arguments.of("'Org1.peer' 'Org2.peer'", PolicyErrorCode.POLICY_TRAILING_INPUT, 12),
                Arguments.of("ANY Readers Writers", PolicyErrorCode.POLICY_TRAILING_INPUT, 12),
                Arguments.of("OutOf(0, 'Org1.peer')", PolicyErrorCode.POLICY_BAD_THRESHOLD, 6),
                Arguments.of("OutOf(3, 'Org1.peer', 'Org2.peer')", PolicyErrorCode.POLICY_BAD_THRESHOLD, 6),
                Arguments.of("OutOf(two, 'Org1.peer')", PolicyErrorCode.POLICY_BAD_THRESHOLD, 6),
                Arguments.of("OutOf(-1, 'Org1.peer')", PolicyErrorCode.POLICY_BAD_THRESHOLD, 6),
                Arguments.of("OutOf(99999999999, 'Org1.peer')", PolicyErrorCode.POLICY_BAD_THRESHOLD, 6),
                Arguments.of("OutOf('Org1.peer', 'Org2.peer')", PolicyErrorCode.POLICY_BAD_THRESHOLD, 6),
                Arguments.of("'Org1.peers'", PolicyErrorCode.POLICY_UNKNOWN_ROLE, 6),
                Arguments.of("OR('Org1.peer', 'Org2.Admin')", PolicyErrorCode.POLICY_UNKNOWN_ROLE, 22),
                Arguments.of("'Org1.'", PolicyErrorCode.POLICY_UNKNOWN_ROLE, 6),
                Arguments.of("'Org1'", PolicyErrorCode.POLICY_BAD_PRINCIPAL, 0),
                Arguments.of("'.peer'", PolicyErrorCode.POLICY_BAD_MSP_ID, 1),
                Arguments.of("AND('Org1.peer', '.member')", PolicyErrorCode.POLICY_BAD_MSP_ID, 18),
                Arguments.of("'Org 1.peer'", PolicyErrorCode.POLICY_BAD_MSP_ID, 4),
                Arguments.of("AND()", PolicyErrorCode.POLICY_EMPTY_ARGUMENTS, 4),
                Arguments.of("OR(  )", PolicyErrorCode.POLICY_EMPTY_ARGUMENTS, 5),
                Arguments.of("OutOf()", PolicyErrorCode.POLICY_EMPTY_ARGUMENTS, 6),
                Arguments.of("OutOf(1)", PolicyErrorCode.POLICY_EMPTY_ARGUMENTS, 7),
                Arguments.of("AND('Org1.peer', ANY Readers)", PolicyErrorCode.POLICY_NESTED_IMPLICIT_META, 17),
                Arguments.of("OR(majority Admins)", PolicyErrorCode.POLICY_NESTED_IMPLICIT_META, 3),
                Arguments.of("AND('Org1.peer' 'Org2.peer')", PolicyErrorCode.POLICY_SYNTAX, 16),
                Arguments.of("OR('Org1.peer',)", PolicyErrorCode.POLICY_SYNTAX, 15),
                Arguments.of("OR(Org1.peer)", PolicyErrorCode.POLICY_SYNTAX, 3),
                Arguments.of("OR('Org1.peer'; 'Org2.peer')", PolicyErrorCode.POLICY_SYNTAX, 14),
                Arguments.of("AND(2, 'Org1.peer')", PolicyErrorCode.POLICY_SYNTAX, 4),
                Arguments.of("OutOf(1 'Org1.peer')", PolicyErrorCode.POLICY_SYNTAX, 8),
                Arguments.of("ANY", PolicyErrorCode.POLICY_BAD_SUB_POLICY_NAME, 3),
                Arguments.of("ALL (Writers)", PolicyErrorCode.POLICY_BAD_SUB_POLICY_NAME, 4),
                Arguments.of("ANY 1Readers", PolicyErrorCode.POLICY_BAD_SUB_POLICY_NAME, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPolicies")
    void reportsEachErrorWithItsCodeAndPosition(String text, PolicyErrorCode code, int offset) {
        PolicySyntaxException error = syntaxError(text);

        assertThat(error.code()).isEqualTo(code);
        assertThat(error.offset()).isEqualTo(offset);
        assertThat(error.getMessage()).contains("expected " + error.expected() + " but found " + error.found());
    }

    @Test
    void explainsAMissingCommaWithColumnExpectationAndAdvice() {
        PolicySyntaxException error = syntaxError("AND('Org1.peer' 'Org2.peer')");

        assertThat(error.column()).isEqualTo(17);
        assertThat(error.line()).isEqualTo(1);
        assertThat(error.expected()).isEqualTo("',' or ')' after a principal");
        assertThat(error.found()).isEqualTo("'Org2.peer'");
        assertThat(error.getMessage()).isEqualTo(
                "column 17: expected ',' or ')' after a principal but found 'Org2.peer' — separate arguments with commas");
    }

    @Test
    void givesLineAndColumnOnMultiLineText() {
        PolicySyntaxException error = syntaxError("AND('Org1.peer',\n  'Org2.peers')");

        assertThat(error.code()).isEqualTo(PolicyErrorCode.POLICY_UNKNOWN_ROLE);
        assertThat(error.offset()).isEqualTo(25);
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.column()).isEqualTo(9);
        assertThat(error.getMessage()).startsWith("line 2, column 9: expected a role: member, admin, client, peer or orderer");
    }

    @Test
    void reportsEndOfInputWhereTheClosingParenthesisIsMissing() {
        PolicySyntaxException error = syntaxError("AND('Org1.peer', 'Org2.peer'");

        assertThat(error.found()).isEqualTo("end of input");
        assertThat(error.hint()).isEqualTo("close AND( of column 4 with ')'");
    }

    @Test
    void suggestsLowerCaseForARoleWrittenInAnotherCase() {
        PolicySyntaxException error = syntaxError("'Org1.Peer'");

        assertThat(error.found()).isEqualTo("'Peer'");
        assertThat(error.hint()).isEqualTo("roles are lower case: 'Org1.peer'");
    }

    @Test
    void suggestsQuotesAroundAnUnquotedPrincipal() {
        assertThat(syntaxError("OR(Org1.peer)").hint()).isEqualTo("put principals in quotes: 'Org1.peer'");
    }

    @Test
    void saysThatImplicitMetaPoliciesStandAlone() {
        PolicySyntaxException error = syntaxError("AND('Org1.peer', ANY Readers)");

        assertThat(error.getMessage()).contains("ANY policies stand alone as the whole policy");
    }

    @Test
    void rejectsImplicitMetaWhereOnlyASignaturePolicyIsAllowed() {
        PolicySyntaxException error =
                catchThrowableOfType(PolicySyntaxException.class, () -> PolicyParser.parseSignaturePolicy("ANY Readers"));

        assertThat(error.code()).isEqualTo(PolicyErrorCode.POLICY_IMPLICIT_META_NOT_ALLOWED);
        assertThat(error.offset()).isZero();
        assertThat(PolicyParser.parseSignaturePolicy("OR('Org1.peer')")).isEqualTo(or(ORG1_PEER));
    }

    @Test
    void rejectsNestingDeeperThanTheLimitWithoutExhaustingTheStack() {
        int depth = 10_000;
        String text = "AND(".repeat(depth) + "'Org1.peer'" + ")".repeat(depth);

        PolicySyntaxException error = syntaxError(text);

        assertThat(error.code()).isEqualTo(PolicyErrorCode.POLICY_TOO_DEEP);
        assertThat(error.offset()).isEqualTo(4 * (PolicyParser.MAX_DEPTH + 1));
    }

    @Test
    void acceptsNestingUpToTheLimit() {
        int depth = PolicyParser.MAX_DEPTH;
        String text = "AND(".repeat(depth) + "'Org1.peer'" + ")".repeat(depth);

        assertThat(PolicyParser.parse(text)).isInstanceOf(NOutOf.class);
    }

    @Test
    void describesUnprintableCharactersByCodePoint() {
        assertThat(syntaxError("OR('Org1.peer'\u0007)").found()).isEqualTo("character U+0007");
    }

    private static PolicySyntaxException syntaxError(String text) {
        PolicySyntaxException error = catchThrowableOfType(PolicySyntaxException.class, () -> PolicyParser.parse(text));
        assertThat(error).as("parsing %s should fail", text).isNotNull();
        return error;
    }
}
