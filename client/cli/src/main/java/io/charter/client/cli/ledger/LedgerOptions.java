package io.charter.client.cli.ledger;

import io.charter.client.cli.CliException;
import io.charter.client.cli.identity.Callers;
import io.charter.client.cli.network.NetworkLayout;
import io.charter.client.sdk.Gateway;
import io.charter.client.sdk.Identity;
import io.charter.client.sdk.NodeEndpoint;
import io.charter.client.wallet.TlsCredential;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.membership.MembershipClient;
import io.charter.common.membership.NodeRequests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * What the transaction commands share: the channel, the wallet identity to act as, and optionally one
 * peer to ask. Peers and orderers are found through the membership service's index (discovery).
 */
public final class LedgerOptions {

    @Option(names = {"-C", "--channel"}, paramLabel = "CHANNEL", defaultValue = NetworkLayout.CHANNEL,
            description = "The channel (default: ${DEFAULT-VALUE}).")
    String channel;

    @Option(names = "--as", paramLabel = "NAME", description = "The wallet identity to act as (default: the wallet's"
            + " default).")
    String as;

    @Option(names = "--peer", paramLabel = "PEER", description = "Ask this peer instead of one of the identity's"
            + " organization: its node id in the index (e.g. peer0.org2) or HOST:PORT of its transport (e.g."
            + " 127.0.0.1:7070), which needs no index: queries, blocks, transactions and events then work while the"
            + " membership service is down.")
    String peer;

    @Option(names = "--orderer", paramLabel = "ORDERER", description = "Send to this orderer instead of those the"
            + " index lists: its node id (e.g. orderer2) or HOST:PORT of its transport (e.g. 127.0.0.1:7050).")
    String orderer;

    /** A connected gateway and the membership client behind its discovery; close both. */
    public record Connection(Gateway gateway, MembershipClient membership, WalletIdentity identity) implements AutoCloseable {
        @Override
        public void close() {
            gateway.close();
            membership.close();
        }
    }

    Connection connect(Wallet wallet) {
        WalletIdentity caller = Callers.resolve(wallet, as);
        if (caller.tls().isEmpty()) {
            throw CliException.usage("the identity '" + caller.name() + "' has no TLS certificate, which nodes require:"
                    + " enroll it again without --no-tls");
        }
        Wallet.Connection connection = wallet.connection().orElseThrow(() -> CliException.usage("the wallet "
                + wallet.folder() + " knows no membership service: enroll with --url and --root-cert, or start the"
                + " local network with 'charter up'"));
        TlsCredential tls = caller.tls().get();
        Identity identity = Identity.of(caller.signingChain(), caller.privateKey(), tls.fullChain(), tls.privateKey());
        MembershipClient membership = new MembershipClient(connection.membershipUrl(), connection.consortiumRoot());
        try {
            Gateway.Builder builder = Gateway.builder(identity).trustRoots(List.of(connection.consortiumRoot()))
                    .membership(membership);
            if (peer != null) {
                builder.peers(List.of(AdminOptions.isHostPort(peer) ? byAddress(peer) : findPeer(membership, caller)));
            }
            if (orderer != null) {
                builder.orderers(List.of(AdminOptions.isHostPort(orderer) ? byAddress(orderer)
                        : findOrderer(membership, caller)));
            }
            return new Connection(builder.connect(), membership, caller);
        } catch (RuntimeException e) {
            membership.close();
            throw e;
        }
    }

    private NodeEndpoint findPeer(MembershipClient membership, WalletIdentity caller) {
        Map<String, List<MembershipClient.Node>> peers = membership.peers(channel, caller.credential());
        List<String> known = new ArrayList<>();
        for (List<MembershipClient.Node> nodes : peers.values()) {
            for (MembershipClient.Node node : nodes) {
                known.add(node.nodeId());
                if (node.nodeId().equals(peer) && !node.endpoints().isEmpty()) {
                    NodeRequests.Endpoint endpoint = node.endpoints().getFirst();
                    return new NodeEndpoint(node.nodeId(), node.mspId(), endpoint.host(), endpoint.port());
                }
            }
        }
        throw CliException.notFound("no peer '" + peer + "' is up on channel " + channel
                + (known.isEmpty() ? " (no peer is: is the network up? 'charter status')" : " (up: " + String.join(", ", known) + ")"));
    }

    /**
     * A node given as HOST:PORT, asked without the index. Its organization is not known beforehand; the
     * transport still checks that its certificate is a node's of the consortium.
     */
    private static NodeEndpoint byAddress(String address) {
        int colon = address.lastIndexOf(':');
        int port = Integer.parseInt(address.substring(colon + 1));
        if (port < 1 || port > 65_535) {
            throw CliException.usage("'" + address + "' has no port between 1 and 65535");
        }
        return new NodeEndpoint(address, "", address.substring(0, colon).replaceAll("^\\[|\\]$", ""), port);
    }

    private NodeEndpoint findOrderer(MembershipClient membership, WalletIdentity caller) {
        List<String> known = new ArrayList<>();
        for (MembershipClient.Node node : membership.orderers(channel, caller.credential())) {
            known.add(node.nodeId());
            if (node.nodeId().equals(orderer) && !node.endpoints().isEmpty()) {
                NodeRequests.Endpoint endpoint = node.endpoints().getFirst();
                return new NodeEndpoint(node.nodeId(), node.mspId(), endpoint.host(), endpoint.port());
            }
        }
        throw CliException.notFound("no orderer '" + orderer + "' is up on channel " + channel + (known.isEmpty()
                ? " (no orderer is: is the network up? 'charter status')" : " (up: " + String.join(", ", known) + ")")
                + ", or give --orderer HOST:PORT");
    }

    String channel() {
        return channel;
    }
}
