package io.charter.orderer.blockstore;

import com.google.protobuf.ByteString;
import io.charter.common.protocol.Blocks;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Hash-chained blocks with made-up envelopes, for store tests. */
final class TestChains {

    private TestChains() {}

    static List<Block> chain(int length, long seed, int maxEnvelopeBytes) {
        Random random = new Random(seed);
        List<Block> blocks = new ArrayList<>();
        blocks.add(Blocks.genesisBlock(ChannelConfig.newBuilder().setChannelId("store-test").build(),
                Instant.ofEpochSecond(1_700_000_000L), ByteString.copyFrom(new byte[24])));
        while (blocks.size() < length) {
            int count = 1 + random.nextInt(4);
            List<ByteString> envelopes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] bytes = new byte[1 + random.nextInt(maxEnvelopeBytes)];
                random.nextBytes(bytes);
                envelopes.add(ByteString.copyFrom(bytes));
            }
            blocks.add(Blocks.nextBlock(blocks.getLast().getHeader(), envelopes, 0));
        }
        return blocks;
    }
}
