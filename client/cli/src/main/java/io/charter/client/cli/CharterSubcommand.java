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
        if (output().format() == OutputFormat.dot && !drawsGraphs()) {
            // refused before any work, so that nothing is done whose result could not be shown
            throw CliException.usage("'" + spec.qualifiedName() + "' prints text or json; -o dot is for 'charter nodes'");
        }
        run();
        return ExitCodes.OK;
    }

    /** Whether this command prints its result as a Graphviz graph under {@code -o dot}. */
    protected boolean drawsGraphs() {
        return false;
    }

    protected abstract void run() throws Exception;
}
