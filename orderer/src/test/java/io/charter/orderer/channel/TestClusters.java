package io.charter.orderer.channel;

import io.charter.common.testing.TestPki;
import io.charter.orderer.blockstore.BlockStoreOptions;
import io.charter.orderer.consensus.RaftSettings;
import io.charter.orderer.testing.OrdererCluster;
import io.charter.protocol.Envelope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The channel tests' clusters: Raft cores without the transport, with log and block store segments small enough
 * that snapshots and segment rolls happen within a test, and an 8 s commit timeout.
 */
final class TestClusters {

    static final String CHANNEL = "test-channel";

    private TestClusters() {}

    static OrdererCluster cores(Path dir, int size, boolean raftTls) {
        return cores(dir, size, raftTls, UnaryOperator.identity());
    }

    static OrdererCluster cores(Path dir, int size, boolean raftTls, UnaryOperator<OrdererCluster.Settings> change) {
        OrdererCluster.Settings settings = OrdererCluster.Settings.defaults()
                .withRaft(new RaftSettings(Duration.ofMillis(300), Duration.ofMillis(600), Duration.ofSeconds(3), 1_000_000,
                        32 * 1024, 4))
                .withRaftTls(raftTls)
                .withBlockStore(new BlockStoreOptions(64 * 1024, true))
                .withChannel(new ChannelSettings(Duration.ofSeconds(8), 100_000));
        return new OrdererCluster(TestPki.create(OrdererCluster.ORDERER_ORG, "ClientOrg"), dir, size, CHANNEL,
                List.of("ClientOrg"), change.apply(settings));
    }

    static String txId(Envelope envelope) {
        return TxIds.of(envelope.toByteString());
    }
}
