package io.charter.client.cli.ledger;

import io.charter.client.wallet.MembershipAdmin.IndexedNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The index's nodes of one channel as a Graphviz graph ({@code charter nodes -o dot | dot -Tsvg}): one cluster per
 * organization, the hybrid P2P topology as edges (the orderers deliver blocks to each organization's leader, which
 * passes them to its organization's other peers), leaders drawn bold, DOWN nodes dashed and grey, each node labelled
 * with its address and its height on the channel.
 */
final class NodeGraph {

    private NodeGraph() {}

    /** @param leaders the leading peer's node id of each organization that has one */
    static String dot(String channel, List<IndexedNode> nodes, Map<String, String> leaders) {
        Map<String, List<IndexedNode>> byOrganization = new TreeMap<>();
        for (IndexedNode node : nodes) {
            byOrganization.computeIfAbsent(node.mspId(), m -> new ArrayList<>()).add(node);
        }
        StringBuilder dot = new StringBuilder();
        dot.append("digraph ").append(quote("charter " + channel)).append(" {\n");
        dot.append("  label=").append(quote("channel " + channel)).append(";\n");
        dot.append("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
        int cluster = 0;
        for (Map.Entry<String, List<IndexedNode>> organization : byOrganization.entrySet()) {
            dot.append("  subgraph cluster_").append(cluster++).append(" {\n");
            dot.append("    label=").append(quote(organization.getKey())).append(";\n");
            for (IndexedNode node : organization.getValue()) {
                boolean leader = node.nodeId().equals(leaders.get(node.mspId()));
                Long height = node.channelHeights().get(channel);
                String label = node.nodeId() + "\n" + node.role() + (leader ? ", leader" : "") + "\n" + node.address()
                        + "\nheight " + (height == null ? "-" : height) + ", " + node.state();
                dot.append("    ").append(id(node)).append(" [label=").append(quote(label));
                if (node.role().equals("orderer")) {
                    dot.append(", shape=hexagon");
                }
                if (leader) {
                    dot.append(", penwidth=2.5");
                }
                if (!node.state().equals("UP")) {
                    dot.append(", style=\"rounded,dashed\", color=grey50, fontcolor=grey50");
                }
                dot.append("];\n");
            }
            dot.append("  }\n");
        }
        List<IndexedNode> orderers = nodes.stream().filter(n -> n.role().equals("orderer")).toList();
        for (Map.Entry<String, List<IndexedNode>> organization : byOrganization.entrySet()) {
            Optional<IndexedNode> leader = organization.getValue().stream()
                    .filter(n -> n.nodeId().equals(leaders.get(n.mspId()))).findFirst();
            if (leader.isEmpty()) {
                continue;
            }
            for (IndexedNode orderer : orderers) {
                dot.append("  ").append(id(orderer)).append(" -> ").append(id(leader.get()))
                        .append(" [label=\"blocks\", style=dotted];\n");
            }
            for (IndexedNode peer : organization.getValue()) {
                if (peer.role().equals("peer") && peer != leader.get()) {
                    dot.append("  ").append(id(leader.get())).append(" -> ").append(id(peer)).append(";\n");
                }
            }
        }
        return dot.append("}\n").toString();
    }

    /** A node's graph id: its organization and node id, since node ids are unique within an organization only. */
    private static String id(IndexedNode node) {
        return quote(node.mspId() + "/" + node.nodeId());
    }

    /** A DOT quoted string: quotes and backslashes escaped, line breaks as DOT's centred line break. */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"', '\\' -> quoted.append('\\').append(c);
                case '\n' -> quoted.append("\\n");
                case '\r' -> { }
                default -> quoted.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return quoted.append('"').toString();
    }
}
