package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.config.ConfigDocument;
import io.charter.client.sdk.ChannelConfigs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code charter channel config fetch}: the configuration in force, from the orderers, as YAML or JSON. */
@Command(name = "fetch", description = {"Print (or write) a channel's configuration in force, read from the orderers'"
        + " latest config block, as YAML or JSON: organizations with their CA certificates and CRLs as PEM, policies,"
        + " anchor peers; orderers (consenters with TLS certificates), batch size and timeout; the sequence.",
        "Edit it and give it to 'charter channel config update'.",
        "Example:  charter channel config fetch -C mychannel --out config.yaml",
        "          charter channel config fetch -C mychannel --format json | jq '.organizations[].mspId'"})
public final class ConfigFetchCommand extends CharterSubcommand {

    @Mixin
    ConfigSupport.ChannelOptions options;

    @Option(names = "--format", paramLabel = "yaml|json", description = "The document's format (default: yaml, or the"
            + " --out file's extension .json).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the document here (replacing the file) instead of"
            + " printing it.")
    Path out;

    @Override
    protected void run() throws Exception {
        ConfigDocument.Format chosen = format(format, out);
        ChannelConfigs.ConfigBlock block;
        try (LedgerOptions.Connection connection = options.connect(wallet())) {
            block = ConfigSupport.current(connection, options.channel);
        }
        String document = (chosen == ConfigDocument.Format.YAML ? "# Channel " + options.channel + ": configuration"
                + " sequence " + block.config().getSequence() + ", from block " + block.blockNumber() + ".\n# Edit it,"
                + " then: charter channel config update -C " + options.channel + " --file FILE --out update.pb\n" : "")
                + ConfigDocument.write(block.config(), chosen);
        if (out == null) {
            output().out().print(document);
            output().out().flush();
            return;
        }
        ConfigSupport.write(out, document.getBytes(StandardCharsets.UTF_8));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("channel", options.channel);
        json.put("sequence", block.config().getSequence());
        json.put("block", block.blockNumber());
        json.put("file", out.toString());
        output().result(json, "wrote the configuration of channel " + options.channel + " (sequence "
                + block.config().getSequence() + ", block " + block.blockNumber() + ") to " + out);
    }

    static ConfigDocument.Format format(String format, Path file) {
        if (format == null) {
            return file == null ? ConfigDocument.Format.YAML : ConfigDocument.Format.ofFileName(file.toString());
        }
        return switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "yaml", "yml" -> ConfigDocument.Format.YAML;
            case "json" -> ConfigDocument.Format.JSON;
            default -> throw io.charter.client.cli.CliException.usage("--format " + format + ": use yaml or json");
        };
    }
}
