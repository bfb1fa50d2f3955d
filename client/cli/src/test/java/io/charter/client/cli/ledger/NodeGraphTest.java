package io.charter.client.cli.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.client.wallet.MembershipAdmin.IndexedNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `charter nodes -o dot`: the channel's topology as Graphviz draws it. */
class NodeGraphTest {

    private static IndexedNode node(String id, String msp, String role, String state, Long height) {
        return new IndexedNode(id, msp, role, "127.0.0.1:" + (7000 + id.length()),
                height == null ? Map.of() : Map.of("mychannel", height), false, state, "2026-12-07T15:00:00Z");
    }

    @Test
    void organizationsAreClustersAndBlocksFlowFromTheOrderersThroughEachLeader() {
        List<IndexedNode> nodes = List.of(node("orderer1", "OrdererMSP", "orderer", "UP", 12L),
                node("orderer2", "OrdererMSP", "orderer", "UP", 12L), node("peer0", "Org1MSP", "peer", "UP", 12L),
                node("peer1", "Org1MSP", "peer", "DOWN", 9L), node("peer0", "Org2MSP", "peer", "UP", null));

        String dot = NodeGraph.dot("mychannel", nodes, Map.of("Org1MSP", "peer0"));

        assertThat(dot).startsWith("digraph \"charter mychannel\" {\n").endsWith("}\n");
        assertThat(dot).contains("label=\"OrdererMSP\";", "label=\"Org1MSP\";", "label=\"Org2MSP\";");
        assertThat(dot).contains("\"Org1MSP/peer0\" [label=\"peer0\\npeer, leader\\n127.0.0.1:7005\\nheight 12, UP\", penwidth=2.5];");
        assertThat(dot).contains("\"Org1MSP/peer1\" [label=\"peer1\\npeer\\n127.0.0.1:7005\\nheight 9, DOWN\", style=\"rounded,dashed\"");
        assertThat(dot).contains("\"Org2MSP/peer0\" [label=\"peer0\\npeer\\n127.0.0.1:7005\\nheight -, UP\"];");
        assertThat(dot).contains("\"OrdererMSP/orderer1\" [label=\"orderer1\\norderer\\n127.0.0.1:7008\\nheight 12, UP\", shape=hexagon];");
        assertThat(dot).contains("\"OrdererMSP/orderer1\" -> \"Org1MSP/peer0\" [label=\"blocks\", style=dotted];",
                "\"OrdererMSP/orderer2\" -> \"Org1MSP/peer0\" [label=\"blocks\", style=dotted];",
                "\"Org1MSP/peer0\" -> \"Org1MSP/peer1\";");
        assertThat(dot).as("an organization without a leader gets no edge").doesNotContain("-> \"Org2MSP/peer0\"");
    }

    @Test
    void namesCannotBreakOutOfTheirQuotes() {
        assertThat(NodeGraph.quote("a\"b\\c\nd\re\u0007f")).isEqualTo("\"a\\\"b\\\\c\\nde f\"");
        String dot = NodeGraph.dot("ch\"]; x [", List.of(node("p\"; evil", "Org\\1", "peer", "UP", 1L)), Map.of());
        assertThat(dot).contains("digraph \"charter ch\\\"]; x [\" {").contains("\"Org\\\\1/p\\\"; evil\"");
    }
}
