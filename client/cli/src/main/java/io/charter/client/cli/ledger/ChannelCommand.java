package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import picocli.CommandLine.Command;

/** {@code charter channel}: the channels of the network and their configuration. */
@Command(name = "channel", description = "The channels: 'charter channel list', 'charter channel info', 'charter channel join',"
        + " 'charter channel leave',"
        + " 'charter channel create', 'charter channel config', 'charter channel add-org'.",
        subcommands = {ChannelListCommand.class, ChannelInfoCommand.class, ChannelJoinCommand.class, ChannelLeaveCommand.class,
                ChannelCreateCommand.class, ChannelConfigCommand.class, ChannelAddOrgCommand.class})
public final class ChannelCommand extends CharterSubcommand {

    @Override
    protected void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw CliException.usage("name a channel command: list, info, join, leave, create, config or add-org");
    }
}
