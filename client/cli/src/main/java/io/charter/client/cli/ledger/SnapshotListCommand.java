package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.cli.network.NetworkLayout;
import io.charter.client.sdk.PeerAdmin;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code charter snapshot list}: a channel's snapshots on a peer ({@code peer.Snapshots}), lowest height first. */
@Command(name = "list", description = {"List the snapshots of a channel a peer has written, lowest height first, with"
        + " their hashes (an admin of the peer's organization).",
        "Example:  charter snapshot list -C mychannel --peer peer0.org2 --as org2-admin -o json"})
public final class SnapshotListCommand extends CharterSubcommand {

    @Option(names = {"-C", "--channel"}, paramLabel = "CHANNEL", defaultValue = NetworkLayout.CHANNEL,
            description = "The channel (default: ${DEFAULT-VALUE}).")
    String channel;

    @Mixin
    AdminOptions admin;

    @Override
    protected void run() throws IOException {
        if (admin.peer == null) {
            throw CliException.usage("give --peer HOST:PORT or NODE-ID: the peer whose snapshots to list");
        }
        List<PeerAdmin.Snapshot> snapshots;
        try (PeerAdmin peer = admin.connectPeer(wallet())) {
            snapshots = peer.snapshots(channel);
        } catch (PeerAdmin.PeerAdminException e) {
            throw AdminOptions.translate(e);
        }
        StringBuilder text = new StringBuilder(String.format("%-10s %-64s %s%n", "HEIGHT", "HASH", "FOLDER"));
        snapshots.forEach(s -> text.append(String.format("%-10d %-64s %s%n", s.height(), s.snapshotHash(), s.folder())));
        output().result(snapshots, snapshots.isEmpty() ? "no snapshot of " + channel + " on " + admin.peer
                : text.toString().stripTrailing());
    }
}
