package io.charter.orderer.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.testing.Await;
import io.charter.orderer.testing.OrdererCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raft over gRPC with mutual TLS pins the consenters: an orderer whose TLS certificate chains to the
 * orderer organization's root but is not listed as a consenter of the channel cannot take part: every
 * member refuses its connections, and the channel goes on without it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RaftConsenterPinningTest {

    @TempDir
    Path dir;

    @Test
    void anOrdererWithAValidOrganizationTlsCertificateButNotAConsenterCannotTakePart() throws Exception {
        try (OrdererCluster cluster = TestClusters.cores(dir, 3, true)) {
            cluster.genesis(5, 64 * 1024, 256 * 1024, Duration.ofMillis(100));
            cluster.startNodes(3);
            int leader = cluster.awaitLeader();
            submit(cluster, leader, 5);

            // a fourth orderer of the same organization, TLS certificate from its TLS CA, not in the configuration;
            // it believes it is a member (joined with four consenters) and campaigns for votes
            OrdererCluster.Member outsider = cluster.addMember();
            OrderingNode node = cluster.startNode(outsider.index());
            node.join(cluster.genesis(), cluster.consenters(4));

            for (int i = 0; i < 3; i++) {
                OrderingNode member = cluster.node(i);
                Await.until("orderer " + i + " refusing the outsider's connections",
                        () -> member.raftConnectionsRefused() > 0, Duration.ofSeconds(60));
                assertThat(member.pinnedConsenters().clientCertificates())
                        .doesNotContain(outsider.consenter().getClientTlsCert())
                        .contains(cluster.members().get(i).consenter().getClientTlsCert());
            }
            submit(cluster, cluster.awaitLeader(), 5);
            assertThat(cluster.channel(outsider.index()).height()).as("the outsider received no block").isEqualTo(1);
            assertThat(node.pinnedConsenters().serverCertificates()).as("it pins the consenters it joined with")
                    .contains(cluster.members().get(0).consenter().getServerTlsCert());
        }
    }

    private static void submit(OrdererCluster cluster, int through, int count) throws Exception {
        List<CompletableFuture<SubmitResult>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(cluster.channel(through).submit(cluster.envelope(100)));
        }
        for (CompletableFuture<SubmitResult> result : results) {
            assertThat(result.get(60, TimeUnit.SECONDS).status()).isEqualTo(SubmitResult.Status.COMMITTED);
        }
    }
}
