package io.charter.client.cli.identity;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.wallet.MembershipAdmin;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code charter register}: an admin registers a new identity and gets its one-time enrollment secret. */
@Command(name = "register", description = {"Register a new identity (as an admin) and print its one-time"
        + " enrollment secret.",
        "Example:  charter register user1 --org Org1MSP --as org1-admin",
        "          charter register peer0.org1 --org Org1MSP --type peer --hosts peer0.org1.example.com,10.0.0.5"})
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

    @Option(names = "--hosts", split = ",", paramLabel = "HOST", description = "For a peer or an orderer: the DNS"
            + " names and IP addresses its TLS certificates may name, comma-separated (repeatable; at most 32; a"
            + " wildcard only as a leading '*.'). A node gets a TLS certificate only for these; not allowed for clients"
            + " and admins.")
    List<String> hosts = new ArrayList<>();

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
        if (!hosts.isEmpty() && (type == IdentityType.client || type == IdentityType.admin)) {
            throw CliException.usage("--hosts is for peers and orderers: a " + type + " serves no TLS and its"
                    + " certificates name no host; leave --hosts out or give --type peer or orderer");
        }
        Wallet wallet = wallet();
        WalletIdentity caller = Callers.resolve(wallet, as);
        Wallet.Connection connection = membership.resolve(wallet);
        MembershipAdmin.Registration registration;
        try (MembershipAdmin admin = new MembershipAdmin(connection.membershipUrl(), connection.consortiumRoot())) {
            registration = admin.register(caller.credential(), id, type.name(), organization, attributes,
                    Optional.ofNullable(maxEnrollments), hosts);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", registration.id());
        json.put("organization", registration.organization());
        json.put("type", type.name());
        json.put("secret", registration.secret());
        if (!hosts.isEmpty()) {
            json.put("hosts", hosts);
        }
        output().result(json, "Registered '" + registration.id() + "' (" + type + ") in " + registration.organization()
                + (hosts.isEmpty() ? "" : " for hosts " + String.join(", ", hosts))
                + ".\nEnrollment secret (shown once): " + registration.secret() + "\nEnroll it with:  charter enroll "
                + registration.id() + " --secret " + registration.secret());
    }
}
