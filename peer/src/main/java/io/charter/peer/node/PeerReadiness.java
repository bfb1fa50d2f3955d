package io.charter.peer.node;

import io.charter.common.health.Readiness;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * When a peer is ready: every joined channel within {@link #MAX_LAG} blocks of the orderers' height where that is
 * known, else when its organization has a known leader and it is within {@link #MAX_LAG} blocks of the leader's
 * height (as the leader's last heartbeat reported it). The peer application's readiness indicator and the local
 * network's operations endpoint both show this.
 */
public final class PeerReadiness {

    /** Blocks a peer may be behind the orderers (or its organization's leader) and still be ready. */
    public static final long MAX_LAG = 5;

    private PeerReadiness() {}

    /**
     * @param ordererHeight the orderers' height of a channel where known (e.g. from the index), else empty
     */
    public static Readiness of(PeerNode node, Function<String, Optional<Long>> ordererHeight) {
        boolean ready = true;
        Map<String, Map<String, Object>> channels = new LinkedHashMap<>();
        for (ChannelPeer channel : node.channels()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            long height = channel.height();
            Optional<String> leader = channel.leader();
            Optional<Long> orderers = ordererHeight.apply(channel.channelId());
            long lag;
            boolean channelReady;
            if (orderers.isPresent()) {
                lag = Math.max(0L, orderers.get() - height);
                channelReady = lag <= MAX_LAG;
                detail.put("ordererHeight", orderers.get());
            } else {
                lag = leader.map(l -> channel.isLeader() ? 0L
                        : Math.max(0L, channel.election().aliveHeights().getOrDefault(l, height) - height)).orElse(-1L);
                channelReady = leader.isPresent() && lag <= MAX_LAG;
            }
            ready &= channelReady;
            detail.put("height", height);
            detail.put("leader", leader.orElse(""));
            detail.put("isLeader", channel.isLeader());
            detail.put("lag", lag);
            detail.put("lagFrom", orderers.isPresent() ? "orderers" : "leader");
            detail.put("ready", channelReady);
            channels.put(channel.channelId(), detail);
        }
        return new Readiness(ready, channels);
    }
}
