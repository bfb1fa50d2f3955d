package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import io.charter.client.cli.identity.Callers;
import io.charter.client.config.ConfigUpdates;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigUpdateEnvelope;
import io.charter.protocol.OrganizationConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code charter channel config sign}: adds a wallet admin's signature to an update file. */
@Command(name = "sign", description = {"Add the signature of a wallet identity, an admin of one of the channel's"
        + " organizations, to a configuration update file (in place). Each admin whose signature the channel's Admins"
        + " policy needs runs this in turn, passing the file on. Nothing is sent.",
        "Example:  charter channel config sign --file update.pb --identity org2-admin"})
public final class ConfigSignCommand extends CharterSubcommand {

    @Option(names = "--file", paramLabel = "FILE", required = true, description = "The update file.")
    Path file;

    @Option(names = {"--identity", "--as"}, paramLabel = "NAME", description = "The wallet identity that signs (an"
            + " organization admin; default: the wallet's default).")
    String identity;

    @Override
    protected void run() throws Exception {
        ConfigUpdateEnvelope update = ConfigSupport.readUpdate(file);
        Wallet wallet = wallet();
        WalletIdentity signer = ConfigSupport.admin(wallet, Callers.resolve(wallet, identity).name());
        ChannelConfig proposed = ConfigUpdates.update(update).getProposed();
        List<String> organizations = proposed.getOrganizationsList().stream().map(OrganizationConfig::getMspId).toList();
        if (!organizations.contains(signer.mspId())) {
            throw new CliException(ExitCodes.REFUSED, "NOT_A_MEMBER", "'" + signer.name() + "' is an admin of "
                    + signer.mspId() + ", which is not an organization of channel " + proposed.getChannelId() + " ("
                    + String.join(", ", organizations) + "): its signature would not count");
        }
        ConfigUpdateEnvelope signed = ConfigSupport.sign(update, signer);
        ConfigSupport.write(file, signed.toByteArray());
        List<String> signers = ConfigSupport.signerNames(signed);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", file.toString());
        json.put("channel", proposed.getChannelId());
        json.put("signedAs", signer.name());
        json.put("signatures", signers);
        output().result(json, "signed " + file + " as " + signer.name() + " (" + signer.mspId() + "); signatures now: "
                + String.join(", ", signers) + ". Pass it to the next admin, or submit it: 'charter channel config"
                + " submit -C " + proposed.getChannelId() + " --file " + file + "'.");
    }
}
