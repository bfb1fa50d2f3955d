package io.charter.client.cli.identity;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.wallet.MembershipAdmin;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code charter identities}: the wallet's identities, or an organization's registered identities. */
@Command(name = "identities", description = {"List the wallet's identities, or with --org the identities registered"
        + " in an organization (as an admin)."})
public final class IdentitiesCommand extends CharterSubcommand {

    @Option(names = "--org", paramLabel = "MSPID", description = "List what the membership service has registered in"
            + " this organization instead.")
    String organization;

    @Option(names = "--as", paramLabel = "NAME", description = "With --org: the admin identity to act as.")
    String as;

    @Mixin
    MembershipOptions membership;

    @Override
    protected void run() {
        Wallet wallet = wallet();
        if (organization != null) {
            registered(wallet);
            return;
        }
        Optional<String> defaultName = wallet.defaultIdentity();
        List<Map<String, Object>> json = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        List<WalletIdentity> identities = wallet.list();
        if (identities.isEmpty()) {
            text.append("The wallet ").append(wallet.folder()).append(" is empty: enroll an identity with 'charter enroll'.");
        } else {
            text.append(String.format("%-2s%-24s %-16s %-8s %-21s %s%n", "", "NAME", "MSP", "ROLE", "VALID UNTIL", "SERIAL"));
        }
        for (WalletIdentity identity : identities) {
            boolean isDefault = defaultName.filter(identity.name()::equals).isPresent();
            json.add(IdentityView.json(identity, isDefault));
            text.append(String.format("%-2s%-24s %-16s %-8s %-21s %s%n", isDefault ? "*" : "", identity.name(),
                    identity.mspId(), identity.role(), identity.notAfter(), identity.serial()));
        }
        output().result(json, text.toString());
    }

    private void registered(Wallet wallet) {
        WalletIdentity caller = Callers.resolve(wallet, as);
        Wallet.Connection connection = membership.resolve(wallet);
        List<MembershipAdmin.RegisteredIdentity> identities;
        try (MembershipAdmin admin = new MembershipAdmin(connection.membershipUrl(), connection.consortiumRoot())) {
            identities = admin.identities(caller.credential(), organization);
        }
        StringBuilder text = new StringBuilder(String.format("%-24s %-8s %-8s %-9s %s%n", "ID", "TYPE", "REVOKED",
                "ENROLLED", "REGISTERED BY"));
        for (MembershipAdmin.RegisteredIdentity identity : identities) {
            text.append(String.format("%-24s %-8s %-8s %-9s %s%n", identity.id(), identity.type(),
                    identity.revoked() ? "yes" : "no", identity.signingEnrollments() + "/" + identity.maxEnrollments(),
                    identity.registeredBy()));
        }
        output().result(identities, text.toString());
    }
}
