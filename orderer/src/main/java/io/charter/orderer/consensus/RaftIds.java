package io.charter.orderer.consensus;

import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * Names in Ratis for channels and orderers, derived so that every orderer computes the same ones.
 *
 * <ul>
 *   <li>A channel's Raft group id is the name-based (v3) UUID of {@code "charter-channel:" + channel id}.
 *   <li>An orderer's Raft peer id is its cluster endpoint as {@code host_port} (no colon: Ratis puts
 *       peer ids in JMX names), as listed in the channel's consenters: stable across certificate
 *       renewals, unique within a channel.
 * </ul>
 */
public final class RaftIds {

    private RaftIds() {}

    static RaftGroupId groupId(String channelId) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(
                ("charter-channel:" + channelId).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * An orderer's id as a member of its channels' groups: its Raft peer id as text, the form the rest of
     * the orderer names members by (Ratis' types stay in this package).
     */
    public static String memberId(Endpoint endpoint) {
        return peerId(endpoint).toString();
    }

    static RaftPeerId peerId(Endpoint endpoint) {
        return RaftPeerId.valueOf(endpoint.getHost() + "_" + endpoint.getPort());
    }

    static String address(Endpoint endpoint) {
        return endpoint.getHost() + ":" + endpoint.getPort();
    }

    static RaftPeer peer(Consenter consenter) {
        return RaftPeer.newBuilder()
                .setId(peerId(consenter.getEndpoint()))
                .setAddress(address(consenter.getEndpoint()))
                .build();
    }
}
