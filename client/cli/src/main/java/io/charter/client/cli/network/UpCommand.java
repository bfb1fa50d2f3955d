package io.charter.client.cli.network;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import io.charter.client.cli.network.NetworkLayout;
import io.charter.client.cli.network.NetworkPorts;
import io.charter.client.cli.network.NetworkStatus;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code charter up}: starts the local network in a background JVM and waits until it is ready. */
@Command(name = "up", description = {"Start the local network: membership service, 3 orderers, 2 organizations with 2"
        + " peers each, PostgreSQL embedded, channel 'mychannel'. Data under <home>/network is kept across"
        + " 'charter down' and 'charter up'."})
public final class UpCommand extends CharterSubcommand {

    @Option(names = "--port-base", paramLabel = "PORT", defaultValue = "${env:CHARTER_PORT_BASE}",
            description = "First of the ports the network uses (base to base+30 on 127.0.0.1; default $CHARTER_PORT_BASE,"
            + " else " + NetworkPorts.DEFAULT_BASE + "; fixed when the network is created).")
    Integer portBase;

    @Option(names = "--durable", description = "Run PostgreSQL with fsync and synchronous commits, and the orderers'"
            + " block stores with fsync: a crash of the machine loses nothing a peer reported committed. Without it"
            + " (the default, for development) a crash of the process loses nothing either, but a crash of the machine"
            + " may lose the last commits.")
    boolean durable;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "How long to wait for the network to be ready (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    protected void run() throws Exception {
        NetworkLayout layout = NetworkLayout.under(root().home());
        NetworkPorts ports;
        if (layout.exists()) {
            Properties settings = LocalNetwork.compatibleSettings(layout);
            int stored = Integer.parseInt(settings.getProperty("port.base"));
            if (portBase != null && portBase != stored) {
                throw CliException.conflict("the local network in " + layout.folder() + " was created with --port-base "
                        + stored + " (its genesis block names those ports): run 'charter up' without --port-base, or"
                        + " remove it with 'charter down --purge'");
            }
            ports = new NetworkPorts(stored);
        } else {
            if (Files.isDirectory(layout.folder()) && !empty(layout.folder())) {
                throw CliException.conflict(layout.folder() + " exists but holds no charter network: move it away or"
                        + " use another --home");
            }
            try {
                ports = new NetworkPorts(portBase == null ? NetworkPorts.DEFAULT_BASE : portBase);
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage());
            }
        }
        Optional<ProcessHandle> running = layout.runningHost();
        if (running.isPresent()) {
            throw CliException.conflict("a local network is already running from " + layout.folder() + " (pid "
                    + running.get().pid() + "): 'charter status' shows it, 'charter down' stops it");
        }
        LocalNetwork.stopLeftovers(layout, output());
        List<String> busy = ports.inUse();
        if (!busy.isEmpty()) {
            throw CliException.conflict("port" + (busy.size() > 1 ? "s " : " ") + String.join(", ", busy)
                    + (busy.size() > 1 ? " are" : " is") + " in use by another program: stop it, or create the network"
                    + " on other ports with 'charter up --port-base N' (it uses N to N+30)");
        }
        if (!layout.exists()) {
            Files.createDirectories(layout.folder());
            Properties settings = new Properties();
            settings.setProperty("format", Integer.toString(NetworkLayout.FORMAT));
            settings.setProperty("port.base", Integer.toString(ports.base()));
            settings.setProperty("channel", NetworkLayout.CHANNEL);
            settings.setProperty("created", Instant.now().toString());
            try (var writer = Files.newBufferedWriter(layout.properties())) {
                settings.store(writer, "charter local network: do not edit");
            }
        }
        Files.deleteIfExists(layout.statusFile());
        Process host = launch(layout, ports);
        NetworkStatus status = await(layout, host);
        output().result(status.json(), StatusCommand.text(status, layout, wallet().folder(), true));
    }

    private Process launch(NetworkLayout layout, NetworkPorts ports) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString());
        List<String> classPath = HostClassPath.entries();
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid"); // its own session: a Ctrl-C in this terminal does not stop the network
        }
        // a class-data sharing archive written at the first start makes every later start load classes faster
        command.addAll(List.of(java, "-XX:+UseG1GC", "-XX:+AutoCreateSharedArchive",
                "-XX:SharedArchiveFile=" + layout.folder().resolve("host.jsa"), "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Dcharter.log.level=WARN", "-Dcharter.local.durable=" + durable,
                "-Dcharter.membership.classpath=" + String.join(File.pathSeparator, classPath),
                "-Dcharter.sample.contract=" + sampleContract(), "-cp",
                String.join(File.pathSeparator, HostClassPath.withoutMembershipService(classPath)),
                HostClassPath.MAIN_CLASS, root().home().toString(),
                Integer.toString(ports.base()), wallet().folder().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log().toFile()))
                .redirectErrorStream(true);
        output().progress("Starting the local network in " + layout.folder() + " (log: " + layout.log() + ")");
        return builder.start();
    }

    /** The sample contract jar: $CHARTER_SAMPLE_CONTRACT (the launcher sets it), else next to the host's classes. */
    private static String sampleContract() {
        String fromEnvironment = System.getenv("CHARTER_SAMPLE_CONTRACT");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        return HostClassPath.entries().stream().filter(e -> e.endsWith("localnet/target/classes")
                        || e.endsWith("localnet/target/test-classes"))
                .map(e -> Path.of(e).getParent().resolve("contracts").resolve("asset-transfer.jar"))
                .filter(Files::isRegularFile).map(Path::toString).findFirst().orElse("");
    }

    private NetworkStatus await(NetworkLayout layout, Process host) throws InterruptedException, IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(timeoutSeconds));
        int shown = 0;
        while (true) {
            Optional<NetworkStatus> status = NetworkStatus.read(layout.statusFile());
            if (status.isPresent()) {
                List<String> progress = status.get().progress();
                for (; shown < progress.size(); shown++) {
                    output().progress("  " + progress.get(shown));
                }
                switch (status.get().state()) {
                    case "ready" -> {
                        return status.get();
                    }
                    case "failed" -> throw new CliException(ExitCodes.FAILED, "NETWORK_FAILED", "the local network"
                            + " failed to start: " + status.get().error() + " (log: " + layout.log() + ")");
                    default -> { }
                }
            }
            if (!host.isAlive() && layout.runningHost().isEmpty()) {
                throw new CliException(ExitCodes.FAILED, "NETWORK_FAILED", "the network host exited with code "
                        + host.exitValue() + " before it was ready: " + lastLine(layout) + " (log: " + layout.log() + ")");
            }
            if (Instant.now().isAfter(deadline)) {
                throw new CliException(ExitCodes.FAILED, "NETWORK_TIMEOUT", "the local network was not ready within "
                        + timeoutSeconds + " s (log: " + layout.log() + "); it keeps starting in the background:"
                        + " 'charter status' shows it, 'charter down' stops it");
            }
            Thread.sleep(200);
        }
    }

    private static boolean empty(Path folder) throws IOException {
        try (var entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }

    private static String lastLine(NetworkLayout layout) throws IOException {
        List<String> lines = Files.readAllLines(layout.log());
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank() && !lines.get(i).startsWith("\tat ")) {
                return lines.get(i).strip();
            }
        }
        return "no output";
    }
}
