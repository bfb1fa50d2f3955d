package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import io.charter.client.config.ConfigDiff;
import io.charter.client.config.ConfigDocument;
import io.charter.client.config.ConfigFormatException;
import io.charter.client.config.ConfigUpdates;
import io.charter.client.sdk.ChannelConfigs;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigUpdateEnvelope;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code charter channel config update}: an edited configuration as an unsigned update file, with what changes. */
@Command(name = "update", description = {"Build a configuration update from an edited configuration (YAML, or JSON for"
        + " a .json file, as 'config fetch' wrote it): the proposed configuration with the sequence in force + 1, not yet"
        + " signed. Prints what changes (organizations, policies, consenters, batch parameters). The file's sequence"
        + " must be the one in force (fetch again if the channel changed meanwhile).",
        "Then each admin signs it ('charter channel config sign') and one submits it ('charter channel config submit').",
        "Example:  charter channel config update -C mychannel --file config.yaml --out update.pb"})
public final class ConfigUpdateCommand extends CharterSubcommand {

    @Mixin
    ConfigSupport.ChannelOptions options;

    @Option(names = "--file", paramLabel = "FILE", required = true, description = "The edited configuration.")
    Path file;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the update (protobuf"
            + " ConfigUpdateEnvelope); an existing file is not overwritten.")
    Path out;

    @Override
    protected void run() throws Exception {
        ChannelConfig edited = readEdited(file);
        if (!edited.getChannelId().equals(options.channel)) {
            throw CliException.usage(file + " is the configuration of channel '" + edited.getChannelId() + "', not "
                    + options.channel);
        }
        if (Files.exists(out)) {
            throw CliException.conflict(out + " exists: remove it or give another --out");
        }
        ChannelConfigs.ConfigBlock current;
        try (LedgerOptions.Connection connection = options.connect(wallet())) {
            current = ConfigSupport.current(connection, options.channel);
        }
        long sequence = current.config().getSequence();
        if (edited.getSequence() != sequence) {
            throw new CliException(ExitCodes.CONFLICT, "CONFIG_SEQUENCE_MISMATCH", file + " was fetched at sequence "
                    + edited.getSequence() + " but the channel's configuration is at sequence " + sequence
                    + ": fetch it again ('charter channel config fetch') and redo the edits");
        }
        ChannelConfig proposed = edited.toBuilder().setSequence(sequence + 1).build();
        ConfigDiff diff = ConfigDiff.between(current.config(), proposed);
        if (diff.isEmpty()) {
            throw CliException.usage(file + " changes nothing in the configuration of " + options.channel);
        }
        ConfigSupport.checkWellFormed(proposed);
        ConfigUpdateEnvelope update = ConfigUpdates.unsigned(proposed);
        ConfigSupport.write(out, update.toByteArray());
        String admins = current.config().getPoliciesOrDefault("Admins", "MAJORITY Admins");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("channel", options.channel);
        json.put("file", out.toString());
        json.put("sequence", sequence + 1);
        json.put("adminsPolicy", admins);
        json.putAll(ConfigSupport.json(diff));
        output().result(json, "wrote the update of channel " + options.channel + " to sequence " + (sequence + 1) + " to "
                + out + " (unsigned). It changes:\n" + ConfigSupport.text(diff) + "Next: admins satisfying the Admins policy "
                + admins + " sign it in turn ('charter channel config sign --file " + out + " --identity NAME'), then"
                + " 'charter channel config submit -C " + options.channel + " --file " + out + "'.");
    }

    static ChannelConfig readEdited(Path file) throws java.io.IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw CliException.usage("no such file: " + file + " (write one with 'charter channel config fetch --out')");
        } catch (java.nio.charset.MalformedInputException e) {
            throw CliException.usage(file + " is not UTF-8 text");
        }
        try {
            return ConfigDocument.read(text, ConfigDocument.Format.ofFileName(file.toString()));
        } catch (ConfigFormatException e) {
            throw new CliException(ExitCodes.USAGE, "CONFIG_MALFORMED", file + " " + e.getMessage());
        }
    }
}
