package io.charter.orderer.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.orderer.blockcutter.CutCause;
import io.charter.orderer.consensus.RaftStatus;
import io.charter.orderer.testing.OrdererCluster;
import io.charter.protocol.Block;
import io.charter.protocol.Envelope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ThreeOrderersTest {

    @TempDir
    Path dir;

    @Test
    void cutsBlocksByCountBytesAndTimeoutAndAllOrderersStoreTheSameSignedChain() throws Exception {
        try (OrdererCluster cluster = TestClusters.cores(dir, 3, true)) {
            // count 5, preferred 8 KB, timeout 500 ms
            cluster.genesis(5, 8 * 1024, 64 * 1024, Duration.ofMillis(500));
            cluster.startNodes(3);
            int leader = cluster.awaitLeader();

            // by count: 10 small envelopes through a follower -> two full blocks
            int follower = (leader + 1) % 3;
            List<CompletableFuture<SubmitResult>> results = new ArrayList<>();
            List<Envelope> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Envelope envelope = cluster.envelope(100);
                sent.add(envelope);
                results.add(cluster.channel(follower).submit(envelope));
            }
            for (CompletableFuture<SubmitResult> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS).status()).isEqualTo(SubmitResult.Status.COMMITTED);
            }

            // by bytes: three 3 KB envelopes -> cut before the third (preferred 8 KB)
            results.clear();
            for (int i = 0; i < 3; i++) {
                results.add(cluster.channel(leader).submit(cluster.envelope(3 * 1024)));
            }
            // by timeout: the third one waits alone for 500 ms
            for (CompletableFuture<SubmitResult> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS).status()).isEqualTo(SubmitResult.Status.COMMITTED);
            }

            var cuts = cluster.channel(leader).blocksCut();
            assertThat(cuts.get(CutCause.COUNT)).isGreaterThanOrEqualTo(1);
            assertThat(cuts.get(CutCause.BYTES)).isGreaterThanOrEqualTo(1);
            assertThat(cuts.get(CutCause.TIMEOUT)).isGreaterThanOrEqualTo(1);

            cluster.assertIdenticalSignedChains();
            List<Block> chain = cluster.blocks(0);
            // the envelopes sent through the follower are all there, in the order sent
            List<String> ordered = chain.stream().flatMap(b -> b.getData().getEnvelopesList().stream())
                    .map(e -> TxIds.of(e)).toList();
            assertThat(ordered).containsSubsequence(sent.stream().map(TestClusters::txId).toList());
            assertThat(chain).anySatisfy(b -> assertThat(b.getData().getEnvelopesCount()).isEqualTo(5));

            // resubmitting an ordered envelope orders nothing new
            SubmitResult again = cluster.channel(follower).submit(sent.getFirst()).get(30, TimeUnit.SECONDS);
            assertThat(again.status()).isEqualTo(SubmitResult.Status.DUPLICATE_TXID);

            RaftStatus status = cluster.channel(leader).raftStatus();
            assertThat(status.role()).isEqualTo("LEADER");
            assertThat(status.members()).hasSize(3).allSatisfy(m -> assertThat(m.matchIndex()).isPositive());
            assertThat(cluster.channel(follower).raftStatus().leader()).isEqualTo(status.self());
        }
    }

    @Test
    void aLeaderHandsLeadershipOverBeforeItStopsAndOrderingGoesOn() throws Exception {
        try (OrdererCluster cluster = TestClusters.cores(dir, 3, false)) {
            cluster.genesis(5, 8 * 1024, 64 * 1024, Duration.ofMillis(100));
            cluster.startNodes(3);
            int first = cluster.awaitLeader();
            commitThrough(cluster, first, 10);

            // a follower has nothing to hand over
            int follower = (first + 1) % 3;
            assertThat(cluster.node(follower).handOverLeadership(Duration.ofSeconds(20))).isEmpty();

            // asked directly: the leader hands over and follows the new leader
            var handedOver = cluster.node(first).handOverLeadership(Duration.ofSeconds(20));
            assertThat(handedOver).containsKey(TestClusters.CHANNEL);
            String second = handedOver.get(TestClusters.CHANNEL);
            RaftStatus old = cluster.channel(first).raftStatus();
            assertThat(second).isNotEqualTo(old.self());
            assertThat(old.role()).isEqualTo("FOLLOWER");
            assertThat(old.leader()).isEqualTo(second);

            // stopping the new leader hands over again before the stop completes: someone already leads
            int secondIndex = cluster.awaitLeader();
            assertThat(cluster.channel(secondIndex).raftStatus().self()).isEqualTo(second);
            cluster.stop(secondIndex);
            assertThat(cluster.running()).allSatisfy(i -> assertThat(cluster.channel(i).raftStatus().leader())
                    .isNotEqualTo(second).isNotEmpty());
            assertThat(cluster.running()).anySatisfy(i -> assertThat(cluster.channel(i).raftStatus().role())
                    .isEqualTo("LEADER"));

            int third = cluster.awaitLeader();
            commitThrough(cluster, third, 10);
            int another = cluster.running().stream().filter(i -> i != third).findFirst().orElseThrow();
            commitThrough(cluster, another, 10);
            cluster.assertIdenticalSignedChains();
        }
    }

    private static void commitThrough(OrdererCluster cluster, int member, int count) throws Exception {
        List<CompletableFuture<SubmitResult>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(cluster.channel(member).submit(cluster.envelope(100)));
        }
        for (CompletableFuture<SubmitResult> result : results) {
            assertThat(result.get(30, TimeUnit.SECONDS).status()).isEqualTo(SubmitResult.Status.COMMITTED);
        }
    }
}
