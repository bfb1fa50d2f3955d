package io.charter.client.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code charter} in this JVM with captured output: what a test sees is what a user would. */
public record CliRun(int exitCode, String out, String err) {

    /** Runs the arguments with {@code --home} set to {@code home} (so no test touches ~/.charter). */
    public static CliRun charter(Path home, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--home=" + home);
        return charter(all.toArray(String[]::new));
    }

    public static CliRun charter(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Charter.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
