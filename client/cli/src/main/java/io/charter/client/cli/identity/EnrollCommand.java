package io.charter.client.cli.identity;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.wallet.Enroller;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.membership.MembershipClient;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code charter enroll}: a registered identity gets its certificates; the wallet keeps them. */
@Command(name = "enroll", description = {"Enroll a registered identity with its one-time secret and keep its keys and"
        + " certificates (signing and TLS) in the wallet.",
        "Example:  charter enroll user1 --secret 3Zk...   (the secret 'charter register' printed)"})
public final class EnrollCommand extends CharterSubcommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The enrollment id, as registered.")
    String id;

    @Option(names = {"-s", "--secret"}, paramLabel = "SECRET", defaultValue = "${env:CHARTER_ENROLLMENT_SECRET}",
            description = "The one-time enrollment secret (default: $CHARTER_ENROLLMENT_SECRET).")
    String secret;

    @Option(names = "--name", paramLabel = "NAME", description = "The name in the wallet (default: the enrollment id).")
    String name;

    @Option(names = "--tls-host", paramLabel = "HOST", description = "For a peer or an orderer: a host name or IP"
            + " for its TLS certificate, one its registrar approved (repeatable; default: every approved host). Clients"
            + " and admins leave it out: their TLS certificates name no host.")
    List<String> tlsHosts;

    @Option(names = "--no-tls", description = "Enroll a signing certificate only (no TLS certificate for mTLS to nodes).")
    boolean noTls;

    @Option(names = "--default", description = "Make it the wallet's default identity (the first one enrolled is).")
    boolean makeDefault;

    @Mixin
    MembershipOptions membership;

    @Override
    protected void run() {
        if (secret == null || secret.isBlank()) {
            throw CliException.usage("no enrollment secret: give --secret (or set CHARTER_ENROLLMENT_SECRET)");
        }
        String walletName = name == null ? id : name;
        if (!Wallet.validName(walletName)) {
            throw CliException.usage("'" + walletName + "' cannot name a wallet identity: use 1 to 64 letters, digits,"
                    + " '.', '_', '@' or '-' (choose one with --name)");
        }
        if (noTls && tlsHosts != null) {
            throw CliException.usage("--no-tls and --tls-host contradict each other: give one of them");
        }
        Wallet wallet = wallet();
        if (wallet.contains(walletName)) {
            throw CliException.conflict("the wallet " + wallet.folder() + " already holds '" + walletName
                    + "': renew it with 'charter reenroll " + walletName + "', or choose another --name");
        }
        Wallet.Connection connection = membership.resolve(wallet);
        Optional<List<String>> hosts = noTls ? Optional.empty()
                : Optional.of(tlsHosts == null ? List.of() : tlsHosts);
        WalletIdentity identity;
        try (MembershipClient client = new MembershipClient(connection.membershipUrl(), connection.consortiumRoot())) {
            identity = new Enroller(client).enroll(walletName, id, secret, hosts);
        }
        wallet.put(identity, false);
        if (membership.given() || wallet.connection().isEmpty()) {
            wallet.saveConnection(connection);
        }
        boolean isDefault = makeDefault || wallet.defaultIdentity().isEmpty();
        if (isDefault) {
            wallet.setDefaultIdentity(walletName);
        }
        output().result(IdentityView.json(identity, isDefault), "Enrolled '" + id + "' (" + identity.mspId() + ", "
                + identity.role() + ") into " + wallet.folder().resolve(walletName) + "\n  certificate serial "
                + identity.serial() + ", valid until " + identity.notAfter()
                + (identity.tls().isPresent() ? ", with a TLS certificate" : "")
                + (isDefault ? "\n  it is the wallet's default identity" : ""));
    }
}
