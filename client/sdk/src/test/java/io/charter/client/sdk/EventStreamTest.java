package io.charter.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.ServerStreamHandler;
import io.charter.common.transport.TransportException;
import io.charter.protocol.Block;
import io.charter.protocol.BlockEventsRequest;
import io.charter.protocol.BlockHeader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Block event streams against scripted peers: failover to the next peer from the next block, and giving up. */
class EventStreamTest {

    private static final TestPki PKI = TestPki.create("Org1", "Org2");
    private static final Identity CLIENT = TestNetworkPki.identity(PKI, "Org1", "client", Role.CLIENT);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
    }

    /** A peer that streams the blocks from the requested start to {@code last}, then fails the stream (or holds it open). */
    private ScriptedNode peer(String name, String mspId, long last, boolean failAfter, List<Long> starts) {
        ServerStreamHandler handler = (call, request, sink) -> {
            long start;
            try {
                start = BlockEventsRequest.parseFrom(request).getStartNumber();
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
            starts.add(start);
            for (long n = start; n <= last; n++) {
                Block block = Block.newBuilder().setHeader(BlockHeader.newBuilder().setNumber(n)).build();
                sink.send(io.charter.protocol.BlockEvent.newBuilder().setBlockNumber(n).setBlock(block.toByteString())
                        .build().toByteString());
            }
            if (failAfter) {
                sink.fail(new TransportException(ErrorCode.UNAVAILABLE, "scripted failure"));
            }
        };
        ScriptedNode node = new ScriptedNode(PKI, name, mspId, Map.of(), Map.of(Network.BLOCK_EVENTS, handler));
        closeables.add(node);
        return node;
    }

    private Network network(List<NodeEndpoint> peers) {
        Gateway gateway = Gateway.builder(CLIENT).trustRoots(List.of(PKI.root().certificate())).peers(peers)
                .orderers(List.of(new NodeEndpoint("orderer1", "OrdererOrg", "127.0.0.1", 1))).connect();
        closeables.add(gateway);
        return gateway.network("trade");
    }

    @Test
    void whenAPeerFailsTheStreamContinuesOnTheNextPeerFromTheNextBlock() {
        List<Long> startsOnOwn = new CopyOnWriteArrayList<>();
        List<Long> startsOnOther = new CopyOnWriteArrayList<>();
        ScriptedNode own = peer("peer0.org1", "Org1", 6, true, startsOnOwn);
        ScriptedNode other = peer("peer0.org2", "Org2", 8, false, startsOnOther);
        Network network = network(List.of(other.endpoint(), own.endpoint()));

        List<Long> numbers = new ArrayList<>();
        try (EventStream<BlockEvent> stream = network.blockEvents(5)) {
            for (int i = 0; i < 4; i++) {
                numbers.add(stream.next(Duration.ofSeconds(20)).orElseThrow().blockNumber());
            }
            assertThat(stream.nextBlockNumber()).isEqualTo(9);
        }

        assertThat(numbers).containsExactly(5L, 6L, 7L, 8L);
        assertThat(startsOnOwn).as("the client's own organization first").containsExactly(5L);
        // the transport drops items not yet consumed when an error arrives: the next peer starts after the
        // last block actually received (5, 6 or 7)
        assertThat(startsOnOther).singleElement().satisfies(start -> assertThat(start).isBetween(5L, 7L));
    }

    @Test
    void whenNoPeerServesTheStreamItFailsSayingWhereToResume() {
        List<Long> starts = new CopyOnWriteArrayList<>();
        ScriptedNode only = peer("peer0.org1", "Org1", 3, true, starts);
        Network network = network(List.of(only.endpoint()));

        try (EventStream<BlockEvent> stream = network.blockEvents(3)) {
            assertThat(stream.next(Duration.ofSeconds(20))).hasValueSatisfying(e -> assertThat(e.blockNumber()).isEqualTo(3));
            assertThatThrownBy(() -> {
                while (true) {
                    stream.next(Duration.ofSeconds(20)).orElseThrow();
                }
            }).isInstanceOfSatisfying(SdkException.class, e -> {
                assertThat(e.step()).isEqualTo(Step.EVENTS);
                assertThat(e.code()).isEqualTo(SdkErrorCode.EVENT_STREAM_FAILED);
                assertThat(e.getMessage()).contains("peer0.org1");
            });
            assertThat(stream.nextBlockNumber()).isGreaterThanOrEqualTo(4);
        }
        assertThat(starts).hasSizeGreaterThan(1);
    }

    @Test
    void aClosedStreamSaysSo() {
        ScriptedNode only = peer("peer0.org1", "Org1", -1, false, new CopyOnWriteArrayList<>());
        Network network = network(List.of(only.endpoint()));
        EventStream<BlockEvent> stream = network.blockEvents(0);

        assertThat(stream.next(Duration.ofMillis(100))).isEmpty();
        stream.close();

        assertThatThrownBy(() -> stream.next(Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(SdkException.class, e -> assertThat(e.code()).isEqualTo(SdkErrorCode.CANCELLED));
    }

    @Test
    void aNegativeStartIsRefused() {
        ScriptedNode only = peer("peer0.org1", "Org1", -1, false, new CopyOnWriteArrayList<>());
        Network network = network(List.of(only.endpoint()));

        assertThatThrownBy(() -> network.blockEvents(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
