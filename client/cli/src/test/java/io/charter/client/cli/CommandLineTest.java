package io.charter.client.cli;

import static io.charter.client.cli.CliRun.charter;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI's foundation: help everywhere, completion, usage errors as one line with exit code 1, JSON output. */
class CommandLineTest {

    @TempDir
    Path home;

    @Test
    void everyCommandHasHelpThatExitsZero() {
        CommandLine root = Charter.commandLine(new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(new java.io.StringWriter()));
        assertThat(root.getSubcommands()).isNotEmpty();
        for (CommandLine command : all(root)) {
            String[] path = command.getCommandSpec().qualifiedName(" ").split(" ");
            String[] args = new String[path.length];
            System.arraycopy(path, 1, args, 0, path.length - 1);
            args[path.length - 1] = "--help";
            CliRun run = charter(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(run.out()).as(String.join(" ", args)).contains("Usage: " + String.join(" ", path));
        }
    }

    @Test
    void completionScriptNamesTheCommands() {
        CliRun run = charter("completion");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete -F").contains("enroll").contains("identities");
    }

    @Test
    void anUnknownOptionIsAUsageErrorOnOneLine() {
        CliRun run = charter(home, "identities", "--frobnicate");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("charter: Unknown option: '--frobnicate' (see 'charter identities --help')"
                + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aGraphIsRefusedBeforeAnyWorkByACommandThatDrawsNone() {
        CliRun run = charter(home, "identities", "-o", "dot");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("'charter identities' prints text or json; -o dot is for 'charter nodes'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        CliRun run = charter(home, "frobnicate");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("charter: Unmatched argument at index 0: 'frobnicate'");
    }

    @Test
    void noCommandPrintsUsageAndExitsWithUsage() {
        CliRun run = charter();
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Usage: charter");
    }

    @Test
    void aBadOutputFormatIsRefused() {
        CliRun run = charter(home, "identities", "--output", "xml");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Invalid value for option '--output'").contains("text, json");
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommand() {
        assertThat(charter("--home=" + home, "--output=json", "identities").out().strip()).isEqualTo("[ ]");
        assertThat(charter(home, "identities", "-o", "json").out().strip()).isEqualTo("[ ]");
        assertThat(charter(home, "identities").out()).contains("is empty: enroll an identity with 'charter enroll'");
    }

    @Test
    void errorsAreJsonWithOutputJsonAndStackTracesOnlyWithVerbose() {
        CliRun json = charter(home, "register", "user1", "--org", "Org1MSP", "-o", "json");
        assertThat(json.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(json.err()).contains("\"code\" : \"USAGE\"").contains("\"exitCode\" : 1")
                .contains("no identity to act as");
        CliRun quiet = charter(home, "revoke", "user1", "--as", "nobody");
        assertThat(quiet.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(quiet.err()).startsWith("charter: no identity 'nobody' in the wallet").doesNotContain("\tat ");
        CliRun verbose = charter(home, "revoke", "user1", "--as", "nobody", "--verbose");
        assertThat(verbose.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(verbose.err()).contains("\tat io.charter.client");
        assertThat(Files.exists(home.resolve("wallet"))).isFalse();
    }

    private static java.util.List<CommandLine> all(CommandLine command) {
        java.util.List<CommandLine> all = new java.util.ArrayList<>();
        for (CommandLine sub : command.getSubcommands().values()) {
            all.add(sub);
            all.addAll(all(sub));
        }
        return all;
    }
}
