package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.config.ConfigDiff;
import io.charter.client.config.ConfigUpdates;
import io.charter.client.sdk.ChannelConfigs;
import io.charter.client.sdk.SdkException;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigUpdateEnvelope;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code charter channel config submit}: sends a signed update to the orderers and waits for its config block. */
@Command(name = "submit", description = {"Send a signed configuration update to the channel's orderers and wait until"
        + " they committed the config block; prints the new sequence. A refusal says why: too few admin signatures"
        + " (exit 4, with the admins still missing), the configuration changed meanwhile (exit 5), an invalid"
        + " configuration (exit 1).",
        "Example:  charter channel config submit -C mychannel --file update.pb"})
public final class ConfigSubmitCommand extends CharterSubcommand {

    @Mixin
    ConfigSupport.ChannelOptions options;

    @Option(names = "--file", paramLabel = "FILE", required = true, description = "The signed update file.")
    Path file;

    @Override
    protected void run() throws Exception {
        ConfigUpdateEnvelope update = ConfigSupport.readUpdate(file);
        ChannelConfig proposed = ConfigUpdates.update(update).getProposed();
        if (!proposed.getChannelId().equals(options.channel)) {
            throw CliException.usage(file + " updates channel '" + proposed.getChannelId() + "', not " + options.channel);
        }
        try (LedgerOptions.Connection connection = options.connect(wallet())) {
            ChannelConfigs.ConfigBlock current = ConfigSupport.current(connection, options.channel);
            Map<String, Object> json = submit(connection, current, update, file);
            String text = (String) json.remove("text");
            output().result(json, text);
        }
    }

    /** Submits and reads the configuration back; the result as JSON with a "text" line. */
    static Map<String, Object> submit(LedgerOptions.Connection connection, ChannelConfigs.ConfigBlock current,
            ConfigUpdateEnvelope update, Path file) {
        String channel = current.config().getChannelId();
        ChannelConfig proposed = ConfigUpdates.update(update).getProposed();
        ConfigDiff diff = ConfigDiff.between(current.config(), proposed);
        long block;
        try {
            block = connection.gateway().network(channel).configs().submit(update);
        } catch (SdkException e) {
            throw ConfigSupport.refusal(e, current.config(), update, file);
        }
        long from = Math.max(0, block);
        ChannelConfigs.ConfigBlock now = SdkErrors.call(() -> connection.gateway().network(channel).configs().current(from));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("channel", channel);
        json.put("sequence", now.config().getSequence());
        json.put("block", now.blockNumber());
        json.put("signatures", ConfigSupport.signerNames(update));
        json.putAll(ConfigSupport.json(diff));
        json.put("text", "channel " + channel + " is at configuration sequence " + now.config().getSequence()
                + " (config block " + now.blockNumber() + "), signed by " + String.join(", ",
                ConfigSupport.signerNames(update)) + ":\n" + ConfigSupport.text(diff));
        return json;
    }
}
