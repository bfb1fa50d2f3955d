package io.charter.peer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The peer's package boundaries (issue #17), checked on its main classes: every package one responsibility,
 * no two packages depending on each other (directly or round a longer loop), and Spring only in the shell,
 * {@code app} and the admin REST API {@code admin}, so that the core runs without it (the local network's
 * peers do), and Netty only behind common's transport.
 */
@AnalyzeClasses(packages = "io.charter.peer", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] SHELL = {"io.charter.peer.app..", "io.charter.peer.admin.."};
    private static final String[] SPRING = {"org.springframework..", "jakarta.servlet.."};

    @ArchTest
    static final ArchRule thePackagesHaveNoCycles = slices().matching("io.charter.peer.(*)..").should().beFreeOfCycles()
            .because("a package that both uses and is used by another cannot be understood, tested or moved alone;"
                    + " a small interface at the boundary breaks the loop");

    @ArchTest
    static final ArchRule springStaysInTheShell = noClasses()
            .that().resideOutsideOfPackages(SHELL)
            .should().dependOnClassesThat().resideInAnyPackage(SPRING)
            .because("the peer's core is plain Java; Spring Boot is the shell (app, admin)");

    @ArchTest
    static final ArchRule nettyStaysInCommonsTransport = noClasses()
            .should().dependOnClassesThat().resideInAPackage("io.netty..")
            .because("the wire is common's transport (io.charter.common.transport): the peer sees its calls, never Netty");

    /** The rules above would pass on classes they never saw: the import holds the core, and the shell uses Spring. */
    @ArchTest
    static void theRulesSeeTheCoreAndTheShell(JavaClasses classes) {
        assertThat(classes.containPackage("io.charter.peer.node")).isTrue();
        assertThat(classes.containPackage("io.charter.peer.service")).isTrue();
        ArchRule anywhere = noClasses().should().dependOnClassesThat().resideInAnyPackage(SPRING);
        assertThat(anywhere.evaluate(classes).hasViolation()).isTrue();
    }
}
