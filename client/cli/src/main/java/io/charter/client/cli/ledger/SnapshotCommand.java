package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import picocli.CommandLine.Command;

/** {@code charter snapshot}: write and list snapshots of a channel's ledger on a peer (docs/snapshots.md). */
@Command(name = "snapshot", description = "Snapshots of a channel's ledger on a peer: 'charter snapshot create', 'list'.",
        subcommands = {SnapshotCreateCommand.class, SnapshotListCommand.class})
public final class SnapshotCommand extends CharterSubcommand {

    @Override
    protected void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw CliException.usage("name a snapshot command: create or list");
    }
}
