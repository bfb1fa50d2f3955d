package io.charter.client.cli.ledger;

import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import io.charter.client.cli.identity.Callers;
import io.charter.client.sdk.Identity;
import io.charter.client.sdk.OrdererAdmin;
import io.charter.client.sdk.PeerAdmin;
import io.charter.client.wallet.MembershipAdmin;
import io.charter.client.wallet.TlsCredential;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.pki.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * What the peer administration commands share: the peer (its transport address, or its node id found through
 * the index), the identity (an admin of the peer's organization) and the TLS root to trust. Peers are
 * administered over their transport with signed requests ({@link PeerAdmin}); orderers over theirs too
 * ({@link OrdererAdmin}, option {@code --orderer}) or through their channel participation REST API.
 */
public final class AdminOptions {

    private static final Pattern HOST_PORT = Pattern.compile("^(\\[[^\\]]+\\]|[^:/\\s]+):(\\d{1,5})$");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--peer", paramLabel = "PEER", description = "The peer: HOST:PORT of its transport (e.g."
            + " localhost:7070, the peers' ports that 'charter status' lists) or its node id in the index (e.g."
            + " peer0.org1).")
    String peer;

    @Option(names = "--as", paramLabel = "NAME", description = "The wallet identity to act as: an admin of the peer's"
            + " organization (default: the wallet's default).")
    String as;

    @Option(names = "--tls-root", paramLabel = "PEM", description = "The CA certificate the node's TLS certificate"
            + " chains to (default: the wallet's consortium root).")
    Path tlsRoot;

    /** Whether {@code node} is given as HOST:PORT (a host name, IPv4 or [IPv6] address, and a port) rather than a node id. */
    static boolean isHostPort(String node) {
        return HOST_PORT.matcher(node).matches();
    }

    /** The peer named by {@code --peer}, to be administered over its transport; close it. */
    PeerAdmin connectPeer(Wallet wallet) throws IOException {
        if (peer == null) {
            throw CliException.usage("give --peer HOST:PORT (the peer's transport) or --peer NODE-ID (e.g. peer0.org1)");
        }
        if (peer.startsWith("https://") || peer.startsWith("http://")) {
            throw CliException.usage("--peer is the peer's transport HOST:PORT or node id, not a URL (peers are"
                    + " administered over their transport): e.g. --peer localhost:7070 or --peer peer0.org1");
        }
        Target target = target(wallet, "peer", "--peer", peer);
        return PeerAdmin.connect(target.identity(), List.of(target.root()), target.host(), target.port(), TIMEOUT);
    }

    /**
     * The orderer named by {@code orderer} (option {@code --orderer}: HOST:PORT of its transport or its node id in
     * the index), to be administered over its transport; close it.
     */
    OrdererAdmin connectOrdererTransport(Wallet wallet, String orderer) throws IOException {
        if (orderer.startsWith("https://") || orderer.startsWith("http://")) {
            throw CliException.usage("--orderer is the orderer's transport HOST:PORT or node id, not a URL (for the"
                    + " channel participation REST API give --orderer-admin URL): e.g. --orderer localhost:7050 or"
                    + " --orderer orderer1");
        }
        Target target = target(wallet, "orderer", "--orderer", orderer);
        return OrdererAdmin.connect(target.identity(), List.of(target.root()), target.host(), target.port(), TIMEOUT);
    }

    /** Where a node's transport is and who connects to it. */
    private record Target(Identity identity, X509Certificate root, String host, int port) {}

    private Target target(Wallet wallet, String role, String option, String node) throws IOException {
        WalletIdentity caller = Callers.resolve(wallet, as);
        TlsCredential tls = caller.tls().orElseThrow(() -> CliException.usage("the identity '" + caller.name()
                + "' has no TLS certificate, which " + role + "s require: enroll it again without --no-tls"));
        X509Certificate root = trustRoot(wallet);
        String address = address(wallet, caller, role, option, node);
        Matcher hostPort = HOST_PORT.matcher(address);
        if (!hostPort.matches() || Integer.parseInt(hostPort.group(2)) > 65_535) {
            throw CliException.usage("the index lists " + role + " " + node + " at '" + address + "', not HOST:PORT");
        }
        Identity identity = Identity.of(caller.signingChain(), caller.privateKey(), tls.fullChain(), tls.privateKey());
        String host = hostPort.group(1).replaceAll("^\\[|\\]$", "");
        return new Target(identity, root, host, Integer.parseInt(hostPort.group(2)));
    }

    /** A node as HOST:PORT: as given, or the node id's transport endpoint in the index. */
    private static String address(Wallet wallet, WalletIdentity caller, String role, String option, String node) {
        if (HOST_PORT.matcher(node).matches()) {
            return node;
        }
        Wallet.Connection connection = wallet.connection().orElseThrow(() -> CliException.usage("the wallet "
                + wallet.folder() + " knows no membership service to find " + role + " '" + node + "' in: give "
                + option + " HOST:PORT"));
        List<MembershipAdmin.IndexedNode> nodes;
        try (MembershipAdmin index = new MembershipAdmin(connection.membershipUrl(), connection.consortiumRoot())) {
            nodes = index.nodes(caller.credential());
        }
        List<String> known = new ArrayList<>();
        for (MembershipAdmin.IndexedNode indexed : nodes) {
            if (indexed.role().equals(role)) {
                known.add(indexed.nodeId());
                if (indexed.nodeId().equals(node) && !indexed.address().isEmpty()) {
                    return indexed.address();
                }
            }
        }
        throw CliException.notFound("the index knows no " + role + " '" + node + "'" + (known.isEmpty() ? " (it knows no "
                + role + ": is the network up? 'charter status')" : " (" + role + "s: " + String.join(", ", known) + ")")
                + ", or give " + option + " HOST:PORT");
    }

    /** A refusal or failure of the orderer as the CLI's exit codes, each with what to do. */
    static CliException translate(OrdererAdmin.OrdererAdminException e) {
        String message = "the orderer refused: " + e.getMessage();
        return switch (e.refusal()) {
            // the orderer's access rules (docs/security.md), e.g. a join by another organization's admin
            case NOT_ADMIN, NOT_ORDERER_ADMIN, ORGANIZATION_NOT_IN_CHANNEL, CREATOR_MISMATCH, BAD_SIGNATURE,
                    STALE_REQUEST, REPLAYED_REQUEST -> new CliException(ExitCodes.REFUSED, e.code(), message, e);
            case NOT_A_GENESIS_BLOCK, NOT_A_CONSENTER, TOO_LARGE, MALFORMED_REQUEST, INVALID_LOG_SPEC ->
                    new CliException(ExitCodes.USAGE, e.code(), message, e);
            case ALREADY_JOINED -> new CliException(ExitCodes.CONFLICT, e.code(), message, e);
            case NOT_JOINED -> new CliException(ExitCodes.NOT_FOUND, e.code(), message, e);
            case ORDERER_ADMIN_REFUSAL_UNSPECIFIED, UNRECOGNIZED -> switch (e.code()) {
                // PERMISSION_DENIED: the orderer's transport access table, before the request is read
                case "PERMISSION_DENIED" -> new CliException(ExitCodes.REFUSED, e.code(), message, e);
                case "ORDERER_UNAVAILABLE", "TIMEOUT" -> CliException.unreachable(e.getMessage() + ": check --orderer"
                        + " and that the orderer is up ('charter status' or 'charter nodes'), and --tls-root", e);
                default -> new CliException(ExitCodes.FAILED, e.code(), e.getMessage(), e);
            };
            case CLIENT_CERTIFICATE_REQUIRED, JOIN_FAILED, LEAVE_FAILED, LOG_LEVELS_UNAVAILABLE ->
                    new CliException(ExitCodes.FAILED, e.code(), e.getMessage(), e);
        };
    }

    /** A refusal or failure of the peer as the CLI's exit codes, each with what to do. */
    static CliException translate(PeerAdmin.PeerAdminException e) {
        String message = "the peer refused: " + e.getMessage();
        return switch (e.refusal()) {
            // the peer's messages say what to do (e.g. "act as an admin of Org1MSP")
            case NOT_ADMIN, OTHER_ORGANIZATION, CREATOR_MISMATCH, BAD_SIGNATURE, STALE_REQUEST, REPLAYED_REQUEST,
                    CLIENT_CERTIFICATE_REQUIRED -> new CliException(ExitCodes.REFUSED, e.code(), message, e);
            case INVALID_CONTRACT_PACKAGE, NOT_A_GENESIS_BLOCK, ORGANIZATION_NOT_IN_CHANNEL, TOO_LARGE, MALFORMED_REQUEST,
                    INVALID_LOG_SPEC -> new CliException(ExitCodes.USAGE, e.code(), message, e);
            case ALREADY_JOINED, SNAPSHOT_EXISTS, SNAPSHOT_IN_PROGRESS -> new CliException(ExitCodes.CONFLICT, e.code(),
                    message, e);
            case NOT_JOINED -> new CliException(ExitCodes.NOT_FOUND, e.code(), message, e);
            case NO_ORDERERS, JOIN_UNAVAILABLE, SNAPSHOT_FAILED, SNAPSHOT_INVALID, SNAPSHOTS_UNAVAILABLE ->
                    new CliException(ExitCodes.FAILED, e.code(), message, e);
            case PEER_ADMIN_REFUSAL_UNSPECIFIED, UNRECOGNIZED -> switch (e.code()) {
                // PERMISSION_DENIED: the peer's transport access table, before the request is read
                case "PERMISSION_DENIED" -> new CliException(ExitCodes.REFUSED, e.code(), message, e);
                case "PEER_UNAVAILABLE", "TIMEOUT" -> CliException.unreachable(e.getMessage() + ": check --peer and that"
                        + " the peer is up ('charter status' or 'charter nodes'), and --tls-root", e);
                default -> new CliException(ExitCodes.FAILED, e.code(), e.getMessage(), e);
            };
            case LOG_LEVELS_UNAVAILABLE -> new CliException(ExitCodes.FAILED, e.code(), e.getMessage(), e);
        };
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
            throw CliException.usage(option + " is the node's admin API as https://HOST:PORT (e.g. https://localhost:9443),"
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
