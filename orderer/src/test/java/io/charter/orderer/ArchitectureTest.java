package io.charter.orderer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The orderer's package boundaries, checked on its main and test classes: Ratis is an implementation
 * detail of {@code consensus}, which the channel reaches only through {@code ChannelConsensus}, so
 * replacing or upgrading Ratis touches one package; Netty stays behind common's transport.
 */
@AnalyzeClasses(packages = "io.charter.orderer")
class ArchitectureTest {

    private static final String CONSENSUS = "io.charter.orderer.consensus..";

    @ArchTest
    static final ArchRule onlyTheConsensusPackageDependsOnRatis = noClasses()
            .that().resideOutsideOfPackage(CONSENSUS)
            .should().dependOnClassesThat().resideInAPackage("org.apache.ratis..")
            .because("Ratis stays behind consensus.ChannelConsensus and consensus.RaftNode");

    @ArchTest
    static final ArchRule theConsensusPackageDoesNotDependOnTheChannel = noClasses()
            .that().resideInAPackage(CONSENSUS)
            .should().dependOnClassesThat().resideInAPackage("io.charter.orderer.channel..")
            .because("the channel depends on its consensus, not the other way round");

    @ArchTest
    static final ArchRule springStaysInTheShell = noClasses()
            .that().resideOutsideOfPackages("io.charter.orderer.app..", "io.charter.orderer.participation..")
            .should().dependOnClassesThat().resideInAPackage("org.springframework..")
            .because("the orderer's core is plain Java; Spring Boot is the shell (app, participation)");

    @ArchTest
    static final ArchRule nettyStaysInCommonsTransport = noClasses()
            .should().dependOnClassesThat().resideInAPackage("io.netty..")
            .because("the wire is common's transport (io.charter.common.transport): the orderer sees its calls, never"
                    + " Netty (Ratis's gRPC brings its own, shaded in org.apache.ratis.thirdparty)");

    /** On the main classes only: the tests' shared fixtures ({@code testing}) may use every package. */
    @Test
    void thePackagesHaveNoCycles() {
        slices().matching("io.charter.orderer.(*)..").should().beFreeOfCycles().check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.charter.orderer"));
    }

    /** The rules above would pass on classes they never saw: the import holds the consensus, the channel and the shell. */
    @ArchTest
    static void theRulesSeeTheClassesTheyJudge(JavaClasses classes) {
        assertThat(classes.containPackage("io.charter.orderer.consensus")).isTrue();
        assertThat(classes.containPackage("io.charter.orderer.channel")).isTrue();
        assertThat(classes.containPackage("io.charter.orderer.app")).isTrue();
    }
}
