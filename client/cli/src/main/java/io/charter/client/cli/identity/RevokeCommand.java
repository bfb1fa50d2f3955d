package io.charter.client.cli.identity;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.wallet.MembershipAdmin;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code charter revoke}: an admin revokes an identity (all its certificates) or one certificate. */
@Command(name = "revoke", description = {"Revoke an identity and all its certificates, or one certificate by serial"
        + " (as an admin). Nodes refuse it once they fetched the new CRL.",
        "Examples:  charter revoke user1 --as org1-admin     charter revoke --serial 4f1c... --reason key_compromise"})
public final class RevokeCommand extends CharterSubcommand {

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{1,64}");

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The enrollment id to revoke.")
    String id;

    @Option(names = "--serial", paramLabel = "HEX", description = "Revoke one certificate by its serial number instead.")
    String serial;

    @Option(names = "--reason", paramLabel = "REASON", defaultValue = "unspecified", description = "An RFC 5280 reason:"
            + " key_compromise, superseded, cessation_of_operation, affiliation_changed, ... (default: ${DEFAULT-VALUE}).")
    String reason;

    @Option(names = "--as", paramLabel = "NAME", description = "The admin identity of the wallet to act as"
            + " (default: the wallet's default).")
    String as;

    @Mixin
    MembershipOptions membership;

    @Override
    protected void run() {
        if ((id == null) == (serial == null)) {
            throw CliException.usage("give either an enrollment ID or --serial HEX (exactly one)");
        }
        if (serial != null && !HEX.matcher(serial).matches()) {
            throw CliException.usage("--serial must be a hexadecimal serial number, not '" + serial + "'");
        }
        Wallet wallet = wallet();
        WalletIdentity caller = Callers.resolve(wallet, as);
        Wallet.Connection connection = membership.resolve(wallet);
        MembershipAdmin.Revocation revocation;
        try (MembershipAdmin admin = new MembershipAdmin(connection.membershipUrl(), connection.consortiumRoot())) {
            revocation = id != null ? admin.revokeIdentity(caller.credential(), id, reason)
                    : admin.revokeCertificate(caller.credential(), serial.toLowerCase(), reason);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", revocation.id());
        json.put("revokedSerials", revocation.revokedSerials());
        json.put("crlVersion", revocation.crlVersion());
        output().result(json, "Revoked " + (id != null ? "'" + revocation.id() + "'" : "certificate " + serial) + ": "
                + revocation.revokedSerials().size() + " certificate(s) " + revocation.revokedSerials()
                + ", CRL version " + revocation.crlVersion());
    }
}
