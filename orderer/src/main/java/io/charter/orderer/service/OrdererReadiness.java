package io.charter.orderer.service;

import io.charter.common.health.Readiness;
import io.charter.orderer.channel.ChannelInfo;
import io.charter.orderer.consensus.RaftStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When an orderer is ready: every joined channel has a Raft leader and this orderer has applied the committed log
 * up to {@code maxLag} entries (it is caught up). The orderer application's readiness indicator and the local
 * network's operations endpoint both show this, with each channel's role, leader, height and lag.
 */
public final class OrdererReadiness {

    private OrdererReadiness() {}

    public static Readiness of(OrdererServer server, long maxLag) {
        boolean ready = true;
        Map<String, Map<String, Object>> channels = new LinkedHashMap<>();
        for (ChannelInfo info : server.channels()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            try {
                RaftStatus status = server.node().channel(info.channelId()).orElseThrow().raftStatus();
                boolean caughtUp = status.caughtUp(maxLag);
                ready &= caughtUp;
                detail.put("role", status.role());
                detail.put("leader", status.leader());
                detail.put("height", status.height());
                detail.put("lag", Math.max(0, status.commitIndex() - status.lastAppliedIndex()));
                detail.put("ready", caughtUp);
            } catch (RuntimeException e) {
                // a channel being removed, or its Raft group not answering: not ready, and say why
                ready = false;
                detail.put("ready", false);
                detail.put("error", String.valueOf(e.getMessage()));
            }
            channels.put(info.channelId(), detail);
        }
        return new Readiness(ready, channels);
    }
}
