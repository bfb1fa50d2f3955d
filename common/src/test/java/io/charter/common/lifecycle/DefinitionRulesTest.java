package io.charter.common.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.protocol.ContractDefinition;
import org.junit.jupiter.api.Test;

/** The form of a contract definition, as the peers and the CLI both check it before anything is simulated. */
class DefinitionRulesTest {

    private static final String HASH = "0123456789abcdef".repeat(4);
    private static final ContractDefinition VALID = ContractDefinition.newBuilder().setName("asset-transfer")
            .setVersion("1.0").setSequence(1).setEndorsementPolicy("AND('Org1MSP.peer', 'Org2MSP.peer')")
            .setPackageId("asset-transfer:" + HASH).build();

    @Test
    void aWellFormedDefinitionHasNoProblem() {
        assertThat(DefinitionRules.problem(VALID)).isEmpty();
        assertThat(DefinitionRules.problem(VALID.toBuilder().clearEndorsementPolicy().clearPackageId().build())).isEmpty();
        assertThat(DefinitionRules.problem(VALID.toBuilder().setVersion("v".repeat(64)).build())).isEmpty();
    }

    @Test
    void eachMalformedFieldIsNamed() {
        assertThat(DefinitionRules.problem(VALID.toBuilder().setName("_lifecycle").build()))
                .hasValueSatisfying(p -> assertThat(p).startsWith("'_lifecycle' is not a contract name"));
        assertThat(DefinitionRules.problem(VALID.toBuilder().setVersion("").build()))
                .contains("a definition needs a version of 1 to 64 characters");
        assertThat(DefinitionRules.problem(VALID.toBuilder().setVersion("v".repeat(65)).build()))
                .contains("a definition needs a version of 1 to 64 characters");
        assertThat(DefinitionRules.problem(VALID.toBuilder().setSequence(0).build())).contains("the sequence starts at 1");
        assertThat(DefinitionRules.problem(VALID.toBuilder().setEndorsementPolicy("AND(").build()))
                .hasValueSatisfying(p -> assertThat(p).startsWith("the endorsement policy does not parse: "));
        assertThat(DefinitionRules.problem(VALID.toBuilder().addApprovedBy("Org1MSP").build()))
                .contains("approved_by is written by the peers when the definition commits; leave it empty");
    }

    @Test
    void aPackageIdNamesTheContractAndTheJarsSha256() {
        String wrong = "package id '%s' is not 'asset-transfer:<sha-256 hex>'";
        for (String packageId : new String[] {"asset-transfer", "other:" + HASH, "asset-transfer:" + HASH.toUpperCase(),
                "asset-transfer:" + HASH.substring(1), "asset-transfer:" + HASH + "0"}) {
            assertThat(DefinitionRules.problem(VALID.toBuilder().setPackageId(packageId).build()))
                    .as(packageId).contains(wrong.formatted(packageId));
        }
    }

    @Test
    void contractNamesAreShortAndStartWithALetterOrDigit() {
        assertThat(DefinitionRules.isValidName("a")).isTrue();
        assertThat(DefinitionRules.isValidName("9x.y_z-1")).isTrue();
        assertThat(DefinitionRules.isValidName("a".repeat(64))).isTrue();
        assertThat(DefinitionRules.isValidName("a".repeat(65))).isFalse();
        assertThat(DefinitionRules.isValidName("")).isFalse();
        assertThat(DefinitionRules.isValidName("-a")).isFalse();
        assertThat(DefinitionRules.isValidName(".a")).isFalse();
        assertThat(DefinitionRules.isValidName("a b")).isFalse();
        assertThat(DefinitionRules.isValidName("a/b")).isFalse();
    }

    @Test
    void namespacesStartingWithAnUnderscoreAreThePeers() {
        assertThat(DefinitionRules.isReserved(DefinitionRules.NAMESPACE)).isTrue();
        assertThat(DefinitionRules.isReserved("_anything")).isTrue();
        assertThat(DefinitionRules.isReserved("asset-transfer")).isFalse();
    }
}
