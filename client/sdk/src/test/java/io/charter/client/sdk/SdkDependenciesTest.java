package io.charter.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What an application's build gets when it adds the SDK: charter-common and the libraries it needs, nothing of the
 * nodes. The list is the one Maven resolves for the SDK's runtime scope (maven-dependency-plugin's {@code list}, run
 * by the build before the tests); docs/sdk.md reports its size.
 */
class SdkDependenciesTest {

    /** Groups that belong to the nodes (Spring shells, Raft, the ledger's database), never to an application. */
    static final List<String> NODE_ONLY_GROUPS = List.of("org.springframework", "org.apache.ratis", "org.postgresql",
            "io.zonky", "org.flywaydb");

    record Dependency(String groupId, String artifactId, String version, String scope, Path file) {

        /** One line of maven-dependency-plugin's list with absolute file names, if it names an artifact. */
        static Optional<Dependency> parse(String line) {
            String text = line.strip();
            int module = text.indexOf(" -- ");
            if (module >= 0) {
                text = text.substring(0, module);
            }
            int path = text.indexOf(":/"); // group:artifact:type[:classifier]:version:scope:/absolute/file
            if (path < 0) {
                return Optional.empty();
            }
            String[] fields = text.substring(0, path).split(":");
            if (fields.length < 5 || fields.length > 6) {
                return Optional.empty();
            }
            return Optional.of(new Dependency(fields[0], fields[1], fields[fields.length - 2], fields[fields.length - 1],
                    Path.of(text.substring(path + 1))));
        }

        boolean nodeOnly() {
            return NODE_ONLY_GROUPS.stream().anyMatch(g -> groupId.equals(g) || groupId.startsWith(g + "."));
        }

        long bytes() {
            try {
                if (Files.isDirectory(file)) { // a reactor module not packaged yet: its classes
                    try (Stream<Path> files = Files.walk(file)) {
                        return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
                    }
                }
                return Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static List<Dependency> resolved() throws IOException {
        Path list = Path.of("target", "sdk-runtime-dependencies.txt");
        assertThat(list).as("written by the build (mvn verify) before the tests").isRegularFile();
        return Files.readAllLines(list).stream().map(Dependency::parse).flatMap(Optional::stream).toList();
    }

    @Test
    void theSdkBringsNothingOfTheNodes() throws IOException {
        List<Dependency> dependencies = resolved();

        assertThat(dependencies).extracting(Dependency::artifactId).contains("charter-common", "protobuf-java");
        assertThat(dependencies).filteredOn(Dependency::nodeOnly).as("node-only libraries on the SDK's class path").isEmpty();
        assertThat(dependencies).filteredOn(d -> d.groupId().equals("io.charter")).extracting(Dependency::artifactId)
                .as("Charter modules an application gets with the SDK").containsExactly("charter-common");
        long bytes = dependencies.stream().mapToLong(Dependency::bytes).sum();
        System.out.printf("the SDK's runtime class path: the SDK and %d jars, %.1f MB%n", dependencies.size(),
                bytes / 1_000_000.0);
    }

    @Test
    void aNodeLibraryOnTheListIsNoticed() {
        Dependency spring = Dependency.parse(
                "   org.springframework:spring-core:jar:7.0.1:compile:/repo/spring-core-7.0.1.jar -- module spring.core")
                .orElseThrow();
        Dependency ratis = Dependency.parse("org.apache.ratis.thirdparty:ratis-thirdparty-misc:jar:1.0.9:runtime:/r.jar")
                .orElseThrow();
        Dependency protobuf = Dependency.parse("com.google.protobuf:protobuf-java:jar:4.33.0:compile:/p.jar").orElseThrow();
        Dependency classified = Dependency.parse("software.amazon.cryptools:AmazonCorrettoCryptoProvider:jar:linux-x86_64:"
                + "2.5.0:compile:/a/accp.jar -- module com.amazon.corretto.crypto.provider").orElseThrow();

        assertThat(spring.nodeOnly()).isTrue();
        assertThat(spring.file()).isEqualTo(Path.of("/repo/spring-core-7.0.1.jar"));
        assertThat(ratis.nodeOnly()).isTrue();
        assertThat(protobuf.nodeOnly()).isFalse();
        assertThat(classified).isEqualTo(new Dependency("software.amazon.cryptools", "AmazonCorrettoCryptoProvider", "2.5.0",
                "compile", Path.of("/a/accp.jar")));
        assertThat(Dependency.parse("The following files have been resolved:")).isEmpty();
        assertThat(Dependency.parse("org.postgresqlx:lookalike:jar:1:compile:/x.jar").orElseThrow().nodeOnly()).isFalse();
    }
}
