package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.identity.Callers;
import io.charter.client.cli.network.NetworkLayout;
import io.charter.client.wallet.MembershipAdmin;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code charter nodes}: the membership service's index: who is up, role, organization, height, leader. */
@Command(name = "nodes", description = {"List the nodes the membership service's index knows: role, organization,"
        + " address, state (UP/DOWN), height on the channel, and which peer leads each organization.",
        "With -o dot, the same as a Graphviz graph of the channel's topology:  charter nodes -o dot | dot -Tsvg > map.svg"})
public final class NodesCommand extends CharterSubcommand {

    @Option(names = {"-C", "--channel"}, paramLabel = "CHANNEL", defaultValue = NetworkLayout.CHANNEL,
            description = "The channel whose heights and leaders to show (default: ${DEFAULT-VALUE}).")
    String channel;

    @Option(names = "--as", paramLabel = "NAME", description = "The wallet identity to act as (default: the wallet's default).")
    String as;

    @Override
    protected void run() {
        Wallet wallet = wallet();
        WalletIdentity caller = Callers.resolve(wallet, as);
        Wallet.Connection connection = wallet.connection().orElseThrow(() -> io.charter.client.cli.CliException.usage(
                "the wallet " + wallet.folder() + " knows no membership service: start the local network with 'charter up'"));
        List<MembershipAdmin.IndexedNode> nodes;
        Map<String, String> leaders = new TreeMap<>();
        try (MembershipAdmin admin = new MembershipAdmin(connection.membershipUrl(), connection.consortiumRoot())) {
            nodes = new ArrayList<>(admin.nodes(caller.credential()));
            nodes.sort(Comparator.comparing(MembershipAdmin.IndexedNode::role).thenComparing(MembershipAdmin.IndexedNode::nodeId));
            for (String mspId : new TreeSet<>(nodes.stream().filter(n -> n.role().equals("peer"))
                    .map(MembershipAdmin.IndexedNode::mspId).toList())) {
                Optional<String> leader = admin.leader(caller.credential(), channel, mspId);
                leader.ifPresent(l -> leaders.put(mspId, l));
            }
        }
        List<Map<String, Object>> json = new ArrayList<>();
        StringBuilder text = new StringBuilder(String.format("%-12s %-8s %-11s %-16s %-5s %7s  %s%n", "NODE", "ROLE",
                "MSP", "ADDRESS", "STATE", "HEIGHT", "LEADER"));
        for (MembershipAdmin.IndexedNode node : nodes) {
            boolean leader = node.nodeId().equals(leaders.get(node.mspId()));
            Long height = node.channelHeights().get(channel);
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("nodeId", node.nodeId());
            view.put("role", node.role());
            view.put("mspId", node.mspId());
            view.put("address", node.address());
            view.put("state", node.state());
            view.put("height", height);
            view.put("leader", leader);
            view.put("anchor", node.anchor());
            json.add(view);
            text.append(String.format("%-12s %-8s %-11s %-16s %-5s %7s  %s%n", node.nodeId(), node.role(), node.mspId(),
                    node.address(), node.state(), height == null ? "-" : height, leader ? "leader" : ""));
        }
        if (nodes.isEmpty()) {
            text.append("(the index knows no node yet)\n");
        }
        output().result(json, text.toString(), NodeGraph.dot(channel, nodes, leaders));
    }

    @Override
    protected boolean drawsGraphs() {
        return true;
    }
}
