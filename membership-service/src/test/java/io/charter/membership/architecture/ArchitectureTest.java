package io.charter.membership.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The membership service's core (certificate authority, enrollment, index, revocation) is plain Java: Spring stays
 * in the shell's packages (`app`, the REST `api`, HTTP `security`).
 */
class ArchitectureTest {

    private static final JavaClasses SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.charter.membership");

    @Test
    void springStaysInTheShell() {
        noClasses().that().resideOutsideOfPackages("io.charter.membership.app..", "io.charter.membership.api..",
                "io.charter.membership.security..").should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .check(SERVICE);
    }

    @Test
    void theCoreDoesNotReachIntoTheShell() {
        noClasses().that().resideOutsideOfPackages("io.charter.membership.app..", "io.charter.membership.api..",
                "io.charter.membership.security..").should().dependOnClassesThat().resideInAnyPackage(
                "io.charter.membership.app..", "io.charter.membership.api..", "io.charter.membership.security..")
                .check(SERVICE);
    }
}
