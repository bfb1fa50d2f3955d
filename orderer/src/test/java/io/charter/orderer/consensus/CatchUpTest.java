package io.charter.orderer.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.common.protocol.Blocks;
import io.charter.orderer.blockstore.BlockStore;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.ratis.protocol.RaftPeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 1, unit = TimeUnit.MINUTES)
class CatchUpTest {

    private static final RaftPeerId LEADER = RaftPeerId.valueOf("leader");
    private static final RaftPeerId OTHER = RaftPeerId.valueOf("other");
    private static final int TARGET = 12;

    @TempDir
    Path dir;

    private final List<Block> chain = chain(TARGET);
    private final Map<RaftPeerId, List<Block>> served = new HashMap<>();
    private final List<Block> appended = new ArrayList<>();
    private FetchedBlockVerifier verifier = block -> Optional.empty();
    private BlockStore store;

    @BeforeEach
    void openStore() throws IOException {
        store = BlockStore.open(dir.resolve("blocks"));
        store.append(chain.getFirst());
        store.append(chain.get(1));
    }

    @AfterEach
    void closeStore() throws IOException {
        store.close();
    }

    @Test
    void blocksThatPassEveryCheckAreAppendedUpToTheTarget() throws IOException {
        served.put(LEADER, chain);

        CatchUp catchUp = catchUp();
        catchUp.run(LEADER, TARGET);

        assertThat(store.height()).isEqualTo(TARGET);
        assertThat(appended).isEqualTo(chain.subList(2, TARGET));
        assertThat(catchUp.refusedCounts().values()).allMatch(count -> count == 0);
    }

    @Test
    void aBlockWhoseDataWasAlteredIsRefusedAndTheRestComesFromAnotherMember() throws IOException {
        served.put(LEADER, replace(chain, 5, b -> b.toBuilder()
                .setData(b.getData().toBuilder().addEnvelopes(ByteString.copyFromUtf8("forged"))).build()));
        served.put(OTHER, chain);

        CatchUp catchUp = catchUp();
        catchUp.run(LEADER, TARGET);

        assertThat(store.height()).isEqualTo(TARGET);
        for (long n = 0; n < TARGET; n++) {
            assertThat(store.get(n)).isEqualTo(chain.get((int) n));
        }
        assertThat(catchUp.refusedCounts()).containsEntry(FetchedBlockRefusal.Reason.DATA_HASH_MISMATCH, 1L);
    }

    @Test
    void whenEveryMemberSendsABrokenChainNothingFromTheBreakOnIsAppendedAndTheCatchUpFails() throws IOException {
        List<Block> broken = replace(chain, 6, b -> b.toBuilder()
                .setHeader(b.getHeader().toBuilder().setPreviousHash(ByteString.copyFrom(new byte[32]))).build());
        served.put(LEADER, broken);
        served.put(OTHER, broken);

        CatchUp catchUp = catchUp();

        assertThatThrownBy(() -> catchUp.run(LEADER, TARGET))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no member supplied verified blocks from 6")
                .hasMessageContaining("PREVIOUS_HASH_MISMATCH");
        assertThat(store.height()).isEqualTo(6);
        assertThat(appended).isEqualTo(chain.subList(2, 6));
        assertThat(catchUp.refusedCounts()).containsEntry(FetchedBlockRefusal.Reason.PREVIOUS_HASH_MISMATCH, 2L);
    }

    @Test
    void aBlockWithTheWrongNumberIsRefused() throws IOException {
        served.put(LEADER, replace(chain, 3, b -> b.toBuilder()
                .setHeader(b.getHeader().toBuilder().setNumber(4)).build()));

        CatchUp catchUp = catchUp();

        assertThatThrownBy(() -> catchUp.run(LEADER, TARGET)).isInstanceOf(IOException.class);
        assertThat(store.height()).isEqualTo(3);
        assertThat(catchUp.refusedCounts()).containsEntry(FetchedBlockRefusal.Reason.NUMBER_OUT_OF_SEQUENCE, 1L);
    }

    @Test
    void aBlockTheConfigurationChecksRefuseIsNotAppendedNorAnythingAfterIt() throws IOException {
        served.put(LEADER, chain);
        verifier = block -> block.getHeader().getNumber() == 4
                ? Optional.of(new FetchedBlockRefusal(FetchedBlockRefusal.Reason.BAD_ORDERER_SIGNATURES, "unsigned"))
                : Optional.empty();

        CatchUp catchUp = catchUp();

        assertThatThrownBy(() -> catchUp.run(LEADER, TARGET))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("BAD_ORDERER_SIGNATURES: unsigned");
        assertThat(store.height()).isEqualTo(4);
        assertThat(catchUp.refusedCounts()).containsEntry(FetchedBlockRefusal.Reason.BAD_ORDERER_SIGNATURES, 1L);
    }

    @Test
    void aMemberWithoutTheMissingBlocksIsSkipped() throws IOException {
        served.put(LEADER, chain.subList(0, 2));
        served.put(OTHER, chain);

        catchUp().run(LEADER, TARGET);

        assertThat(store.height()).isEqualTo(TARGET);
    }

    private CatchUp catchUp() {
        ChannelStateMachine.BlockSource source = new ChannelStateMachine.BlockSource() {
            @Override
            public RaftMessages.SnapshotPosition snapshotPosition(RaftPeerId member) {
                throw new UnsupportedOperationException("not used by CatchUp");
            }

            @Override
            public List<Block> fetch(RaftPeerId member, long from, int maxBytes) throws IOException {
                List<Block> blocks = served.get(member);
                if (blocks == null) {
                    throw new IOException(member + " is unreachable");
                }
                // three blocks a chunk, so that refusals happen in the middle of a chunk
                return blocks.subList((int) Math.min(from, blocks.size()), (int) Math.min(from + 3, blocks.size()));
            }

            @Override
            public List<RaftPeerId> otherMembers() {
                return List.of(LEADER, OTHER);
            }
        };
        return new CatchUp("test", store, source, block -> verifier.refusal(block), appended::add, 1024);
    }

    private static List<Block> replace(List<Block> blocks, int index, UnaryOperator<Block> change) {
        List<Block> copy = new ArrayList<>(blocks);
        copy.set(index, change.apply(copy.get(index)));
        return copy;
    }

    private static List<Block> chain(int length) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(Blocks.genesisBlock(ChannelConfig.newBuilder().setChannelId("test").build(), Instant.now()));
        while (blocks.size() < length) {
            blocks.add(Blocks.nextBlock(blocks.getLast().getHeader(),
                    List.of(ByteString.copyFromUtf8("envelope " + blocks.size())), 0));
        }
        return blocks;
    }
}
