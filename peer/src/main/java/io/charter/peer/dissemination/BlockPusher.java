package io.charter.peer.dissemination;

import com.google.protobuf.ByteString;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.protocol.Block;
import io.charter.protocol.PushBlockRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of dissemination: each block it commits is pushed ({@code peer.PushBlock}) to every
 * other peer of its organization, in order per peer (one push in flight per peer; the next waits for
 * the previous answer). A push that fails is not retried: the receiver's anti-entropy pull fills gaps.
 */
public final class BlockPusher {

    private static final Logger LOG = LoggerFactory.getLogger(BlockPusher.class);

    private final String channelId;
    private List<OrgPeer> peers;
    private final Duration deadline;
    private final Map<String, CompletableFuture<?>> tails = new HashMap<>();
    private final AtomicLong pushed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public BlockPusher(String channelId, List<OrgPeer> peers, Duration deadline) {
        this.channelId = channelId;
        this.peers = List.copyOf(peers);
        this.deadline = deadline;
    }

    public synchronized void push(Block block) {
        ByteString request = PushBlockRequest.newBuilder().setChannelId(channelId).setBlock(block.toByteString()).build()
                .toByteString();
        for (OrgPeer peer : peers) {
            CompletableFuture<?> tail = tails.getOrDefault(peer.id(), CompletableFuture.completedFuture(null));
            tails.put(peer.id(), tail.handle((r, e) -> null)
                    .thenCompose(ignored -> peer.client().call(PeerMethodNames.PUSH_BLOCK, request, deadline))
                    .whenComplete((r, e) -> {
                        if (e == null) {
                            pushed.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            LOG.debug("push of block {} to {} failed: {}", block.getHeader().getNumber(), peer.endpoint(), e.toString());
                        }
                    }));
        }
    }

    /**
     * Replaces the peers pushed to (e.g. after the index changed): the next block goes to the new list;
     * pushes already queued to a removed peer finish or fail on their own.
     */
    public synchronized void updatePeers(List<OrgPeer> next) {
        peers = List.copyOf(next);
        tails.keySet().removeIf(id -> peers.stream().noneMatch(p -> p.id().equals(id)));
    }

    /** The peers each committed block is pushed to. */
    public synchronized List<OrgPeer> peers() {
        return peers;
    }

    public long pushed() {
        return pushed.get();
    }

    public long failed() {
        return failed.get();
    }
}
