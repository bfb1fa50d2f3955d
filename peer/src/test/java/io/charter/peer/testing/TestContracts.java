package io.charter.peer.testing;

import io.charter.contract.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Contract jars for tests, compiled from source against the contract API only (as a contract author
 * would), and the sample contract jar that the build copies to {@code target/contracts/}.
 */
public final class TestContracts {

    private TestContracts() {}

    /** The sample asset-transfer jar as built (copied by maven-dependency-plugin before the tests). */
    public static byte[] assetTransferJar() {
        Path jar = Path.of("target", "contracts", "asset-transfer.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run the peer's tests through `mvn verify`"
                    + " (the build copies the sample contract jar there at process-test-resources)");
        }
        try {
            return Files.readAllBytes(jar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Compiles {@code sources} (class name → Java source) against the contract API and packs the
     * classes into a jar.
     */
    public static byte[] compile(Map<String, String> sources) {
        try {
            Path work = Files.createTempDirectory("contract-src");
            Path classes = Files.createDirectories(work.resolve("classes"));
            List<String> arguments = new ArrayList<>(List.of("--release", "21", "-proc:none", "-nowarn", "-classpath",
                    apiClasspath(), "-d", classes.toString()));
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = work.resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                arguments.add(file.toString());
            }
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int status = compiler.run(null, errors, errors, arguments.toArray(String[]::new));
            if (status != 0) {
                throw new IllegalStateException("test contract does not compile:\n" + errors);
            }
            ByteArrayOutputStream jar = new ByteArrayOutputStream();
            try (JarOutputStream out = new JarOutputStream(jar); Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    out.write(Files.readAllBytes(file));
                    out.closeEntry();
                }
            }
            return jar.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String apiClasspath() {
        try {
            return Path.of(Context.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A contract "rogue" that misbehaves in every way the runtime must survive. */
    public static final String ROGUE = """
            package rogue;

            import io.charter.contract.*;

            @Contract(name = "rogue")
            public class Rogue {
                @Transaction
                public String Echo(Context ctx, String text) {
                    return text;
                }

                @Transaction
                public void Put(Context ctx, String key, String value) {
                    ctx.putString(key, value);
                }

                @Transaction
                public void Throw(Context ctx) {
                    throw new ContractException("NOPE", "the contract said no");
                }

                @Transaction
                public void Crash(Context ctx) {
                    Object o = null;
                    o.hashCode();
                }

                /** Loops until interrupted. */
                @Transaction
                public void Spin(Context ctx) {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.onSpinWait();
                    }
                }

                /** Ignores interruption for about the given milliseconds (sleeping, so it burns no CPU). */
                @Transaction
                public void Stubborn(Context ctx, String millis) {
                    long end = System.nanoTime() + Long.parseLong(millis) * 1_000_000L;
                    while (System.nanoTime() < end) {
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException ignored) {
                            // keep going: what a runaway contract does
                        }
                    }
                }

                /** Tries to reach the peer's classes. */
                @Transaction
                public String ReachPeer(Context ctx) throws Exception {
                    return Class.forName("io.charter.peer.ledger.PostgresLedger").getName();
                }

                /** Tries a key that would end this namespace and start another in a NUL-separated scheme. */
                @Transaction
                public void WriteNul(Context ctx) {
                    ctx.putString("asset-transfer\\u0000asset", "{}");
                }

                /** Writes keys named like the lifecycle's and another contract's state: they stay its own. */
                @Transaction
                public void WriteForeignLookingKeys(Context ctx) {
                    ctx.putString("_lifecycle/definitions/asset-transfer", "hijacked");
                    ctx.putString("../asset-transfer/a1", "hijacked");
                }

                @Transaction(intent = Transaction.Intent.EVALUATE)
                public void SneakyWrite(Context ctx) {
                    ctx.putString("k", "v");
                }
            }
            """;
}
