package io.charter.client.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The SDK talks to the nodes through common's protocol and transport only: none of their classes, no framework,
 * Netty only behind common's transport (SdkDependenciesTest checks the same of the libraries it brings).
 */
class ArchitectureTest {

    private static final JavaClasses SDK = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.charter.client.sdk", "io.charter.client.wallet");

    @Test
    void theSdkUsesNoNodeAndNoFramework() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.charter.peer..", "io.charter.orderer..",
                "io.charter.membership..", "io.charter.client.cli..", "io.charter.client.network..",
                "org.springframework..", "org.apache.ratis..", "org.postgresql..", "org.flywaydb..", "io.netty..")
                .check(SDK);
    }

    @Test
    void theSdksPackagesHaveNoCycles() {
        slices().matching("io.charter.client.(*)..").should().beFreeOfCycles().check(SDK);
    }

    /** The rules above would pass on classes they never saw: the import holds what they judge. */
    @Test
    void theRulesSeeTheClassesTheyJudge() {
        assertThat(SDK.containPackage("io.charter.client.sdk")).as("io.charter.client.sdk").isTrue();
        assertThat(SDK.containPackage("io.charter.client.wallet")).as("io.charter.client.wallet").isTrue();
    }
}
