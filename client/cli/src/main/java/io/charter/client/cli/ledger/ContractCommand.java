package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import picocli.CommandLine.Command;

/** {@code charter contract}: package, install, approve, check readiness, commit and list contracts. */
@Command(name = "contract", description = "Contracts: 'charter contract package', 'install', 'approve', 'readiness',"
        + " 'commit', 'list'.",
        subcommands = {ContractPackageCommand.class, ContractInstallCommand.class, ContractApproveCommand.class,
                ContractReadinessCommand.class, ContractCommitCommand.class, ContractListCommand.class})
public final class ContractCommand extends CharterSubcommand {

    @Override
    protected void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw CliException.usage("name a contract command: package, install, approve, readiness, commit or list");
    }
}
