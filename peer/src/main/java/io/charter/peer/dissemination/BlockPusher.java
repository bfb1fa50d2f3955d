package io.charter.peer.dissemination;

import com.google.protobuf.ByteString;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.protocol.Block;
import io.charter.protocol.PushBlockRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push inside an organization ({@code peer.PushBlock}). The leader pushes each block it commits along the
 * {@link RelayTree}: to the heads of {@code relayFanout} parts of its organization's other peers, each with the rest
 * of its part to pass on ({@code relayFanout} 0: to every other peer itself). A peer that committed a pushed block
 * relays it to its own subtree the same way ({@link #relay}), only to peers of its own list. Pushes are in order per
 * receiver (one in flight per peer; the next waits for the previous answer). A push that fails is not retried: the
 * receivers' anti-entropy pull fills gaps, the failed receiver's subtree included.
 */
public final class BlockPusher {

    private static final Logger LOG = LoggerFactory.getLogger(BlockPusher.class);

    private final String channelId;
    private final String selfId;
    private final DisseminationSettings settings;
    private List<OrgPeer> peers;
    private final Duration deadline;
    private final Map<String, CompletableFuture<?>> tails = new HashMap<>();
    private final AtomicLong pushed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong relayIdsIgnored = new AtomicLong();

    /** A linear pusher (the leader pushes to every peer itself), as before relay trees. */
    public BlockPusher(String channelId, List<OrgPeer> peers, Duration deadline) {
        this(channelId, "", peers, deadline, new DisseminationSettings(DisseminationSettings.Mode.LEADER, 0));
    }

    /**
     * @param selfId this peer's id (never relayed to)
     * @param settings in {@link DisseminationSettings.Mode#EVERY_PEER} mode nothing is pushed or relayed: every peer
     *     pulls from the orderers itself
     */
    public BlockPusher(String channelId, String selfId, List<OrgPeer> peers, Duration deadline,
                       DisseminationSettings settings) {
        this.channelId = channelId;
        this.selfId = selfId;
        this.settings = settings;
        this.peers = settings.everyPeerPulls() ? List.of() : List.copyOf(peers);
        this.deadline = deadline;
    }

    /** Pushes a block this peer (the leader) committed to its organization, along the relay tree. */
    public synchronized void push(Block block) {
        send(block, peers.stream().map(OrgPeer::id).sorted().toList());
    }

    /**
     * Passes a pushed block this peer committed on to {@code requested} (its subtree in the pusher's tree): only to
     * the ids of its own organization list ({@link RelayTree#sanitize}); the others are ignored and counted.
     */
    public synchronized void relay(Block block, List<String> requested) {
        if (requested.isEmpty()) {
            return;
        }
        Set<String> known = peers.stream().map(OrgPeer::id).collect(Collectors.toSet());
        List<String> subtree = RelayTree.sanitize(requested, known, selfId);
        if (subtree.size() < requested.size()) {
            relayIdsIgnored.addAndGet(requested.size() - subtree.size());
            LOG.debug("channel {}: relay of block {} ignores {} of {} ids (unknown, this peer or repeated)", channelId,
                    block.getHeader().getNumber(), requested.size() - subtree.size(), requested.size());
        }
        send(block, subtree);
    }

    private void send(Block block, List<String> ids) {
        ByteString blockBytes = block.toByteString();
        for (RelayTree.Branch branch : RelayTree.split(ids, settings.relayFanout())) {
            Optional<OrgPeer> head = peers.stream().filter(p -> p.id().equals(branch.head())).findFirst();
            if (head.isEmpty()) {
                continue;
            }
            OrgPeer peer = head.get();
            ByteString request = PushBlockRequest.newBuilder().setChannelId(channelId).setBlock(blockBytes)
                    .addAllRelayTo(branch.subtree()).build().toByteString();
            CompletableFuture<?> tail = tails.getOrDefault(peer.id(), CompletableFuture.completedFuture(null));
            tails.put(peer.id(), tail.handle((r, e) -> null)
                    .thenCompose(ignored -> peer.client().call(PeerMethodNames.PUSH_BLOCK, request, deadline))
                    .whenComplete((r, e) -> {
                        if (e == null) {
                            pushed.incrementAndGet();
                            bytesSent.addAndGet(request.size());
                        } else {
                            failed.incrementAndGet();
                            LOG.debug("push of block {} to {} failed: {}", block.getHeader().getNumber(), peer.endpoint(), e.toString());
                        }
                    }));
        }
    }

    /**
     * Replaces the peers pushed to (e.g. after the index changed): the next block goes to the new list;
     * pushes already queued to a removed peer finish or fail on their own. Ignored when every peer pulls.
     */
    public synchronized void updatePeers(List<OrgPeer> next) {
        if (settings.everyPeerPulls()) {
            return;
        }
        peers = List.copyOf(next);
        tails.keySet().removeIf(id -> peers.stream().noneMatch(p -> p.id().equals(id)));
    }

    /** The peers this one pushes or relays to (none when every peer pulls). */
    public synchronized List<OrgPeer> peers() {
        return peers;
    }

    public DisseminationSettings settings() {
        return settings;
    }

    public long pushed() {
        return pushed.get();
    }

    public long failed() {
        return failed.get();
    }

    /** Bytes of the push requests this peer sent and had answered (pushes as leader and relays). */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** Ids of pushes' relay lists this peer did not follow (unknown, itself or repeated). */
    public long relayIdsIgnored() {
        return relayIdsIgnored.get();
    }
}
