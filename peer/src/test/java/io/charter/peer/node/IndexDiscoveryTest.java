package io.charter.peer.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.membership.MembershipClient;
import io.charter.common.membership.NodeRequests;
import io.charter.peer.delivery.Endpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery through the index, and the last known neighbours while the index is down (across restarts). */
class IndexDiscoveryTest {

    @TempDir
    Path dir;

    private final AtomicBoolean indexDown = new AtomicBoolean();

    private final IndexDiscovery.Index index = new IndexDiscovery.Index() {
        @Override
        public List<MembershipClient.Node> orderers(String channelId) {
            check();
            return List.of(node("orderer1", "OrdererOrg", "orderer1.example", 7050, Map.of("trade", 7L)),
                    node("orderer2", "OrdererOrg", "orderer2.example", 7050, Map.of("trade", 9L)));
        }

        @Override
        public Map<String, List<MembershipClient.Node>> peers(String channelId) {
            check();
            return Map.of("Org1", List.of(node("peer0", "Org1", "peer0.org1", 7060), node("peer1", "Org1", "peer1.org1", 7060)),
                    "Org2", List.of(node("peer0", "Org2", "peer0.org2", 7060)));
        }

        private void check() {
            if (indexDown.get()) {
                throw new io.charter.common.membership.MembershipException("UNAVAILABLE", 503, "the index is down");
            }
        }
    };

    private static MembershipClient.Node node(String id, String mspId, String host, int port) {
        return node(id, mspId, host, port, Map.of());
    }

    private static MembershipClient.Node node(String id, String mspId, String host, int port, Map<String, Long> heights) {
        return new MembershipClient.Node(id, mspId, "peer", List.of(new NodeRequests.Endpoint(host, port)), heights, false,
                null, null, "UP");
    }

    @Test
    void theIndexGivesTheChannelsOrderersAndTheOtherPeersOfTheOrganization() {
        Neighbours found = new IndexDiscovery(index, "Org1", "peer1", dir).discover("trade");

        assertThat(found.source()).isEqualTo("index");
        assertThat(found.orderers()).containsExactly(new Endpoint("orderer1", "orderer1.example", 7050),
                new Endpoint("orderer2", "orderer2.example", 7050));
        assertThat(found.organizationPeers()).containsExactly(new Endpoint("peer0", "peer0.org1", 7060));
    }

    @Test
    void theOtherOrganizationsPeersComeAlongForPrivateDataAndAreRememberedWhileTheIndexIsDown() {
        IndexDiscovery discovery = new IndexDiscovery(index, "Org1", "peer1", dir);
        Neighbours found = discovery.discover("trade");
        assertThat(found.otherOrganizations()).containsOnlyKeys("Org2");
        assertThat(found.otherOrganizations().get("Org2")).containsExactly(new Endpoint("peer0", "peer0.org2", 7060));

        indexDown.set(true);
        Neighbours known = new IndexDiscovery(index, "Org1", "peer1", dir).discover("trade");
        assertThat(known.source()).isEqualTo("last known");
        assertThat(known.otherOrganizations()).isEqualTo(found.otherOrganizations());
        assertThat(known.organizationPeers()).isEqualTo(found.organizationPeers());
    }

    @Test
    void aRefreshWhileTheIndexIsDownGivesNothingAndKeepsTheOrderersHeight() {
        IndexDiscovery discovery = new IndexDiscovery(index, "Org1", "peer1", dir);
        assertThat(discovery.ordererHeight("trade")).isEmpty();
        assertThat(discovery.fromIndex("trade")).isPresent();
        assertThat(discovery.ordererHeight("trade")).contains(9L);
        indexDown.set(true);

        assertThat(discovery.fromIndex("trade")).isEmpty();
        assertThat(discovery.fromIndex("trade")).isEmpty();

        assertThat(discovery.ordererHeight("trade")).contains(9L);
        assertThat(discovery.lastKnown("trade").orderers()).hasSize(2);
    }

    @Test
    void whileTheIndexIsDownTheLastKnownNeighboursAreUsedEvenAfterARestart() {
        new IndexDiscovery(index, "Org1", "peer1", dir).discover("trade");
        indexDown.set(true);

        Neighbours known = new IndexDiscovery(index, "Org1", "peer1", dir).discover("trade");

        assertThat(known.source()).isEqualTo("last known");
        assertThat(known.orderers()).containsExactly(new Endpoint("orderer1", "orderer1.example", 7050),
                new Endpoint("orderer2", "orderer2.example", 7050));
        assertThat(known.organizationPeers()).containsExactly(new Endpoint("peer0", "peer0.org1", 7060));
        assertThat(new IndexDiscovery(index, "Org1", "peer1", dir).discover("other").orderers()).isEmpty();
    }
}
