package io.charter.common.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import org.junit.jupiter.api.Test;

class PolicyTextPropertiesTest {

    @Test
    void generatedPoliciesRoundTripThroughTheirText() {
        qt().withExamples(2_000)
                .forAll(PolicyGenerators.policies())
                .checkAssert(policy -> assertThat(PolicyParser.parse(policy.text())).isEqualTo(policy));
    }

    @Test
    void randomStringsEitherParseOrFailWithTheDocumentedException() {
        qt().withExamples(2_000)
                .forAll(strings().allPossible().ofLengthBetween(0, 40))
                .checkAssert(PolicyTextPropertiesTest::parsesOrFailsCleanly);
    }

    @Test
    void tokenSoupEitherParsesOrFailsWithTheDocumentedException() {
        qt().withExamples(5_000)
                .forAll(PolicyGenerators.tokenSoup())
                .checkAssert(PolicyTextPropertiesTest::parsesOrFailsCleanly);
    }

    @Test
    void mutatedPolicyTextEitherParsesOrFailsWithTheDocumentedException() {
        qt().withExamples(5_000)
                .forAll(PolicyGenerators.mutatedPolicyText())
                .checkAssert(PolicyTextPropertiesTest::parsesOrFailsCleanly);
    }

    /**
     * Anything other than a PolicySyntaxException propagates and fails the property. A failure
     * points inside the text, and whatever parses has a canonical form that parses back equal.
     */
    private static void parsesOrFailsCleanly(String text) {
        try {
            Policy policy = PolicyParser.parse(text);
            assertThat(PolicyParser.parse(policy.text())).isEqualTo(policy);
        } catch (PolicySyntaxException e) {
            assertThat(e.offset()).isBetween(0, text.length());
            assertThat(e.line()).isPositive();
            assertThat(e.column()).isPositive();
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
