package io.charter.common.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.testing.TestPki;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class MspRegistryTest {

    private static final TestPki PKI = TestPki.create("Org1MSP", "Org2MSP", "Org3MSP");

    @Test
    void holdsTheDefinitionsItWasGiven() {
        MspRegistry registry = new MspRegistry(List.of(Msps.of(PKI, "Org2MSP"), Msps.of(PKI, "Org1MSP")));

        assertThat(registry.mspIds()).containsExactlyInAnyOrder("Org1MSP", "Org2MSP");
        assertThat(registry.definition("Org1MSP")).contains(Msps.of(PKI, "Org1MSP"));
        assertThat(registry.definition("Org3MSP")).isEmpty();
        assertThat(registry.definition(null)).isEmpty();
        assertThat(registry.epoch()).isEqualTo(2);
    }

    @Test
    void everyChangeGivesTheChangedOrganizationANewVersion() {
        MspRegistry registry = Msps.registry(PKI, "Org1MSP", "Org2MSP");
        long org1 = registry.version("Org1MSP").orElseThrow();
        long org2 = registry.version("Org2MSP").orElseThrow();
        assertThat(org1).isNotEqualTo(org2);

        registry.updateCrls("Org1MSP", List.of(IdentityValidatorTest.crl(PKI.organization("Org1MSP").signingCa(), BigInteger.TEN)));

        assertThat(registry.version("Org1MSP").orElseThrow()).isGreaterThan(Math.max(org1, org2));
        assertThat(registry.version("Org2MSP")).contains(org2);
        assertThat(registry.epoch()).isEqualTo(3);
        assertThat(registry.version("Org9MSP")).isEmpty();
    }

    @Test
    void removedOrganizationIsGoneAndTheEpochMoves() {
        MspRegistry registry = Msps.registry(PKI, "Org1MSP", "Org2MSP");

        registry.remove("Org2MSP");

        assertThat(registry.mspIds()).containsExactly("Org1MSP");
        assertThat(registry.definition("Org2MSP")).isEmpty();
        assertThat(registry.epoch()).isEqualTo(3);
    }

    @Test
    void crlsOfAnUnknownOrganizationAreRefused() {
        MspRegistry registry = new MspRegistry();

        assertThatThrownBy(() -> registry.updateCrls("Org1MSP", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no organization Org1MSP");
        assertThat(registry.mspIds()).isEmpty();
    }

    @Test
    void rejectionReadsAsItsReasonAndMessage() {
        ValidationResult.Rejected rejected = new ValidationResult.Rejected(RejectionReason.REVOKED, "serial 1 is revoked");

        assertThat(rejected).hasToString("REVOKED: serial 1 is revoked");
        assertThat(rejected.isValid()).isFalse();
        assertThat(rejected.identity()).isEmpty();
    }
}
