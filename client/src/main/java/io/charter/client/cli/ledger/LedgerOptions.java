package io.charter.client.cli.ledger;

import io.charter.client.cli.CliException;
import io.charter.client.cli.identity.Callers;
import io.charter.client.network.NetworkLayout;
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

    @Option(names = "--peer", paramLabel = "NAME", description = "Ask this peer (e.g. peer0.org2) instead of one of"
            + " the identity's organization.")
    String peer;

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
                builder.peers(List.of(findPeer(membership, caller)));
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

    String channel() {
        return channel;
    }
}
