package io.charter.deploy.images;

import io.charter.common.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The images (the nodes' and the CLI's), built from {@code deploy/docker/<node>/Dockerfile} and the node's executable jar as the
 * Maven build assembled them under {@code target/images/<node>/} (the dependency plugin copies the jars),
 * with {@code BASE_IMAGE} = {@code TEST_JAVA_BASE_IMAGE} (default {@code eclipse-temurin:25-jre}). Each image
 * is built once per test JVM and tagged {@code charter-test/<node>:<version>}; Docker's layer cache makes a
 * rebuild of unchanged jars cheap.
 */
public final class NodeImages {

    /** The node kinds, each with its Dockerfile directory. */
    public enum Node {
        MEMBERSHIP("membership"),
        ORDERER("orderer"),
        PEER("peer"),
        /** The charter CLI with the channel setup script and the sample contract (the Job channel-setup's image). */
        CLI("cli");

        private final String directory;

        Node(String directory) {
            this.directory = directory;
        }

        public String directory() {
            return directory;
        }
    }

    private static final Map<Node, String> BUILT = new ConcurrentHashMap<>();

    private NodeImages() {}

    /** The image name of {@code node}, building it on first use. */
    public static String image(Node node) {
        return BUILT.computeIfAbsent(node, NodeImages::build);
    }

    /** {@code target/images}, set by the surefire configuration of this module. */
    public static Path contexts() {
        String configured = System.getProperty("charter.images.directory");
        Path directory = configured != null ? Path.of(configured) : Path.of("target", "images");
        return directory.toAbsolutePath();
    }

    private static String build(Node node) {
        Path context = contexts().resolve(node.directory());
        if (node == Node.CLI) {
            return buildCli(context);
        }
        if (!Files.isRegularFile(context.resolve("app.jar")) || !Files.isRegularFile(context.resolve("Dockerfile"))) {
            throw new IllegalStateException(context + " lacks app.jar or Dockerfile: build with `./mvnw -pl deploy -am verify`"
                    + " (the node modules are packaged first and their jars copied there)");
        }
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(context.resolve("app.jar").toFile())) {
            if (jar.getEntry("BOOT-INF/layers.idx") == null) {
                throw new IllegalStateException(context.resolve("app.jar") + " is not a layered Spring Boot jar: the"
                        + " deploy pom must copy the node's executable (exec) jar");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return buildImage(node, context);
    }

    /** The CLI image: its context holds the client's jar in app/, the dependencies in lib/, the sample contract. */
    private static String buildCli(Path context) {
        for (String required : List.of("Dockerfile", "app/charter-cli.jar", "contracts/asset-transfer.jar",
                "bin/setup-channel.sh", "bin/charter")) {
            if (!Files.isRegularFile(context.resolve(required))) {
                throw new IllegalStateException(context + " lacks " + required + ": build with `./mvnw -pl deploy -am verify`"
                        + " (the client module is packaged first and its jars copied there)");
            }
        }
        return buildImage(Node.CLI, context);
    }

    private static String buildImage(Node node, Path context) {
        String name = "charter-test/" + node.directory() + ":" + System.getProperty("charter.images.tag", "test");
        try {
            return new ImageFromDockerfile(name, false)
                    .withFileFromPath(".", context)
                    .withBuildArg("BASE_IMAGE", TestImages.javaBase().asCanonicalNameString())
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException("building the " + node.directory() + " image failed: " + e.getMessage(), e);
        }
    }
}
