package io.charter.peer.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The contract jars installed on this peer, kept as files under the peer's data directory:
 * {@code <directory>/<name>_<sha-256 hex>.jar}. The package id is {@code <name>:<sha-256 hex>}, so the
 * same jar has the same id on every peer, and a definition naming the id runs the same code everywhere.
 *
 * <p>Installing checks that the jar holds one usable contract, writes it under a temporary name and
 * moves it in place atomically; installing the same bytes again returns the same package (idempotent).
 * Installed packages are never overwritten (their name is their hash) and not removed by the peer.
 * Files rather than the ledger database: packages are per peer, not per channel, and a jar on disk is
 * what the class loader reads.
 */
public final class ContractStore {

    private static final Pattern FILE = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_.-]{0,63})_([0-9a-f]{64})\\.jar");

    private final Path directory;

    public ContractStore(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the contract directory " + directory, e);
        }
    }

    public Path directory() {
        return directory;
    }

    /**
     * Installs a contract jar.
     *
     * @throws ContractLoadException when the bytes are not a jar with exactly one usable contract
     */
    public synchronized ContractPackage install(byte[] jar) {
        String sha256 = sha256(jar);
        for (ContractPackage installed : list()) {
            if (installed.sha256().equals(sha256)) {
                return installed;
            }
        }
        Path temporary = null;
        try {
            temporary = Files.createTempFile(directory, ".installing-", ".jar");
            Files.write(temporary, jar);
            String name = LoadedContract.inspect(temporary);
            Path target = directory.resolve(name + "_" + sha256 + ".jar");
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            temporary = null;
            return new ContractPackage(ContractPackage.packageId(name, sha256), name, sha256, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the contract: " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // a leftover temporary file is ignored by list()
                }
            }
        }
    }

    /** The installed packages, oldest installation first. */
    public List<ContractPackage> list() {
        List<ContractPackage> packages = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.sorted(Comparator.comparing(ContractStore::modified).thenComparing(Path::toString)).forEach(file -> {
                Matcher matcher = FILE.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    packages.add(new ContractPackage(ContractPackage.packageId(matcher.group(1), matcher.group(2)),
                            matcher.group(1), matcher.group(2), file));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        return packages;
    }

    public Optional<ContractPackage> find(String packageId) {
        return list().stream().filter(p -> p.packageId().equals(packageId)).findFirst();
    }

    /** The most recently installed package of contract {@code name}. */
    public Optional<ContractPackage> latest(String name) {
        return list().stream().filter(p -> p.name().equals(name)).reduce((first, second) -> second);
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The lower-case hex SHA-256 of a jar, as in its package id. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
