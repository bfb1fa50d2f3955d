package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.cli.network.NetworkLayout;
import io.charter.client.sdk.PeerAdmin;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code charter snapshot create}: a peer writes a snapshot of a channel at its current height
 * ({@code peer.CreateSnapshot}, a request signed by an admin of the peer's organization).
 */
@Command(name = "create", description = {"Make a peer write a snapshot of a channel's ledger at its current height"
        + " (world state, private data hashes, transaction ids, configuration in force; docs/snapshots.md), in a request"
        + " signed by the identity, an admin of the peer's organization. Every peer at the same height answers the same"
        + " snapshot hash. Refusals: SNAPSHOT_EXISTS (one at this height exists), SNAPSHOT_IN_PROGRESS (one at a time),"
        + " NOT_JOINED.",
        "Example:  charter snapshot create -C mychannel --peer peer0.org1 --as org1-admin"})
public final class SnapshotCreateCommand extends CharterSubcommand {

    @Option(names = {"-C", "--channel"}, paramLabel = "CHANNEL", defaultValue = NetworkLayout.CHANNEL,
            description = "The channel (default: ${DEFAULT-VALUE}).")
    String channel;

    @Mixin
    AdminOptions admin;

    @Override
    protected void run() throws IOException {
        if (admin.peer == null) {
            throw CliException.usage("give --peer HOST:PORT or NODE-ID: the peer that writes the snapshot");
        }
        PeerAdmin.Snapshot snapshot;
        try (PeerAdmin peer = admin.connectPeer(wallet())) {
            snapshot = peer.createSnapshot(channel);
        } catch (PeerAdmin.PeerAdminException e) {
            throw AdminOptions.translate(e);
        }
        output().result(snapshot, admin.peer + " wrote a snapshot of " + snapshot.channelId() + " at height "
                + snapshot.height() + "\n  hash   " + snapshot.snapshotHash() + "\n  folder " + snapshot.folder());
    }
}
