package io.charter.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.google.protobuf.ByteString;
import io.charter.protocol.Block;
import io.charter.protocol.BlockHeader;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Envelope;
import io.charter.protocol.Payload;
import io.charter.protocol.ConfigEnvelope;
import io.charter.protocol.HeaderType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class BlockChainingTest {

    private static final int EXAMPLES = 200;
    private static final Instant CREATED_AT = Instant.parse("2026-01-02T03:04:05.678Z");

    /** Chains from genesis: 1 (or minBlocks) to 8 blocks, each after genesis with 0 to 4 envelopes of 0 to 100 bytes. */
    private static Gen<List<Block>> chains() {
        return chains(1);
    }

    private static Gen<List<Block>> chains(int minBlocks) {
        Gen<String> channelIds = ProtocolGenerators.unicodeStrings(12).map(id -> id.isEmpty() ? "c" : id);
        Gen<ByteString> nonces = ProtocolGenerators.byteStrings(Generate.constant(TransactionIds.NONCE_LENGTH));
        Gen<Integer> lengths = Generate.range(minBlocks - 1, 7);
        Gen<Integer> envelopeCounts = Generate.range(0, 4);
        Gen<ByteString> envelopes = ProtocolGenerators.byteStrings(Generate.range(0, 100));
        return in -> {
            ChannelConfig config = ChannelConfig.newBuilder().setChannelId(channelIds.generate(in)).build();
            List<Block> chain = new ArrayList<>();
            chain.add(Blocks.genesisBlock(config, CREATED_AT, nonces.generate(in)));
            for (int i = lengths.generate(in); i > 0; i--) {
                List<ByteString> data = new ArrayList<>();
                for (int j = envelopeCounts.generate(in); j > 0; j--) {
                    data.add(envelopes.generate(in));
                }
                chain.add(Blocks.nextBlock(chain.getLast().getHeader(), data, 0));
            }
            return List.copyOf(chain);
        };
    }

    private static Gen<Integer> choices() {
        return integers().allPositive();
    }

    @Test
    void chainsBuiltBlockByBlockVerify() {
        qt().withExamples(EXAMPLES).forAll(chains()).checkAssert(chain ->
                assertThat(ChainVerifier.verifyFromGenesis(chain)).isEqualTo(new ChainVerdict.Intact(chain.size())));
    }

    @Test
    void aChainSuffixVerifiesAfterTheHeaderBeforeIt() {
        qt().withExamples(EXAMPLES).forAll(chains(), choices()).checkAssert((chain, choice) -> {
            int split = 1 + choice % chain.size();
            List<Block> suffix = chain.subList(split, chain.size());
            assertThat(ChainVerifier.verifyAfter(chain.get(split - 1).getHeader(), suffix))
                    .isEqualTo(new ChainVerdict.Intact(suffix.size()));
        });
    }

    @Test
    void flippingAnyByteOfAnyEnvelopeBreaksTheDataHashOfThatBlock() {
        qt().withExamples(EXAMPLES).forAll(chains(), choices(), integers().between(1, 255)).checkAssert(
                (chain, choice, mask) -> {
                    // Every (block, envelope, byte) position, so the choice is uniform over all bytes.
                    List<int[]> positions = new ArrayList<>();
                    for (int b = 0; b < chain.size(); b++) {
                        List<ByteString> envelopes = chain.get(b).getData().getEnvelopesList();
                        for (int e = 0; e < envelopes.size(); e++) {
                            for (int i = 0; i < envelopes.get(e).size(); i++) {
                                positions.add(new int[] {b, e, i});
                            }
                        }
                    }
                    int[] at = positions.get(choice % positions.size());
                    Block block = chain.get(at[0]);
                    byte[] envelope = block.getData().getEnvelopes(at[1]).toByteArray();
                    envelope[at[2]] ^= mask.byteValue();
                    Block tampered = block.toBuilder()
                            .setData(block.getData().toBuilder().setEnvelopes(at[1], ByteString.copyFrom(envelope)))
                            .build();

                    assertBrokenAt(replace(chain, at[0], tampered), at[0], ChainBreakReason.DATA_HASH_MISMATCH);
                });
    }

    @Test
    void changingABlockNumberIsReportedAtThatBlock() {
        qt().withExamples(EXAMPLES).forAll(chains(), choices(), longs().all().map(d -> d == 0 ? 1 : d)).checkAssert(
                (chain, choice, delta) -> {
                    int index = choice % chain.size();
                    Block block = chain.get(index);
                    Block tampered = withHeader(block, block.getHeader().toBuilder()
                            .setNumber(block.getHeader().getNumber() + delta).build());

                    assertBrokenAt(replace(chain, index, tampered), index, ChainBreakReason.NUMBER_OUT_OF_SEQUENCE);
                });
    }

    @Test
    void changingAPreviousHashIsReportedAtThatBlock() {
        qt().withExamples(EXAMPLES).forAll(chains(), choices(), choices()).checkAssert((chain, choice, change) -> {
            int index = choice % chain.size();
            Block block = chain.get(index);
            Block tampered = withHeader(block, block.getHeader().toBuilder()
                    .setPreviousHash(changed(block.getHeader().getPreviousHash(), change)).build());

            assertBrokenAt(replace(chain, index, tampered), index, ChainBreakReason.PREVIOUS_HASH_MISMATCH);
        });
    }

    @Test
    void changingADataHashIsReportedAtThatBlock() {
        qt().withExamples(EXAMPLES).forAll(chains(), choices(), choices()).checkAssert((chain, choice, change) -> {
            int index = choice % chain.size();
            Block block = chain.get(index);
            Block tampered = withHeader(block, block.getHeader().toBuilder()
                    .setDataHash(changed(block.getHeader().getDataHash(), change)).build());

            assertBrokenAt(replace(chain, index, tampered), index, ChainBreakReason.DATA_HASH_MISMATCH);
        });
    }

    @Test
    void reorderingBlocksIsReportedAtTheFirstMisplacedBlock() {
        qt().withExamples(EXAMPLES).forAll(chains(2), longs().all()).checkAssert(
                (chain, seed) -> {
                    List<Block> shuffled = new ArrayList<>(chain);
                    Collections.shuffle(shuffled, new Random(seed));
                    int firstMisplaced = 0;
                    while (firstMisplaced < chain.size() && shuffled.get(firstMisplaced) == chain.get(firstMisplaced)) {
                        firstMisplaced++;
                    }
                    if (firstMisplaced == chain.size()) {
                        shuffled.add(0, shuffled.remove(shuffled.size() - 1));
                        firstMisplaced = 0;
                    }

                    assertBrokenAt(shuffled, firstMisplaced, ChainBreakReason.NUMBER_OUT_OF_SEQUENCE);
                });
    }

    @Test
    void droppingABlockIsReportedAsANumberGap() {
        qt().withExamples(EXAMPLES).forAll(chains(2), choices()).checkAssert(
                (chain, choice) -> {
                    int index = choice % chain.size();
                    List<Block> gapped = new ArrayList<>(chain);
                    gapped.remove(index);
                    if (index == gapped.size()) {
                        return; // dropping the last block leaves a shorter, intact chain
                    }
                    assertBrokenAt(gapped, index, ChainBreakReason.NUMBER_OUT_OF_SEQUENCE);
                });
    }

    @Test
    void aBlockWithoutHeaderIsReportedAsSuch() {
        qt().withExamples(EXAMPLES).forAll(chains(), choices()).checkAssert((chain, choice) -> {
            int index = choice % chain.size();
            Block headless = chain.get(index).toBuilder().clearHeader().build();

            assertBrokenAt(replace(chain, index, headless), index, ChainBreakReason.MISSING_HEADER);
        });
    }

    @Test
    void aChainNotStartingAtGenesisIsRejectedByTheGenesisVerifier() {
        qt().withExamples(EXAMPLES).forAll(chains(2)).checkAssert(chain ->
                assertBrokenAt(chain.subList(1, chain.size()), 0, ChainBreakReason.NUMBER_OUT_OF_SEQUENCE));
    }

    @Test
    void genesisBlockIsBlockZeroWithoutPreviousHashCarryingTheConfigUnsigned() throws Exception {
        ChannelConfig config = ChannelConfig.newBuilder().setChannelId("trade").setSequence(0).build();
        ByteString nonce = ByteString.copyFrom(new byte[TransactionIds.NONCE_LENGTH]);

        Block genesis = Blocks.genesisBlock(config, CREATED_AT, nonce);

        assertThat(genesis.getHeader().getNumber()).isZero();
        assertThat(genesis.getHeader().getPreviousHash()).isEmpty();
        assertThat(genesis.getMetadata().getLastConfigBlock()).isZero();
        assertThat(genesis.getData().getEnvelopesCount()).isOne();
        Envelope envelope = Envelope.parseFrom(genesis.getData().getEnvelopes(0));
        assertThat(envelope.getSignature()).isEmpty();
        Payload payload = Payload.parseFrom(envelope.getPayload());
        assertThat(payload.getHeader().getType()).isEqualTo(HeaderType.CONFIG);
        assertThat(payload.getHeader().getChannelId()).isEqualTo("trade");
        assertThat(payload.getHeader().getTxId()).isEqualTo(TransactionIds.compute(nonce, ByteString.EMPTY));
        assertThat(payload.getHeader().getTimestamp().getSeconds()).isEqualTo(CREATED_AT.getEpochSecond());
        assertThat(payload.getHeader().getTimestamp().getNanos()).isEqualTo(CREATED_AT.getNano());
        assertThat(ConfigEnvelope.parseFrom(payload.getData()).getConfig()).isEqualTo(config);
        assertThat(Blocks.genesisBlock(config, CREATED_AT, nonce)).isEqualTo(genesis);
    }

    @Test
    void nextBlockLinksToThePreviousHeaderAndRecordsTheLastConfigBlock() {
        Block genesis = Blocks.genesisBlock(ChannelConfig.newBuilder().setChannelId("trade").build(), CREATED_AT);

        Block next = Blocks.nextBlock(genesis.getHeader(), List.of(ByteString.copyFromUtf8("tx")), 0);

        assertThat(next.getHeader().getNumber()).isOne();
        assertThat(next.getHeader().getPreviousHash()).isEqualTo(BlockHashing.headerHash(genesis.getHeader()));
        assertThat(next.getHeader().getDataHash()).isEqualTo(BlockHashing.dataHash(next.getData()));
        assertThat(next.getMetadata().getSignaturesList()).isEmpty();
        assertThat(next.getMetadata().getValidationCodesList()).isEmpty();
    }

    private static void assertBrokenAt(List<Block> chain, int position, ChainBreakReason reason) {
        ChainVerdict verdict = ChainVerifier.verifyFromGenesis(chain);
        assertThat(verdict).isInstanceOfSatisfying(ChainVerdict.Broken.class, broken -> {
            assertThat(broken.reason()).as(broken.detail()).isEqualTo(reason);
            assertThat(broken.position()).as(broken.detail()).isEqualTo(position);
            assertThat(broken.expectedNumber()).isEqualTo(position);
        });
    }

    /** A different value: flips one byte, or appends one when empty, or drops the last one. */
    private static ByteString changed(ByteString bytes, int change) {
        if (bytes.isEmpty()) {
            return ByteString.copyFrom(new byte[] {(byte) change});
        }
        if (change % 5 == 0) {
            return bytes.substring(0, bytes.size() - 1);
        }
        byte[] copy = bytes.toByteArray();
        copy[change % copy.length] ^= (byte) (1 + change % 255);
        return ByteString.copyFrom(copy);
    }

    private static Block withHeader(Block block, BlockHeader header) {
        return block.toBuilder().setHeader(header).build();
    }

    private static List<Block> replace(List<Block> chain, int index, Block block) {
        List<Block> copy = new ArrayList<>(chain);
        copy.set(index, block);
        return copy;
    }
}
