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
        return new PeerAdminClient(url("--peer", peer), Callers.resolve(wallet, as), trustRoot(wallet));
    }

    /** An orderer's channel participation API at {@code ordererUrl} (option {@code --orderer-admin}), same identity. */
    PeerAdminClient connectOrderer(Wallet wallet, String ordererUrl) throws IOException {
        return PeerAdminClient.orderer(url("--orderer-admin", ordererUrl), Callers.resolve(wallet, as), trustRoot(wallet));
    }

    private static URI url(String option, String value) {
        URI url;
        try {
            url = new URI(value);
        } catch (URISyntaxException e) {
            throw CliException.usage(option + " is not a URL: " + e.getMessage());
        }
        if (!"https".equals(url.getScheme()) || url.getHost() == null) {
            throw CliException.usage(option + " is the node's admin API as https://HOST:PORT (e.g. https://localhost:9445),"
                    + " not " + value);
        }
        return url;
    }

    private X509Certificate trustRoot(Wallet wallet) throws IOException {
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
        return root;
    }
}
