package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import picocli.CommandLine.Command;

/** {@code charter channel config}: a channel's configuration as YAML or JSON, and updates signed by its admins. */
@Command(name = "config", description = {"Change a channel's configuration: fetch it as YAML or JSON, edit it, build an"
        + " update, have the admins sign it in turn, submit it to the orderers.",
        "Example:  charter channel config fetch -C mychannel --out config.yaml",
        "          (edit config.yaml)",
        "          charter channel config update -C mychannel --file config.yaml --out update.pb",
        "          charter channel config sign --file update.pb --identity org1-admin   (each admin, in turn)",
        "          charter channel config submit -C mychannel --file update.pb"},
        subcommands = {ConfigFetchCommand.class, ConfigUpdateCommand.class, ConfigSignCommand.class,
                ConfigSubmitCommand.class})
public final class ChannelConfigCommand extends CharterSubcommand {

    @Override
    protected void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw CliException.usage("name a config command: fetch, update, sign or submit");
    }
}
