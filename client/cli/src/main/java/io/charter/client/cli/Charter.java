package io.charter.client.cli;

import io.charter.client.wallet.WalletException;
import io.charter.common.membership.MembershipException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * The {@code charter} program: builds the command tree with its error handling and runs it. Every failure
 * becomes one line on standard error and an exit code of {@link ExitCodes}; the stack trace only with
 * {@code --verbose}.
 */
public final class Charter {

    private Charter() {}

    public static void main(String[] args) {
        System.exit(commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args));
    }

    /** The command line writing to {@code out} and {@code err} (tests capture both). */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CharterCommand root = new CharterCommand();
        CommandLine commandLine = new CommandLine(root);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            String name = failed.getCommandSpec().qualifiedName();
            root.output().error("USAGE", ExitCodes.USAGE, e.getMessage() + " (see '" + name + " --help')");
            return ExitCodes.USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> {
            CliException error = translate(e);
            root.output().error(error.code(), error.exitCode(), error.getMessage());
            if (root.verbose()) {
                e.printStackTrace(failed.getErr());
                failed.getErr().flush();
            }
            return error.exitCode();
        });
        return commandLine;
    }

    /** What a failure means for the user: a {@link CliException} with its exit code and advice. */
    static CliException translate(Exception e) {
        if (e instanceof CliException cli) {
            return cli;
        }
        if (e instanceof MembershipException membership) {
            return MembershipErrors.translate(membership);
        }
        if (e instanceof WalletException wallet) {
            return switch (wallet.reason()) {
                case NOT_FOUND -> new CliException(ExitCodes.NOT_FOUND, "IDENTITY_NOT_FOUND", wallet.getMessage(), e);
                case EXISTS -> new CliException(ExitCodes.CONFLICT, "IDENTITY_EXISTS", wallet.getMessage(), e);
                case CORRUPT -> new CliException(ExitCodes.CONFLICT, "WALLET_INCOMPATIBLE", wallet.getMessage(), e);
                case IO -> new CliException(ExitCodes.FAILED, "WALLET_IO", wallet.getMessage(), e);
            };
        }
        if (e instanceof NoSuchFileException missing) {
            return new CliException(ExitCodes.USAGE, "NO_SUCH_FILE", "no such file: " + missing.getFile());
        }
        if (e instanceof AccessDeniedException denied) {
            return new CliException(ExitCodes.USAGE, "ACCESS_DENIED", "cannot access " + denied.getFile()
                    + ": check its permissions");
        }
        if (e instanceof ConnectException || e instanceof HttpTimeoutException) {
            return CliException.unreachable("could not connect: " + e.getMessage() + " (is the network up? try 'charter status')", e);
        }
        return new CliException(ExitCodes.INTERNAL, "INTERNAL", "unexpected error " + e
                + " (run again with --verbose and report the stack trace)", e);
    }
}
