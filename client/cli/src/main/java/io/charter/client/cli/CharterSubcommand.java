package io.charter.client.cli;

import io.charter.client.wallet.Wallet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The base of every {@code charter} subcommand: access to the root's inherited options (output format,
 * home, wallet). Subclasses do their work in {@link #run()} and throw {@link CliException} to fail.
 */
public abstract class CharterSubcommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    protected CharterCommand root() {
        return (CharterCommand) spec.root().userObject();
    }

    protected Output output() {
        return root().output();
    }

    protected Wallet wallet() {
        return new Wallet(root().wallet());
    }

    @Override
    public final Integer call() throws Exception {
        run();
        return ExitCodes.OK;
    }

    protected abstract void run() throws Exception;
}
