package io.charter.common.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Where things may be imported in common, the core every node and the SDK share: Netty only behind the transport,
 * no framework, no node, and no cycles between common's packages (a certificate's role is
 * {@code pki.Role}: what the CA writes; {@code identity} builds on {@code pki}, never the other way).
 */
class ArchitectureTest {

    private static final JavaClasses COMMON = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.charter.common");

    @Test
    void nettyStaysInTheTransport() {
        noClasses().that().resideOutsideOfPackage("io.charter.common.transport..").should().dependOnClassesThat()
                .resideInAPackage("io.netty..").check(COMMON);
    }

    @Test
    void commonKnowsNoFrameworkAndNoNode() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.ratis..",
                "org.postgresql..", "org.flywaydb..", "io.charter.peer..", "io.charter.orderer..", "io.charter.membership..",
                "io.charter.client..").check(COMMON);
    }

    @Test
    void commonsPackagesHaveNoCycles() {
        slices().matching("io.charter.common.(*)..").should().beFreeOfCycles().check(COMMON);
    }

    /** The rules above would pass on classes they never saw: the import holds what they judge. */
    @Test
    void theRulesSeeTheClassesTheyJudge() {
        assertThat(COMMON.containPackage("io.charter.common.transport")).as("io.charter.common.transport").isTrue();
        assertThat(COMMON.containPackage("io.charter.common.pki")).as("io.charter.common.pki").isTrue();
        assertThat(COMMON.containPackage("io.charter.common.identity")).as("io.charter.common.identity").isTrue();
    }
}
