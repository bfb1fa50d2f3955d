package io.charter.client.cli;

import io.charter.client.cli.identity.EnrollCommand;
import io.charter.client.cli.ledger.BenchCommand;
import io.charter.client.cli.ledger.BlockCommand;
import io.charter.client.cli.ledger.ChannelCommand;
import io.charter.client.cli.ledger.ContractCommand;
import io.charter.client.cli.ledger.EventsCommand;
import io.charter.client.cli.ledger.InvokeCommand;
import io.charter.client.cli.ledger.LogSpecCommand;
import io.charter.client.cli.ledger.SnapshotCommand;
import io.charter.client.cli.ledger.NodesCommand;
import io.charter.client.cli.ledger.QueryCommand;
import io.charter.client.cli.ledger.TxCommand;
import io.charter.client.cli.network.DownCommand;
import io.charter.client.cli.network.StatusCommand;
import io.charter.client.cli.network.UpCommand;
import io.charter.client.cli.identity.IdentitiesCommand;
import io.charter.client.cli.identity.ReenrollCommand;
import io.charter.client.cli.identity.RegisterCommand;
import io.charter.client.cli.identity.RevokeCommand;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The root {@code charter} command. Its options are inherited by every subcommand, so they may be given
 * before or after the subcommand's name ({@code charter --output json identities} or
 * {@code charter identities --output json}).
 */
@Command(name = "charter", mixinStandardHelpOptions = true,
        versionProvider = CharterVersion.class,
        header = "Charter, a permissioned blockchain: run a local network, manage identities, transact.",
        footer = {"", "Exit codes: 0 ok, 1 usage, 2 not found, 3 unreachable, 4 refused, 5 conflict,"
                + " 6 failed, 10 internal error (see docs/cli.md)."},
        subcommands = {UpCommand.class, DownCommand.class, StatusCommand.class, EnrollCommand.class, ReenrollCommand.class, RegisterCommand.class, RevokeCommand.class,
                IdentitiesCommand.class, ChannelCommand.class, InvokeCommand.class, QueryCommand.class, BlockCommand.class, TxCommand.class, EventsCommand.class,
                NodesCommand.class, LogSpecCommand.class, ContractCommand.class, SnapshotCommand.class, BenchCommand.class, CompletionCommand.class},
        sortOptions = false, usageHelpAutoWidth = true)
public final class CharterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "text|json|dot",
            description = "Result format: text for people, json for scripts, dot (Graphviz) where a command draws a"
                    + " graph: nodes (default: ${DEFAULT-VALUE}).",
            defaultValue = "text")
    OutputFormat output = OutputFormat.text;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show stack traces and more detail on errors.")
    boolean verbose;

    @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Charter's local folder (wallet, local network). Default: $CHARTER_HOME, else ~/.charter.")
    Path home;

    @Option(names = "--wallet", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "The wallet folder of enrolled identities. Default: $CHARTER_WALLET, else <home>/wallet.")
    Path wallet;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    public boolean verbose() {
        return verbose;
    }

    public OutputFormat outputFormat() {
        return output;
    }

    public Path home() {
        if (home != null) {
            return home.toAbsolutePath();
        }
        return env("CHARTER_HOME").map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".charter")).toAbsolutePath();
    }

    public Path wallet() {
        if (wallet != null) {
            return wallet.toAbsolutePath();
        }
        return env("CHARTER_WALLET").map(Path::of).orElseGet(() -> home().resolve("wallet")).toAbsolutePath();
    }

    public Output output() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return new Output(out, err, output);
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }
}
