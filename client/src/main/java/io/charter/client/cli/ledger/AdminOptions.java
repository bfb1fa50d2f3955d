package io.charter.client.cli.ledger;

import io.charter.client.cli.CliException;
import io.charter.client.cli.identity.Callers;
import io.charter.client.wallet.Wallet;
import io.charter.common.pki.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import picocli.CommandLine.Option;

/** What the commands on a peer's admin REST API share: the peer's URL, the identity, the TLS root to trust. */
public final class AdminOptions {

    @Option(names = "--peer", paramLabel = "URL", description = "The peer's admin API, e.g. https://localhost:9445 (its"
            + " server.port). The local network ('charter up') has none.")
    String peer;

    @Option(names = "--as", paramLabel = "NAME", description = "The wallet identity to act as: an admin of the peer's"
            + " organization (default: the wallet's default).")
    String as;

    @Option(names = "--tls-root", paramLabel = "PEM", description = "The CA certificate the peer's TLS certificate"
            + " chains to (default: the wallet's consortium root).")
    Path tlsRoot;

    PeerAdminClient connect(Wallet wallet) throws IOException {
        if (peer == null) {
            throw CliException.usage("give --peer https://HOST:PORT, a peer's admin API: the local network of 'charter up'"
                    + " runs its peers without one (it installs the sample contract and joins its channel itself)");
        }
        URI url;
        try {
            url = new URI(peer);
        } catch (URISyntaxException e) {
            throw CliException.usage("--peer is not a URL: " + e.getMessage());
        }
        if (!"https".equals(url.getScheme()) || url.getHost() == null) {
            throw CliException.usage("--peer is the peer's admin API as https://HOST:PORT (e.g. https://localhost:9445),"
                    + " not " + peer);
        }
        var caller = Callers.resolve(wallet, as);
        X509Certificate root;
        if (tlsRoot != null) {
            try {
                root = Pem.decodeCertificate(Files.readString(tlsRoot));
            } catch (RuntimeException e) {
                throw CliException.usage(tlsRoot + " is not a PEM certificate: " + e.getMessage());
            }
        } else {
            root = wallet.connection().orElseThrow(() -> CliException.usage("the wallet " + wallet.folder()
                    + " knows no consortium root: give --tls-root")).consortiumRoot();
        }
        return new PeerAdminClient(url, caller, root);
    }
}
