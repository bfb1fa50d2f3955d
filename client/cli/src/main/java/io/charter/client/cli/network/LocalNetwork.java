package io.charter.client.cli.network;

import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import io.charter.client.cli.Output;
import io.charter.client.cli.network.NetworkLayout;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Checks shared by up, down and status: is the folder a network of this version. */
final class LocalNetwork {

    private LocalNetwork() {}

    /**
     * Stops the PostgreSQL server a network host that died (killed, out of memory, power cut of its process)
     * left running on this network's data, so that the next {@code charter up} finds its port free and its data
     * consistent; nothing else is touched. PostgreSQL's "smart" shutdown (SIGTERM) suffices: its only clients
     * died with the host. Does nothing while a host runs.
     *
     * @return the pid of the server stopped, if there was one
     */
    static Optional<Long> stopLeftovers(NetworkLayout layout, Output output) throws InterruptedException {
        if (layout.runningHost().isPresent()) {
            return Optional.empty();
        }
        Optional<ProcessHandle> postgres = layout.runningPostgres();
        if (postgres.isEmpty()) {
            return Optional.empty();
        }
        ProcessHandle server = postgres.get();
        output.progress("Stopping PostgreSQL (pid " + server.pid() + ") left running on " + layout.postgres()
                + " by a network host that did not stop (killed or crashed) ...");
        server.destroy();
        try {
            server.onExit().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new CliException(ExitCodes.FAILED, "LEFTOVER_RUNNING", "PostgreSQL (pid " + server.pid()
                    + ") left by a dead network host did not stop within 60 s: stop it ('kill " + server.pid()
                    + "'), then run this again");
        }
        return Optional.of(server.pid());
    }

    /** The stored settings of the network in {@code layout}, refusing a folder of another format. */
    static Properties compatibleSettings(NetworkLayout layout) {
        Properties settings = layout.load().orElseThrow();
        String format = settings.getProperty("format", "?");
        if (!Integer.toString(NetworkLayout.FORMAT).equals(format)) {
            throw CliException.conflict("the local network in " + layout.folder() + " is of data format " + format
                    + " and this charter uses format " + NetworkLayout.FORMAT + ": nothing was changed. Use the charter"
                    + " that created it, or remove it with 'charter down --purge' (its ledger is lost), or use another --home");
        }
        return settings;
    }
}
