package io.charter.orderer.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.testing.Await;
import io.charter.orderer.testing.OrdererCluster;
import io.charter.protocol.Block;
import io.charter.protocol.Envelope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SingleOrdererTest {

    @TempDir
    Path dir;

    @Test
    void refusesOversizedMalformedAndForeignEnvelopesWithDistinctStatuses() throws Exception {
        try (OrdererCluster cluster = TestClusters.cores(dir, 1, false)) {
            cluster.genesis(10, 4 * 1024, 8 * 1024, Duration.ofMillis(100));
            cluster.startNodes(1);
            cluster.awaitLeader();
            ChannelOrderer channel = cluster.channel(0);

            assertThat(channel.submit(cluster.envelope(9 * 1024)).get(10, TimeUnit.SECONDS).status())
                    .isEqualTo(SubmitResult.Status.TOO_LARGE);
            Envelope garbage = Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("not a payload")).build();
            assertThat(channel.submit(garbage).get(10, TimeUnit.SECONDS).status())
                    .isEqualTo(SubmitResult.Status.MALFORMED);
            long height = channel.height();

            Envelope good = cluster.envelope(100);
            SubmitResult committed = channel.submit(good).get(30, TimeUnit.SECONDS);
            assertThat(committed.status()).isEqualTo(SubmitResult.Status.COMMITTED);
            assertThat(committed.blockNumber()).isEqualTo(height);
            SubmitResult replay = channel.submit(good).get(10, TimeUnit.SECONDS);
            assertThat(replay.status()).isEqualTo(SubmitResult.Status.DUPLICATE_TXID);
            assertThat(replay.blockNumber()).isEqualTo(height);
            assertThat(channel.height()).isEqualTo(height + 1);
        }
    }

    @Test
    void theValidatorHookRejectsBeforeAnythingIsOrdered() throws Exception {
        EnvelopeValidator refusing = (channel, envelope) -> java.util.Optional.of(
                EnvelopeValidator.Rejection.of(SubmitResult.Status.REJECTED, "creator not allowed by Writers"));
        try (OrdererCluster cluster = TestClusters.cores(dir, 1, false, settings -> settings.withValidator(refusing))) {
            cluster.genesis(10, 4 * 1024, 8 * 1024, Duration.ofMillis(100));
            cluster.startNodes(1);
            cluster.awaitLeader();
            SubmitResult result = cluster.channel(0).submit(cluster.envelope(10)).get(10, TimeUnit.SECONDS);
            assertThat(result.status()).isEqualTo(SubmitResult.Status.REJECTED);
            assertThat(result.detail()).contains("Writers");
            assertThat(cluster.channel(0).height()).isEqualTo(1);
        }
    }

    @Test
    void deliverSendsStoredThenNewBlocksNoFasterThanRequested() throws Exception {
        try (OrdererCluster cluster = TestClusters.cores(dir, 1, false)) {
            cluster.genesis(1, 4 * 1024, 8 * 1024, Duration.ofMillis(100));
            cluster.startNodes(1);
            cluster.awaitLeader();
            ChannelOrderer channel = cluster.channel(0);
            for (int i = 0; i < 3; i++) {
                channel.submit(cluster.envelope(10)).get(30, TimeUnit.SECONDS);
            }
            List<Block> received = new CopyOnWriteArrayList<>();
            Flow.Subscription[] subscription = new Flow.Subscription[1];
            channel.deliver(1).subscribe(new Flow.Subscriber<>() {
                public void onSubscribe(Flow.Subscription s) {
                    subscription[0] = s;
                    s.request(2);
                }
                public void onNext(Block block) {
                    received.add(block);
                }
                public void onError(Throwable error) {}
                public void onComplete() {}
            });
            Await.until("two blocks", () -> received.size() == 2, Duration.ofSeconds(10));
            Thread.sleep(200);
            assertThat(received).hasSize(2); // no more than requested
            subscription[0].request(5);
            channel.submit(cluster.envelope(10)).get(30, TimeUnit.SECONDS); // block 4, after subscribing
            Await.until("four blocks", () -> received.size() == 4, Duration.ofSeconds(10));
            assertThat(received.stream().map(b -> b.getHeader().getNumber()).toList()).containsExactly(1L, 2L, 3L, 4L);
            subscription[0].cancel();
        }
    }

    @Test
    void anOrdererRestartsWithItsChannelsAndBlocks() throws Exception {
        try (OrdererCluster cluster = TestClusters.cores(dir, 1, false)) {
            cluster.genesis(10, 4 * 1024, 8 * 1024, Duration.ofMillis(100));
            cluster.startNodes(1);
            cluster.awaitLeader();
            cluster.channel(0).submit(cluster.envelope(10)).get(30, TimeUnit.SECONDS);
            List<Block> before = cluster.blocks(0);
            cluster.stop(0);
            OrderingNode node = cluster.startNode(0);
            assertThat(node.channels()).extracting(ChannelInfo::channelId).containsExactly(TestClusters.CHANNEL);
            cluster.awaitLeader();
            assertThat(cluster.blocks(0)).isEqualTo(before);
            assertThat(cluster.channel(0).submit(cluster.envelope(10)).get(30, TimeUnit.SECONDS).status())
                    .isEqualTo(SubmitResult.Status.COMMITTED);
            node.remove(TestClusters.CHANNEL);
            assertThat(node.channels()).isEmpty();
        }
    }
}
