package io.charter.client.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Writes docs/cli-reference.md from the picocli model: every command's usage help, as {@code --help}
 * prints it, at a fixed width. {@code CliReferenceTest} fails when the committed file differs, so the
 * reference cannot go stale. Run: {@code java -cp ... io.charter.client.cli.CliReference docs/cli-reference.md}
 * (or the test with {@code -Dcharter.cli-reference.write=true}).
 */
public final class CliReference {

    private static final int WIDTH = 110;

    private CliReference() {}

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "docs/cli-reference.md");
        Files.writeString(target, markdown());
        System.out.println("wrote " + target.toAbsolutePath());
    }

    /** The reference, generated. */
    public static String markdown() {
        CommandLine root = Charter.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        root.setUsageHelpAutoWidth(false);
        root.setUsageHelpWidth(WIDTH);
        StringBuilder text = new StringBuilder();
        text.append("# `charter` command reference\n\n")
                .append("Generated from the CLI's picocli model by `io.charter.client.cli.CliReference`; do not edit by hand\n")
                .append("(`CliReferenceTest` fails when this file is stale; regenerate with\n")
                .append("`./mvnw -B -o -pl client/cli -am verify -DskipITs -Dtest=CliReferenceTest -Dcharter.cli-reference.write=true"
                        + " -Dsurefire.failIfNoSpecifiedTests=false`).\n")
                .append("How the CLI and the local network work: [cli.md](cli.md).\n\n");
        text.append("Commands:\n\n");
        appendIndex(root, text);
        text.append('\n');
        append(root, text);
        return text.toString();
    }

    private static void appendIndex(CommandLine command, StringBuilder text) {
        for (CommandLine sub : command.getSubcommands().values()) {
            String name = sub.getCommandSpec().qualifiedName(" ");
            text.append("- [`").append(name).append("`](#").append(name.replace(' ', '-')).append(")\n");
            appendIndex(sub, text);
        }
    }

    private static void append(CommandLine command, StringBuilder text) {
        String name = command.getCommandSpec().qualifiedName(" ");
        text.append("## ").append(name).append("\n\n```\n")
                .append(command.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n\n");
        for (CommandLine sub : command.getSubcommands().values()) {
            append(sub, text);
        }
    }
}
