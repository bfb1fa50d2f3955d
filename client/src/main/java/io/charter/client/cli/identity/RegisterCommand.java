package io.charter.client.cli.identity;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.wallet.MembershipAdmin;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code charter register}: an admin registers a new identity and gets its one-time enrollment secret. */
@Command(name = "register", description = {"Register a new identity (as an admin) and print its one-time"
        + " enrollment secret.",
        "Example:  charter register user1 --org Org1MSP --as org1-admin"})
public final class RegisterCommand extends CharterSubcommand {

    /** The roles a registration may carry. */
    public enum IdentityType { client, peer, orderer, admin }

    @Parameters(index = "0", paramLabel = "ID", description = "The new enrollment id.")
    String id;

    @Option(names = "--org", required = true, paramLabel = "MSPID", description = "Its organization, e.g. Org1MSP.")
    String organization;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "client",
            description = "client, peer, orderer or admin (default: ${DEFAULT-VALUE}).")
    IdentityType type;

    @Option(names = "--attr", paramLabel = "KEY=VALUE", description = "An attribute for attribute-based access"
            + " control (repeatable).")
    Map<String, String> attributes = new LinkedHashMap<>();

    @Option(names = "--max-enrollments", paramLabel = "N", description = "Enrollments allowed per profile"
            + " (default: the service's, 1).")
    Integer maxEnrollments;

    @Option(names = "--as", paramLabel = "NAME", description = "The admin identity of the wallet to act as"
            + " (default: the wallet's default).")
    String as;

    @Mixin
    MembershipOptions membership;

    @Override
    protected void run() {
        if (maxEnrollments != null && maxEnrollments < 1) {
            throw CliException.usage("--max-enrollments must be at least 1, not " + maxEnrollments);
        }
        Wallet wallet = wallet();
        WalletIdentity caller = Callers.resolve(wallet, as);
        Wallet.Connection connection = membership.resolve(wallet);
        MembershipAdmin.Registration registration;
        try (MembershipAdmin admin = new MembershipAdmin(connection.membershipUrl(), connection.consortiumRoot())) {
            registration = admin.register(caller.credential(), id, type.name(), organization, attributes,
                    Optional.ofNullable(maxEnrollments));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", registration.id());
        json.put("organization", registration.organization());
        json.put("type", type.name());
        json.put("secret", registration.secret());
        output().result(json, "Registered '" + registration.id() + "' (" + type + ") in " + registration.organization()
                + ".\nEnrollment secret (shown once): " + registration.secret() + "\nEnroll it with:  charter enroll "
                + registration.id() + " --secret " + registration.secret());
    }
}
