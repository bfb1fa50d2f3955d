package io.charter.orderer.consensus;

import io.charter.common.protocol.ChainVerdict;
import io.charter.common.protocol.ChainVerifier;
import io.charter.orderer.blockstore.BlockStore;
import io.charter.protocol.Block;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.ratis.protocol.RaftPeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the blocks a follower misses from other members and appends each one only if it passes
 * every check: number = height, previous hash = hash of the stored tip, data hash = hash of its
 * envelopes ({@link ChainVerifier}), then the {@link FetchedBlockVerifier} (last config block, orderer
 * signatures against BlockValidation under the configuration in force, config blocks). The leader is
 * asked first; a member that sends a block failing a check (or fails to send) is left at once, nothing
 * from that block on is appended, and the next member is asked from the height reached. Each refused
 * block is logged as an error with its reason and counted.
 */
final class CatchUp {

    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);

    private final String channelId;
    private final BlockStore store;
    private final ChannelStateMachine.BlockSource source;
    private final FetchedBlockVerifier verifier;
    private final Consumer<Block> appended;
    private final int chunkBytes;
    private final Map<FetchedBlockRefusal.Reason, AtomicLong> refused = new EnumMap<>(FetchedBlockRefusal.Reason.class);

    CatchUp(String channelId, BlockStore store, ChannelStateMachine.BlockSource source, FetchedBlockVerifier verifier,
            Consumer<Block> appended, int chunkBytes) {
        this.channelId = channelId;
        this.store = store;
        this.source = source;
        this.verifier = verifier;
        this.appended = appended;
        this.chunkBytes = chunkBytes;
        for (FetchedBlockRefusal.Reason reason : FetchedBlockRefusal.Reason.values()) {
            refused.put(reason, new AtomicLong());
        }
    }

    /**
     * Appends verified blocks until the store holds {@code targetHeight} blocks, from {@code leader}
     * first, then from the other members in turn.
     *
     * @throws IOException when no member supplied verified blocks up to the target (what was verified
     *     before stays appended); the caller fails the snapshot installation so that Ratis asks again later
     */
    void run(RaftPeerId leader, long targetHeight) throws IOException {
        List<RaftPeerId> members = new ArrayList<>();
        members.add(leader);
        source.otherMembers().stream().filter(m -> !m.equals(leader)).forEach(members::add);
        List<String> failures = new ArrayList<>();
        for (RaftPeerId member : members) {
            if (store.height() >= targetHeight) {
                break;
            }
            try {
                fetchFrom(member, targetHeight);
            } catch (RefusedBlock e) {
                failures.add(member + ": " + e.getMessage());
            } catch (IOException e) {
                LOG.warn("{}: fetching blocks from {} failed at height {}: {}; trying another member", channelId, member,
                        store.height(), e.getMessage());
                failures.add(member + ": " + e.getMessage());
            }
        }
        if (store.height() < targetHeight) {
            throw new IOException("channel " + channelId + ": no member supplied verified blocks from " + store.height()
                    + " up to " + targetHeight + " " + failures + "; Raft asks again later");
        }
    }

    private void fetchFrom(RaftPeerId member, long targetHeight) throws IOException {
        while (store.height() < targetHeight) {
            long from = store.height();
            List<Block> blocks = source.fetch(member, from, chunkBytes);
            if (blocks.isEmpty()) {
                throw new IOException("it sent no block from " + from);
            }
            for (Block block : blocks) {
                Optional<FetchedBlockRefusal> refusal = check(block);
                if (refusal.isPresent()) {
                    FetchedBlockRefusal r = refusal.get();
                    refused.get(r.reason()).incrementAndGet();
                    LOG.error("{}: refused block {} fetched from {} at height {}: {} ({}); appending nothing from it,"
                                    + " trying another member", channelId, block.getHeader().getNumber(), member,
                            store.height(), r.reason(), r.detail());
                    throw new RefusedBlock(r.reason() + ": " + r.detail());
                }
                store.append(block);
                appended.accept(block);
            }
        }
    }

    private Optional<FetchedBlockRefusal> check(Block block) throws IOException {
        Optional<Block> tip = store.lastBlock();
        ChainVerdict verdict = tip.isPresent()
                ? ChainVerifier.verifyAfter(tip.get().getHeader(), List.of(block))
                : ChainVerifier.verifyFromGenesis(List.of(block));
        if (verdict instanceof ChainVerdict.Broken broken) {
            return Optional.of(new FetchedBlockRefusal(
                    FetchedBlockRefusal.Reason.valueOf(broken.reason().name()), broken.detail()));
        }
        return verifier.refusal(block);
    }

    /** Blocks refused so far, per reason. */
    Map<FetchedBlockRefusal.Reason, Long> refusedCounts() {
        Map<FetchedBlockRefusal.Reason, Long> counts = new EnumMap<>(FetchedBlockRefusal.Reason.class);
        refused.forEach((reason, count) -> counts.put(reason, count.get()));
        return counts;
    }

    private static final class RefusedBlock extends IOException {
        RefusedBlock(String message) {
            super(message);
        }
    }
}
