package io.charter.client.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/** Prints the bash (and zsh) completion script for every command and option. */
@Command(name = "completion", description = {"Print the shell completion script (bash and zsh).",
        "Use it with:  source <(charter completion)   or save it to /etc/bash_completion.d/charter."})
public final class CompletionCommand extends CharterSubcommand {

    @Override
    protected void run() {
        spec.commandLine().getOut().print(AutoComplete.bash("charter", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
    }
}
