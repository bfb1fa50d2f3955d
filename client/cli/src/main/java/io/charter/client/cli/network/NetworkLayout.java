package io.charter.client.cli.network;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the local network keeps everything, under {@code <home>/network} (docs/cli.md, "The local network"):
 *
 * <pre>
 * network.properties  format, port base, channel: fixed at creation (the genesis block names the ports)
 * secrets.properties  the CA key passphrase and the bootstrap admin's secret (owner only)
 * host.pid            the running network host's process id (the lock)
 * status.json         the host's state (starting, ready, failed, stopped), progress and endpoints
 * host.log            the host's log
 * postgres/           PostgreSQL's data (membership service and every peer's ledger)
 * nodes/              every node's enrolled identity (a wallet)
 * orderers/ordererN/  block stores and Raft logs
 * peers/NAME/         installed contracts
 * genesis.block       the channel's genesis block
 * </pre>
 */
public record NetworkLayout(Path folder) {

    /** The data format this code reads; a folder of another format is refused, never changed. */
    public static final int FORMAT = 1;
    public static final String CHANNEL = "mychannel";

    public static NetworkLayout under(Path home) {
        return new NetworkLayout(home.toAbsolutePath().normalize().resolve("network"));
    }

    public Path properties() {
        return folder.resolve("network.properties");
    }

    public Path secrets() {
        return folder.resolve("secrets.properties");
    }

    public Path pidFile() {
        return folder.resolve("host.pid");
    }

    public Path statusFile() {
        return folder.resolve("status.json");
    }

    public Path log() {
        return folder.resolve("host.log");
    }

    public Path postgres() {
        return folder.resolve("postgres");
    }

    public Path postgresBinaries() {
        return folder.resolve("postgres-binaries");
    }

    public Path nodes() {
        return folder.resolve("nodes");
    }

    public Path orderer(int index) {
        return folder.resolve("orderers").resolve("orderer" + (index + 1));
    }

    public Path peer(String name) {
        return folder.resolve("peers").resolve(name);
    }

    public Path genesis() {
        return folder.resolve("genesis.block");
    }

    public boolean exists() {
        return Files.exists(properties());
    }

    /** The stored settings, or empty for a folder never used. */
    public Optional<Properties> load() {
        if (!exists()) {
            return Optional.empty();
        }
        return Optional.of(read(properties()));
    }

    /** The process id of the running host, when the pid file names a live process. */
    public Optional<ProcessHandle> runningHost() {
        try {
            if (!Files.exists(pidFile())) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile()).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A PostgreSQL server still running on this network's data folder: the process its {@code postmaster.pid}
     * names, when that process is alive, runs a {@code postgres} executable, and the file names this folder as
     * its data directory. Empty when none (or when another program reuses the pid: nothing else is ever named).
     */
    public Optional<ProcessHandle> runningPostgres() {
        Path pidFile = postgres().resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.size() < 2) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).strip());
            Path dataDirectory = Path.of(lines.get(1).strip());
            if (!Files.exists(dataDirectory) || !Files.isSameFile(dataDirectory, postgres())) {
                return Optional.empty();
            }
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(process -> process.info().command().map(c -> Path.of(c).getFileName().toString())
                            .filter(name -> name.equals("postgres") || name.equals("postmaster")).isPresent());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Reads one of the network's properties files (written by the host, read by the CLI). */
    public static Properties read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return properties;
    }

    /** Writes a properties file atomically; {@code secret}: readable by its owner only. */
    public static void write(Path file, Properties properties, boolean secret) {
        try {
            StringWriter text = new StringWriter();
            properties.store(text, "charter local network");
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, text.toString());
            if (secret) {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static void writeString(Path file, String content) {
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, content);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
