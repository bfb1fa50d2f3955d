package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import io.charter.peer.contract.ContractLoadException;
import io.charter.peer.contract.ContractPackage;
import io.charter.peer.contract.ContractStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code charter contract package}: checks that a jar (or a folder of compiled classes) is one contract a peer
 * accepts, with the peer's own rules ({@link ContractStore#install}: exactly one {@code @Contract} class, usable
 * functions, only the contract API visible), and writes it. A jar is written byte for byte, so its package id
 * is the one peers will report; a folder is packed into a jar whose manifest names the contract and version.
 */
@Command(name = "package", description = {"Check that a jar or a folder of compiled classes is one contract a peer"
        + " accepts (the peer's own rules), and write the contract jar. Prints its package id (name:sha-256).",
        "Example:  charter contract package target/classes --name asset-transfer --version 1.0 --out asset-transfer.jar"})
public final class ContractPackageCommand extends CharterSubcommand {

    @Parameters(index = "0", paramLabel = "DIR_OR_JAR", description = "A contract jar, or a folder of compiled classes.")
    Path source;

    @Option(names = "--name", paramLabel = "NAME", description = "The contract's name: checked against its @Contract"
            + " name (default: that name).")
    String name;

    @Option(names = "--version", paramLabel = "VERSION", description = "The version written in the manifest of a jar"
            + " packed from a folder (a jar is written unchanged).")
    String version;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The jar to write (-o is the global"
            + " --output format).")
    Path out;

    @Override
    protected void run() throws IOException {
        if (!Files.exists(source)) {
            throw CliException.usage("no such file or folder: " + source);
        }
        if (Files.isDirectory(out)) {
            throw CliException.usage(out + " is a folder: give --out the jar file to write");
        }
        byte[] jar = Files.isDirectory(source) ? pack(source) : Files.readAllBytes(source);
        ContractPackage checked = check(jar);
        if (name != null && !name.equals(checked.name())) {
            throw CliException.usage("the contract in " + source + " is named '" + checked.name() + "', not '" + name
                    + "': fix --name or the @Contract name");
        }
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, ".packaging-", ".jar");
        try {
            Files.write(temporary, jar);
            Files.move(temporary, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", checked.name());
        json.put("packageId", checked.packageId());
        json.put("file", out.toString());
        json.put("bytes", jar.length);
        output().result(json, "packaged contract " + checked.name() + " into " + out + " (" + jar.length
                + " bytes)\npackage id: " + checked.packageId());
    }

    /** The peer's install check, run against a throwaway store: the jar is one usable contract, or the peer's reason. */
    static ContractPackage check(byte[] jar) throws IOException {
        Path store = Files.createTempDirectory("charter-package-check");
        try {
            return new ContractStore(store).install(jar);
        } catch (ContractLoadException e) {
            throw new CliException(ExitCodes.USAGE, "INVALID_CONTRACT", "not a contract a peer accepts: " + e.getMessage(), e);
        } finally {
            deleteTree(store);
        }
    }

    private byte[] pack(Path folder) throws IOException {
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (name != null) {
            attributes.put(Attributes.Name.IMPLEMENTATION_TITLE, name);
        }
        if (version != null) {
            attributes.put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (Path file : files) {
                String entry = folder.relativize(file).toString().replace('\\', '/');
                if (entry.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                JarEntry jarEntry = new JarEntry(entry);
                jarEntry.setTime(0); // the same classes give the same bytes, so the same package id
                jar.putNextEntry(jarEntry);
                jar.write(Files.readAllBytes(file));
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
