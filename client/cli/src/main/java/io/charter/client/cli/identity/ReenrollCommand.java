package io.charter.client.cli.identity;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.wallet.Enroller;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.membership.MembershipClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code charter reenroll}: renew an identity's certificates with new keys before (or shortly after) they expire. */
@Command(name = "reenroll", description = {"Renew a wallet identity's certificates (signing, and TLS if it has one)"
        + " with new keys, authenticated by its current certificate."})
public final class ReenrollCommand extends CharterSubcommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The wallet identity (default: the"
            + " wallet's default identity).")
    String name;

    @Option(names = "--tls-host", paramLabel = "HOST", description = "For a peer or an orderer: a host name or IP"
            + " for the new TLS certificate, one its registrar approved (repeatable; default: every approved host)."
            + " Clients and admins leave it out.")
    List<String> tlsHosts;

    @Mixin
    MembershipOptions membership;

    @Override
    protected void run() {
        Wallet wallet = wallet();
        WalletIdentity current = Callers.resolve(wallet, name);
        Wallet.Connection connection = membership.resolve(wallet);
        WalletIdentity renewed;
        try (MembershipClient client = new MembershipClient(connection.membershipUrl(), connection.consortiumRoot())) {
            renewed = new Enroller(client).reenroll(current,
                    tlsHosts == null ? List.of() : tlsHosts);
        }
        wallet.put(renewed, true);
        boolean isDefault = wallet.defaultIdentity().filter(renewed.name()::equals).isPresent();
        output().result(IdentityView.json(renewed, isDefault), "Re-enrolled '" + renewed.name()
                + "': new certificate serial " + renewed.serial() + ", valid until " + renewed.notAfter());
    }
}
