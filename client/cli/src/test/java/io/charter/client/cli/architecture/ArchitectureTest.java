package io.charter.client.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The CLI runs without the nodes' classes (they are not on its class path): what it needs of them comes from common,
 * the SDK, or the peer's contract runtime, and `charter up` names the local network's host without loading it.
 */
class ArchitectureTest {

    private static final JavaClasses CLI = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.charter.client.cli", "io.charter.client.config", "io.charter.client.bench");

    @Test
    void theCliUsesNoNodeButThePeersContractRuntime() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.charter.orderer..", "io.charter.membership..",
                "io.charter.client.network..", "org.springframework..", "org.apache.ratis..", "org.postgresql..",
                "org.flywaydb..", "io.zonky..").check(CLI);
        DescribedPredicate<JavaClass> peerOutsideTheContractRuntime = DescribedPredicate.describe(
                "a peer class outside the contract runtime", type -> type.getPackageName().startsWith("io.charter.peer.")
                        && !type.getPackageName().equals("io.charter.peer.contract"));
        noClasses().should().dependOnClassesThat(peerOutsideTheContractRuntime).check(CLI);
    }

    /** The CLI reaches nodes through the SDK and common's transport, never Netty itself. */
    @Test
    void nettyStaysInCommonsTransport() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.netty..").check(CLI);
    }

    /** The rules above would pass on classes they never saw: the import holds what they judge. */
    @Test
    void theRulesSeeTheClassesTheyJudge() {
        assertThat(CLI.containPackage("io.charter.client.cli")).as("io.charter.client.cli").isTrue();
        assertThat(CLI.containPackage("io.charter.client.config")).as("io.charter.client.config").isTrue();
    }
}
