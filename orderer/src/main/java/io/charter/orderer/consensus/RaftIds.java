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

    public static RaftGroupId groupId(String channelId) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(
                ("charter-channel:" + channelId).getBytes(StandardCharsets.UTF_8)));
    }

    public static RaftPeerId peerId(Endpoint endpoint) {
        return RaftPeerId.valueOf(endpoint.getHost() + "_" + endpoint.getPort());
    }

    public static String address(Endpoint endpoint) {
        return endpoint.getHost() + ":" + endpoint.getPort();
    }

    public static RaftPeer peer(Consenter consenter) {
        return RaftPeer.newBuilder()
                .setId(peerId(consenter.getEndpoint()))
                .setAddress(address(consenter.getEndpoint()))
                .build();
    }
}
