package io.charter.membership.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The membership service's core (certificate authority, enrollment, index, revocation) is plain Java: Spring stays
 * in the shell's packages (`app`, the REST `api`, HTTP `security`); and no package depends on itself through
 * others, so each can be read, tested and changed from the packages below it.
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

    /** The service speaks HTTPS through Spring Boot; Netty is common's transport's alone. */
    @Test
    void nettyStaysInCommonsTransport() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.netty..").check(SERVICE);
    }

    @Test
    void theCoreDoesNotReachIntoTheShell() {
        noClasses().that().resideOutsideOfPackages("io.charter.membership.app..", "io.charter.membership.api..",
                "io.charter.membership.security..").should().dependOnClassesThat().resideInAnyPackage(
                "io.charter.membership.app..", "io.charter.membership.api..", "io.charter.membership.security..")
                .check(SERVICE);
    }

    /**
     * Each package of the service depends on the ones below it and none depends back (issue #17). The root
     * package is no slice: it holds both what every package uses and the assembly that uses every package.
     */
    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.charter.membership.(*)..").should().beFreeOfCycles().check(SERVICE);
    }

    /**
     * The root package's shared types (error codes, the refusal exception, the caller, the input checks) sit
     * below every package; only the assembly (the core, its bootstrap, context and settings) depends on the packages.
     */
    @Test
    void theRootPackagesSharedTypesDependOnNoOtherPackageOfTheService() {
        noClasses().that().resideInAPackage("io.charter.membership")
                .and().haveNameNotMatching("io\\.charter\\.membership\\.(MembershipCore|Bootstrap|CoreContext|MembershipSettings)(\\$.*)?")
                .should().dependOnClassesThat().resideInAPackage("io.charter.membership.(*)..")
                .check(SERVICE);
    }

    /** The rules above would pass on classes they never saw: the import holds what they judge. */
    @Test
    void theRulesSeeTheClassesTheyJudge() {
        assertThat(SERVICE.containPackage("io.charter.membership.enrollment")).as("io.charter.membership.enrollment").isTrue();
        assertThat(SERVICE.containPackage("io.charter.membership.app")).as("io.charter.membership.app").isTrue();
    }
}
