package io.charter.peer.dissemination;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RelayTreeTest {

    private static List<String> peers(int n) {
        return IntStream.range(0, n).mapToObj(i -> "peer" + i).toList();
    }

    /** Every id the tree reaches, with how many times, walking it as the peers do (each splitting its own subtree). */
    private static void walk(List<String> ids, int fanout, Map<String, Integer> reached) {
        for (RelayTree.Branch branch : RelayTree.split(ids, fanout)) {
            reached.merge(branch.head(), 1, Integer::sum);
            walk(branch.subtree(), fanout, reached);
        }
    }

    @Test
    void everyPeerIsReachedExactlyOnceForAnySizeAndFanout() {
        for (int n = 0; n <= 130; n++) {
            for (int fanout = 0; fanout <= 7; fanout++) {
                Map<String, Integer> reached = new HashMap<>();
                walk(peers(n), fanout, reached);
                assertThat(reached.keySet()).as("n=%d fanout=%d", n, fanout).containsExactlyInAnyOrderElementsOf(peers(n));
                assertThat(reached.values()).as("n=%d fanout=%d", n, fanout).allMatch(times -> times == 1);
            }
        }
    }

    @Test
    void theDepthGrowsAsTheLogarithmOfTheOrganizationForAFanoutOfTwoOrMore() {
        for (int n = 1; n <= 1000; n++) {
            for (int fanout = 2; fanout <= 6; fanout++) {
                // a full fanout-ary tree of depth d holds fanout + fanout^2 + ... + fanout^d peers
                int bound = 0;
                for (long held = 0, level = 1; held < n; bound++) {
                    level *= fanout;
                    held += level;
                }
                assertThat(RelayTree.depth(peers(n), fanout)).as("n=%d fanout=%d", n, fanout).isLessThanOrEqualTo(bound);
            }
        }
        assertThat(RelayTree.depth(peers(15), 2)).isEqualTo(4);
        assertThat(RelayTree.depth(peers(1000), 3)).isLessThanOrEqualTo(7);
    }

    @Test
    void aFanoutOfZeroIsALinearPushFromTheSenderToEveryPeer() {
        List<RelayTree.Branch> branches = RelayTree.split(peers(16), 0);
        assertThat(branches).hasSize(16).allMatch(branch -> branch.subtree().isEmpty());
        assertThat(RelayTree.depth(peers(16), 0)).isEqualTo(1);
    }

    @Test
    void partsDifferInSizeByAtMostOne() {
        List<RelayTree.Branch> branches = RelayTree.split(peers(10), 3);
        assertThat(branches).extracting(b -> b.subtree().size() + 1).containsExactly(4, 3, 3);
        assertThat(branches).extracting(RelayTree.Branch::head).containsExactly("peer0", "peer4", "peer7");
    }

    @Test
    void aReceiverFollowsOnlyPeersItKnowsNeitherItselfNorRepeatsAndNeverMoreThanItKnows() {
        Set<String> known = Set.of("peer1", "peer2", "peer3");
        List<String> requested = List.of("peer2", "evil:6666", "peer0", "peer2", "peer3", "peer1", "peer3");
        assertThat(RelayTree.sanitize(requested, known, "peer0")).containsExactly("peer2", "peer3", "peer1");
        assertThat(RelayTree.sanitize(List.of("x", "y"), known, "peer0")).isEmpty();
        assertThat(RelayTree.sanitize(List.of("peer1"), Set.of(), "peer0")).isEmpty();
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            many.add("peer" + (i % 4));
        }
        assertThat(RelayTree.sanitize(many, known, "peer0")).hasSize(3);
    }
}
