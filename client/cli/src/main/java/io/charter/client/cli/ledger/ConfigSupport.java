package io.charter.client.cli.ledger;

import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import io.charter.client.config.ConfigDiff;
import io.charter.client.config.ConfigUpdates;
import io.charter.client.sdk.ChannelConfigs;
import io.charter.client.sdk.SdkErrorCode;
import io.charter.client.sdk.SdkException;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.membership.MembershipClient;
import io.charter.common.membership.MembershipException;
import io.charter.common.config.ConfigUpdateChecker;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigUpdateEnvelope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** What the channel configuration commands share: the channel, the identity, reading the config, files, refusals. */
final class ConfigSupport {

    private ConfigSupport() {}

    /** {@code -C} and {@code --as}: the channel and the wallet identity that reads the configuration and submits. */
    static final class ChannelOptions {
        @Option(names = {"-C", "--channel"}, paramLabel = "CHANNEL", required = true, description = "The channel.")
        String channel;

        @Option(names = "--as", paramLabel = "NAME", description = "The wallet identity that reads the configuration"
                + " from the orderers and submits (a member of the channel; default: the wallet's default).")
        String as;

        @Option(names = "--orderer", paramLabel = "ORDERER", description = "Ask this orderer instead of those the index"
                + " lists: its node id (e.g. orderer2) or HOST:PORT of its transport (no index needed).")
        String orderer;

        LedgerOptions.Connection connect(Wallet wallet) {
            LedgerOptions ledger = new LedgerOptions();
            ledger.channel = channel;
            ledger.as = as;
            ledger.orderer = orderer;
            return ledger.connect(wallet);
        }
    }

    /**
     * The configuration in force, read from the orderers: from the height the index reports for the channel's
     * orderers (a hint; 0 when it has none) to the tip.
     */
    static ChannelConfigs.ConfigBlock current(LedgerOptions.Connection connection, String channel) {
        long hint = 0;
        try {
            for (MembershipClient.Node orderer : connection.membership().orderers(channel, connection.identity().credential())) {
                hint = Math.max(hint, orderer.channelHeights().getOrDefault(channel, 0L) - 1);
            }
        } catch (MembershipException e) {
            hint = 0; // the index is only a hint: read the chain from the start
        }
        long from = hint;
        ChannelConfigs.ConfigBlock block;
        try {
            block = connection.gateway().network(channel).configs().current(from);
        } catch (SdkException e) {
            if (e.code() == SdkErrorCode.NO_ORDERERS || e.getMessage().contains("NOT_FOUND: this orderer serves no channel")) {
                throw new CliException(ExitCodes.NOT_FOUND, "CHANNEL_NOT_FOUND", "no orderer serves channel '" + channel
                        + "' (the index lists none that is up): check -C, or 'charter channel list'", e);
            }
            throw SdkErrors.translate(e);
        }
        if (!block.config().getChannelId().equals(channel)) {
            throw new CliException(ExitCodes.INTERNAL, "INTERNAL", "the orderer delivered the configuration of '"
                    + block.config().getChannelId() + "' for channel " + channel);
        }
        return block;
    }

    static ConfigUpdateEnvelope readUpdate(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw CliException.usage("no such file: " + file + " (write one with 'charter channel config update' or"
                    + " 'charter channel add-org --out')");
        }
        try {
            return ConfigUpdates.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(file + ": " + e.getMessage());
        }
    }

    /** Writes through a temporary file and an atomic move: a failure leaves {@code file} as it was. */
    static void write(Path file, byte[] bytes) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        Files.write(temporary, bytes);
        try {
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /** The well-formedness the orderers check, checked here first: a refusal sends nothing. */
    static void checkWellFormed(ChannelConfig proposed) {
        ConfigUpdateChecker.wellFormedness(proposed).ifPresent(problem -> {
            throw new CliException(ExitCodes.USAGE, "CONFIG_INVALID", "the orderers would refuse this configuration: "
                    + problem);
        });
    }

    /** The wallet identity, which must be an admin: only admins' signatures count for the Admins policy. */
    static WalletIdentity admin(Wallet wallet, String name) {
        WalletIdentity identity = wallet.get(name);
        if (!"admin".equals(identity.role())) {
            throw new CliException(ExitCodes.REFUSED, "NOT_ADMIN", "'" + name + "' is a " + identity.role() + " of "
                    + identity.mspId() + ", not an admin: only organization admins' signatures count for a channel's"
                    + " Admins policy; sign as an admin identity of the wallet (e.g. org1-admin)");
        }
        return identity;
    }

    /** Signs {@code update} as {@code identity}, refusing a second signature by the same certificate. */
    static ConfigUpdateEnvelope sign(ConfigUpdateEnvelope update, WalletIdentity identity) {
        if (ConfigUpdates.signedBy(update, identity.certificate())) {
            throw CliException.conflict("'" + identity.name() + "' has already signed this update");
        }
        return ConfigUpdates.sign(update, identity.mspId(), identity.certificate(), identity.signer());
    }

    /** The orderers' refusal of a config update as one line with what to do. */
    static CliException refusal(SdkException e, ChannelConfig current, ConfigUpdateEnvelope update, Path file) {
        String reason = e.ordererReason().orElse("");
        String detail = e.getMessage();
        return switch (reason) {
            case "CONFIG_UNAUTHORIZED" -> {
                ConfigUpdates.AdminsCheck check = ConfigUpdates.check(current, update);
                yield new CliException(ExitCodes.REFUSED, reason, "the orderers refused the update: the signatures do not"
                        + " satisfy the channel's Admins policy " + current.getPoliciesOrDefault("Admins", "MAJORITY Admins")
                        + ": " + check.explanation() + " (signed by " + (check.counted().isEmpty() ? "no admin"
                        : check.counted().toString()) + (check.ignored().isEmpty() ? "" : "; not counted: " + check.ignored())
                        + "); have the missing admins run 'charter channel config sign --file " + (file == null ? "UPDATE"
                        : file) + " --identity NAME', then submit again", e);
            }
            case "CONFIG_SEQUENCE_MISMATCH" -> new CliException(ExitCodes.CONFLICT, reason, "the orderers refused the update:"
                    + " the channel's configuration changed since it was built (" + detail + "); fetch the configuration"
                    + " again and build a new update", e);
            case "CONFIG_INVALID", "CONFIG_WRONG_CHANNEL" -> new CliException(ExitCodes.USAGE, reason,
                    "the orderers refused the update: " + detail, e);
            default -> SdkErrors.translate(e);
        };
    }

    /** The diff as JSON. */
    static Map<String, Object> json(ConfigDiff diff) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("changes", diff.lines());
        json.put("organizationsAdded", diff.organizationsAdded());
        json.put("organizationsRemoved", diff.organizationsRemoved());
        json.put("policiesChanged", diff.policiesChanged());
        json.put("consentersAdded", diff.consentersAdded());
        json.put("consentersRemoved", diff.consentersRemoved());
        return json;
    }

    static String text(ConfigDiff diff) {
        StringBuilder text = new StringBuilder();
        diff.lines().forEach(line -> text.append("  ").append(line).append('\n'));
        return text.toString();
    }

    static List<String> signerNames(ConfigUpdateEnvelope update) {
        List<String> names = new ArrayList<>();
        ConfigUpdates.signers(update).forEach(s -> names.add(s.toString()));
        return names;
    }
}
