package io.charter.client.cli.identity;

import io.charter.client.cli.CliException;
import io.charter.client.wallet.Wallet;
import io.charter.common.pki.Pem;
import io.charter.common.pki.PkiFormatException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the membership service is: {@code --url} and {@code --root-cert}, else what the wallet saved
 * (written by {@code charter up} and by the first {@code charter enroll --url ... --root-cert ...}).
 */
public final class MembershipOptions {

    @Option(names = "--url", paramLabel = "URL", description = "The membership service, e.g. https://localhost:7054"
            + " (default: the one saved in the wallet).")
    URI url;

    @Option(names = "--root-cert", paramLabel = "PEM", description = "The consortium root certificate to trust for"
            + " the membership service (default: the one saved in the wallet).")
    Path rootCertificate;

    /** Whether the options name a service (and enroll should save it in the wallet). */
    boolean given() {
        return url != null || rootCertificate != null;
    }

    Wallet.Connection resolve(Wallet wallet) {
        Optional<Wallet.Connection> saved = wallet.connection();
        if (url != null && !"https".equalsIgnoreCase(url.getScheme())) {
            throw CliException.usage("--url must be an https:// address of the membership service, not " + url);
        }
        if (url != null && url.getHost() == null) {
            throw CliException.usage("--url has no host: " + url + " (e.g. https://localhost:7054)");
        }
        X509Certificate root = rootCertificate != null ? readRoot(rootCertificate)
                : saved.map(Wallet.Connection::consortiumRoot).orElse(null);
        URI address = url != null ? url : saved.map(Wallet.Connection::membershipUrl).orElse(null);
        if (address == null || root == null) {
            throw CliException.usage("no membership service known to the wallet " + wallet.folder() + ": give --url and"
                    + " --root-cert, or start the local network with 'charter up'");
        }
        return new Wallet.Connection(address, root);
    }

    private static X509Certificate readRoot(Path file) {
        try {
            return Pem.decodeCertificate(Files.readString(file));
        } catch (IOException e) {
            throw CliException.usage("cannot read --root-cert " + file + ": " + e.getMessage());
        } catch (PkiFormatException | IllegalArgumentException e) {
            throw CliException.usage("--root-cert " + file + " is not a PEM certificate (" + e.getMessage() + ")");
        }
    }
}
