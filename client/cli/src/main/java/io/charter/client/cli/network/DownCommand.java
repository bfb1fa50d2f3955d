package io.charter.client.cli.network;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import io.charter.client.cli.network.NetworkLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code charter down}: stops the local network; its data stays unless {@code --purge}. */
@Command(name = "down", description = {"Stop the local network. Its data (ledgers, identities) stays for the next"
        + " 'charter up' unless --purge."})
public final class DownCommand extends CharterSubcommand {

    @Option(names = "--purge", description = "Also delete the network's data folder: ledgers, blocks, node identities.")
    boolean purge;

    @Override
    protected void run() throws IOException, InterruptedException {
        NetworkLayout layout = NetworkLayout.under(root().home());
        Optional<ProcessHandle> running = layout.runningHost();
        boolean stopped = false;
        if (running.isPresent()) {
            ProcessHandle host = running.get();
            output().progress("Stopping the local network (pid " + host.pid() + ") ...");
            host.destroy();
            try {
                host.onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                host.destroyForcibly();
                throw new CliException(ExitCodes.FAILED, "STOP_TIMEOUT", "the network host (pid " + host.pid()
                        + ") did not stop within 60 s and was killed: its data may need a moment to recover at the next"
                        + " 'charter up'");
            }
            stopped = true;
        } else if (!layout.exists() && !purge) {
            throw CliException.notFound("there is no local network in " + layout.folder());
        }
        // a host that died leaves PostgreSQL running (the host has stopped it too when it exited normally)
        Optional<Long> leftover = LocalNetwork.stopLeftovers(layout, output());
        if (purge && Files.exists(layout.folder())) {
            try (Stream<Path> tree = Files.walk(layout.folder())) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("stopped", stopped);
        leftover.ifPresent(pid -> json.put("stoppedLeftoverPostgres", pid));
        json.put("purged", purge);
        json.put("folder", layout.folder().toString());
        output().result(json, (stopped ? "Stopped the local network." : "The local network was not running.")
                + leftover.map(pid -> " Stopped PostgreSQL (pid " + pid + ") that a dead network host had left running.")
                        .orElse("")
                + (purge ? " Deleted " + layout.folder() + " (the wallet " + wallet().folder()
                        + " still holds its identities)." : " Its data stays in " + layout.folder()
                        + ": 'charter up' starts it again."));
    }
}
