package io.charter.client.cli.network;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import io.charter.client.cli.network.NetworkLayout;
import io.charter.client.cli.network.NetworkStatus;
import io.charter.client.wallet.Wallet;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code charter status}: whether the local network runs, and where everything is. */
@Command(name = "status", description = {"Show whether the local network is running and where its nodes are.",
        "Exit code 0 when it runs, 2 when there is none, 3 when it is stopped or did not answer."})
public final class StatusCommand extends CharterSubcommand {

    @Override
    protected void run() {
        NetworkLayout layout = NetworkLayout.under(root().home());
        if (!layout.exists()) {
            throw CliException.notFound("there is no local network in " + layout.folder() + ": start one with 'charter up'");
        }
        LocalNetwork.compatibleSettings(layout);
        Optional<ProcessHandle> running = layout.runningHost();
        Optional<NetworkStatus> status = NetworkStatus.read(layout.statusFile());
        if (running.isEmpty()) {
            throw new CliException(ExitCodes.UNREACHABLE, "NETWORK_STOPPED", "the local network in " + layout.folder()
                    + " is not running" + status.filter(s -> "failed".equals(s.state()))
                            .map(s -> " (it failed: " + s.error() + ")").orElse("") + ": start it with 'charter up'");
        }
        NetworkStatus current = status.orElseThrow(() -> new CliException(ExitCodes.UNREACHABLE, "NETWORK_STARTING",
                "the local network host (pid " + running.get().pid() + ") has not reported yet: try again"));
        output().result(current.json(), text(current, layout, wallet().folder(), false));
    }

    /** The membership service's network map page (docs/membership-service.md, "The network map"). */
    static String mapUrl(String membershipUrl) {
        return membershipUrl.replaceAll("/+$", "") + "/map/";
    }

    static String text(NetworkStatus status, NetworkLayout layout, Path wallet, boolean tryCommands) {
        StringBuilder text = new StringBuilder();
        text.append("Local network ").append(status.state());
        if ("ready".equals(status.state())) {
            text.append(" (started in ").append(status.readyMillis() / 1000.0).append(" s)");
        }
        text.append(", pid ").append(status.pid()).append(", channel ").append(status.channel()).append('\n');
        for (NetworkStatus.Node node : status.nodes()) {
            String address = "membership".equals(node.name()) ? status.membershipUrl() : node.host() + ":" + node.port();
            text.append(String.format("  %-12s %-10s %-14s %-26s%s%n", node.name(), node.role(), node.mspId(), address,
                    node.operations().map(url -> "  " + url + "/health, " + url + "/prometheus").orElse("")).stripTrailing())
                    .append('\n');
        }
        if (status.membershipUrl() != null) {
            text.append("  network map  ").append(mapUrl(status.membershipUrl()))
                    .append(" (sign in with a wallet identity's signing-cert.pem and signing-key.pem)\n");
        }
        Wallet identities = new Wallet(wallet);
        text.append("  wallet       ").append(wallet).append(": ").append(String.join(", ", identities.names()))
                .append(identities.defaultIdentity().map(d -> " (default " + d + ")").orElse("")).append('\n');
        text.append("  data         ").append(layout.folder()).append(" (log ").append(layout.log().getFileName())
                .append(status.durable() ? "; durable: fsync and synchronous commits"
                        : "; fast: a crash of the machine may lose the last commits, 'charter up --durable' syncs them")
                .append(")\n");
        if (tryCommands) {
            text.append("\nTry (as org1-admin, the wallet's default identity):\n")
                    .append("  charter nodes\n")
                    .append("  charter invoke asset-transfer CreateAsset asset1 blue 5 \"\" 100\n")
                    .append("  charter query asset-transfer ReadAsset asset1 --peer peer0.org2\n")
                    .append("Stop it with 'charter down' (the data stays for the next 'charter up').\n");
        }
        return text.toString();
    }
}
