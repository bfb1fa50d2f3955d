package io.charter.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * An application outside this build (src/test/resources/sdk-application) that depends on the SDK artifact alone, as
 * a user's would: built by Maven against a repository that holds this build's charter-parent, charter-common and
 * charter-sdk and nothing else of Charter (third-party artifacts come from the build's own local repository, read as
 * a mirror, so that nothing is downloaded), then run on a plain class path with a JDK.
 */
final class SdkApplication {

    /** What a run printed and how it ended. */
    record Run(int exitCode, String output) {}

    private final Path repository;
    private final Path work;

    /** @param repository the root of Charter's source tree, after `package` */
    SdkApplication(Path repository, Path work) {
        this.repository = repository;
        this.work = work;
    }

    /** Builds the application; its jar and class path are under {@code work/sdk-application/target}. */
    Run build() throws IOException, InterruptedException {
        String version = Objects.requireNonNull(System.getProperty("charter.version"), "charter.version (set by failsafe)");
        Path mavenRepository = Path.of(Objects.requireNonNull(System.getProperty("charter.maven.repository"),
                "charter.maven.repository (set by failsafe)"));
        Path local = work.resolve("repository");
        publish(local, "charter-parent", version, repository.resolve("pom.xml"), null);
        publish(local, "charter-common", version, repository.resolve("common/pom.xml"),
                repository.resolve("common/target/charter-common-" + version + ".jar"));
        publish(local, "charter-sdk", version, repository.resolve("client/sdk/pom.xml"),
                repository.resolve("client/sdk/target/charter-sdk-" + version + ".jar"));
        Path settings = Files.writeString(work.resolve("settings.xml"), """
                <settings>
                  <localRepository>%s</localRepository>
                  <mirrors>
                    <mirror>
                      <id>build-repository</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """.formatted(local, mavenRepository.toUri()));
        Path application = copyApplication();
        return run(List.of(repository.resolve("mvnw").toString(), "-B", "-q", "-s", settings.toString(), "-f",
                application.resolve("pom.xml").toString(), "-Dcharter.version=" + version, "-DskipTests", "package"),
                repository, 10);
    }

    /** Runs {@code mainClass} of the built application with {@code args}. */
    Run run(String mainClass, String... args) throws IOException, InterruptedException {
        Path target = work.resolve("sdk-application/target");
        String classPath = target.resolve("sdk-application.jar") + File.pathSeparator
                + Files.readString(target.resolve("runtime.classpath")).strip();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath, mainClass));
        command.addAll(List.of(args));
        return run(command, work, 3);
    }

    /** The application's runtime class path: what its build resolved for the SDK. */
    List<String> classPath() throws IOException {
        return List.of(Files.readString(work.resolve("sdk-application/target/runtime.classpath")).strip()
                .split(File.pathSeparator));
    }

    private static void publish(Path local, String artifactId, String version, Path pom, Path jar) throws IOException {
        Path folder = Files.createDirectories(local.resolve("io/charter/" + artifactId + "/" + version));
        Files.copy(pom, folder.resolve(artifactId + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            assertThat(jar).as("built by `package` before the integration tests").isRegularFile();
            Files.copy(jar, folder.resolve(artifactId + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Path copyApplication() throws IOException {
        Path application = work.resolve("sdk-application");
        for (String file : List.of("pom.xml", "src/main/java/example/CreateAsset.java")) {
            Path target = application.resolve(file);
            Files.createDirectories(target.getParent());
            try (InputStream in = Objects.requireNonNull(SdkApplication.class.getResourceAsStream("/sdk-application/" + file),
                    file)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return application;
    }

    private static Run run(List<String> command, Path directory, int minutes) throws IOException, InterruptedException {
        Path log = Files.createTempFile("sdk-application", ".log");
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return new Run(-1, "timed out after " + minutes + " min: " + command + "\n" + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }
}
