package io.charter.orderer.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.orderer.testing.OrdererCluster;
import io.charter.protocol.Block;
import io.charter.protocol.Envelope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 4, unit = TimeUnit.MINUTES)
class OrdererFaultsTest {

    @TempDir
    Path dir;

    @Test
    void killingTheLeaderUnderLoadLosesNoAcknowledgedEnvelopeAndOrdersNoneTwice() throws Exception {
        try (OrdererCluster cluster = TestClusters.cores(dir, 3, false)) {
            cluster.genesis(20, 64 * 1024, 256 * 1024, Duration.ofMillis(100));
            cluster.startNodes(3);
            int leader = cluster.awaitLeader();

            List<Envelope> envelopes = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                envelopes.add(cluster.envelope(200));
            }
            Map<String, SubmitResult> acknowledged = new HashMap<>();
            List<CompletableFuture<SubmitResult>> inFlight = new ArrayList<>();
            for (int i = 0; i < envelopes.size(); i++) {
                if (i == 150) {
                    cluster.kill(leader); // kill the leader with envelopes in flight
                }
                int target = pickRunning(cluster, i);
                inFlight.add(cluster.channel(target).submit(envelopes.get(i)));
            }
            List<Envelope> unacknowledged = new ArrayList<>();
            for (int i = 0; i < envelopes.size(); i++) {
                SubmitResult result = inFlight.get(i).get(60, TimeUnit.SECONDS);
                if (result.status().ordered()) {
                    acknowledged.put(result.txId(), result);
                } else {
                    unacknowledged.add(envelopes.get(i));
                }
            }
            cluster.awaitLeader();
            cluster.startNode(leader); // the old leader comes back and catches up

            // Clients resubmit what was not acknowledged, all at once as real clients would, each round
            // through another orderer, until every envelope is acknowledged. Sequential resubmission
            // would make the test's duration depend on how fast the restarted orderer catches up.
            List<Envelope> pending = unacknowledged;
            for (int round = 0; round < 10 && !pending.isEmpty(); round++) {
                int target = round == 0 ? cluster.awaitLeader() : pickRunning(cluster, round);
                List<CompletableFuture<SubmitResult>> resubmitted = new ArrayList<>();
                for (Envelope envelope : pending) {
                    resubmitted.add(cluster.channel(target).submit(envelope));
                }
                List<Envelope> stillPending = new ArrayList<>();
                for (int i = 0; i < pending.size(); i++) {
                    SubmitResult result = resubmitted.get(i).get(60, TimeUnit.SECONDS);
                    if (result.status().ordered()) {
                        acknowledged.put(result.txId(), result);
                    } else {
                        stillPending.add(pending.get(i));
                    }
                }
                pending = stillPending;
            }
            assertThat(pending).as("envelopes never acknowledged after 10 rounds of resubmission")
                    .extracting(TestClusters::txId).isEmpty();

            cluster.awaitSameHeight();
            cluster.assertIdenticalSignedChains();
            List<Block> chain = cluster.blocks(0);
            Map<String, Long> occurrences = chain.stream()
                    .flatMap(b -> b.getData().getEnvelopesList().stream())
                    .map(TxIds::of)
                    .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            for (Envelope envelope : envelopes) {
                assertThat(occurrences.get(TestClusters.txId(envelope)))
                        .as("occurrences of %s", TestClusters.txId(envelope)).isEqualTo(1L);
            }
            assertThat(acknowledged).hasSize(envelopes.size());
        }
    }

    /**
     * Submissions through followers keep flowing across a leader change without any resubmission by
     * the client: the followers give up the batch in flight to the dead leader and send again what
     * it had taken but not committed. The commit timeout is far longer than the test waits, so an
     * envelope lost with the old leader and not sent again would show up as a missing answer.
     */
    @Test
    void envelopesSubmittedThroughFollowersAreAllOrderedOnceAcrossALeaderChange() throws Exception {
        try (OrdererCluster cluster = TestClusters.cores(dir, 3, false,
                settings -> settings.withChannel(new ChannelSettings(Duration.ofMinutes(10), 100_000)))) {
            cluster.genesis(20, 64 * 1024, 256 * 1024, Duration.ofMillis(100));
            cluster.startNodes(3);
            int leader = cluster.awaitLeader();
            List<Integer> followers = new ArrayList<>(List.of(0, 1, 2));
            followers.remove(Integer.valueOf(leader));

            List<Envelope> envelopes = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                envelopes.add(cluster.envelope(200));
            }
            List<CompletableFuture<SubmitResult>> results = new ArrayList<>();
            for (int i = 0; i < envelopes.size(); i++) {
                if (i == 200) {
                    cluster.kill(leader);
                }
                results.add(cluster.channel(followers.get(i % 2)).submit(envelopes.get(i)));
            }
            for (int i = 0; i < results.size(); i++) {
                SubmitResult result = results.get(i).get(3, TimeUnit.MINUTES);
                assertThat(result.status()).as("envelope %d: %s", i, result.detail()).isEqualTo(SubmitResult.Status.COMMITTED);
            }

            int newLeader = cluster.awaitLeader();
            assertThat(newLeader).isNotEqualTo(leader);
            cluster.assertIdenticalSignedChains();
            Map<String, Long> occurrences = cluster.blocks(newLeader).stream()
                    .flatMap(b -> b.getData().getEnvelopesList().stream())
                    .map(TxIds::of)
                    .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            for (int i = 0; i < envelopes.size(); i++) {
                assertThat(occurrences.get(TestClusters.txId(envelopes.get(i)))).as("occurrences of envelope %d", i)
                        .isEqualTo(1L);
            }
        }
    }

    @Test
    void aPartitionedOrdererCatchesUpWhenItComesBack() throws Exception {
        try (OrdererCluster cluster = TestClusters.cores(dir, 3, false)) {
            cluster.genesis(10, 64 * 1024, 256 * 1024, Duration.ofMillis(100));
            cluster.startNodes(3);
            int leader = cluster.awaitLeader();
            int partitioned = (leader + 1) % 3;
            submitAll(cluster, leader, 20);
            cluster.awaitHeight(3);

            cluster.kill(partitioned);
            long before = cluster.channel(leader).height();
            submitAll(cluster, cluster.awaitLeader(), 60);
            assertThat(cluster.channel(cluster.awaitLeader()).height()).isGreaterThan(before);

            cluster.startNode(partitioned);
            cluster.awaitSameHeight();
            cluster.assertIdenticalSignedChains();
        }
    }

    @Test
    void aNewOrdererCatchesUpFromASnapshotAfterTheLogWasPurged() throws Exception {
        try (OrdererCluster cluster = TestClusters.cores(dir, 3, false)) {
            cluster.genesis(5, 64 * 1024, 256 * 1024, Duration.ofMillis(100));
            cluster.startNodes(3);
            int leader = cluster.awaitLeader();
            // enough blocks of ~4 KB to fill several 32 KB Ratis log segments
            submitAll(cluster, leader, 100, 4000);
            for (int i = 0; i < 3; i++) {
                cluster.channel(i).takeSnapshot(Duration.ofSeconds(20));
            }
            // more entries so the segments holding the snapshot index close and can be purged
            submitAll(cluster, cluster.awaitLeader(), 40, 4000);
            for (int i = 0; i < 3; i++) {
                cluster.channel(i).takeSnapshot(Duration.ofSeconds(20));
            }
            leader = cluster.awaitLeader();
            long height = cluster.channel(leader).height();

            OrdererCluster.Member newcomer = cluster.addMember();
            OrderingNode node = cluster.startNode(newcomer.index());
            node.join(cluster.genesis(), cluster.consenters(4));
            cluster.channel(leader).setConsenters(cluster.consenters(4));

            cluster.awaitHeight(height);
            submitAll(cluster, cluster.awaitLeader(), 10, 100);
            cluster.awaitSameHeight();
            cluster.assertIdenticalSignedChains();
            assertThat(cluster.channel(newcomer.index()).raftStatus().members()).hasSize(4);
            // it did catch up by fetching (and verifying) blocks, which ends with installing a snapshot (it
            // takes none of its own here), and refused none of the genuine ones
            try (Stream<Path> files = Files.walk(cluster.root().resolve("orderer" + newcomer.index()).resolve("raft"))) {
                assertThat(files.map(file -> file.getFileName().toString())).anyMatch(name -> name.startsWith("snapshot."));
            }
            assertThat(cluster.channel(newcomer.index()).fetchedBlocksRefused().values()).allMatch(n -> n == 0);
        }
    }

    private static void submitAll(OrdererCluster cluster, int through, int count) throws Exception {
        submitAll(cluster, through, count, 200);
    }

    private static void submitAll(OrdererCluster cluster, int through, int count, int bytes) throws Exception {
        List<CompletableFuture<SubmitResult>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(cluster.channel(through).submit(cluster.envelope(bytes)));
        }
        for (CompletableFuture<SubmitResult> result : results) {
            assertThat(result.get(60, TimeUnit.SECONDS).status()).isEqualTo(SubmitResult.Status.COMMITTED);
        }
    }

    private static int pickRunning(OrdererCluster cluster, int i) {
        List<Integer> running = new ArrayList<>(cluster.running());
        return running.get(i % running.size());
    }
}
