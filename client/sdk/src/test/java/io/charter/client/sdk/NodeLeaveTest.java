package io.charter.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.pki.Role;
import io.charter.common.protocol.OrdererMethodNames;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.TransportException;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.LeaveChannelResponse;
import io.charter.protocol.OrdererAdminRequest;
import io.charter.protocol.OrdererLeaveChannelResponse;
import io.charter.protocol.Payload;
import io.charter.protocol.PeerAdminRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link PeerAdmin#leave} and {@link OrdererAdmin#leave}: the signed request names the channel and the remove-data
 * flag on the node's method, the answer is read back, and a refusal keeps its code.
 */
class NodeLeaveTest {

    private static final TestPki PKI = TestPki.create("Org1");
    private static final Identity ADMIN = TestNetworkPki.identity(PKI, "Org1", "admin", Role.ADMIN);

    private static Payload opened(ByteString body) {
        try {
            return Payload.parseFrom(Envelope.parseFrom(body).getPayload());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aPeerLeavesTheChannelNamedWithItsDataKeptOrRemoved() throws Exception {
        List<PeerAdminRequest> seen = new ArrayList<>();
        Function<ByteString, ByteString> leave = body -> {
            Payload payload = opened(body);
            assertThat(payload.getHeader().getType()).isEqualTo(HeaderType.PEER_ADMIN);
            try {
                PeerAdminRequest request = PeerAdminRequest.parseFrom(payload.getData());
                seen.add(request);
                return LeaveChannelResponse.newBuilder().setChannelId(request.getLeaveChannel().getChannelId())
                        .setHeight(7).setDataRemoved(request.getLeaveChannel().getRemoveData()).build().toByteString();
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        };
        try (ScriptedNode peer = new ScriptedNode(PKI, "peer0", "Org1", Map.of(PeerMethodNames.LEAVE_CHANNEL, leave));
             PeerAdmin admin = PeerAdmin.connect(ADMIN, List.of(PKI.root().certificate()), "127.0.0.1",
                     peer.endpoint().port(), Duration.ofSeconds(30))) {
            assertThat(admin.leave("mychannel", false)).isEqualTo(new PeerAdmin.LeftChannel("mychannel", 7, false));
            assertThat(admin.leave("second", true)).isEqualTo(new PeerAdmin.LeftChannel("second", 7, true));
        }
        assertThat(seen).extracting(r -> r.getLeaveChannel().getChannelId()).containsExactly("mychannel", "second");
        assertThat(seen).extracting(r -> r.getLeaveChannel().getRemoveData()).containsExactly(false, true);
    }

    @Test
    void anOrdererLeavesTheChannelNamedAndARefusalKeepsItsCode() throws Exception {
        Function<ByteString, ByteString> leave = body -> {
            try {
                OrdererAdminRequest request = OrdererAdminRequest.parseFrom(opened(body).getData());
                if (request.getLeaveChannel().getChannelId().equals("never-joined")) {
                    throw TransportException.withReason(ErrorCode.INVALID_ARGUMENT, "NOT_JOINED",
                            "NOT_JOINED: this orderer has not joined channel 'never-joined'");
                }
                return OrdererLeaveChannelResponse.newBuilder().setChannelId(request.getLeaveChannel().getChannelId())
                        .setHeight(3).setDataRemoved(request.getLeaveChannel().getRemoveData()).build().toByteString();
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        };
        try (ScriptedNode orderer = new ScriptedNode(PKI, "orderer1", "Org1",
                Map.of(OrdererMethodNames.LEAVE_CHANNEL, leave));
             OrdererAdmin admin = OrdererAdmin.connect(ADMIN, List.of(PKI.root().certificate()), "127.0.0.1",
                     orderer.endpoint().port(), Duration.ofSeconds(30))) {
            assertThat(admin.leave("mychannel", true)).isEqualTo(new OrdererAdmin.LeftChannel("mychannel", 3, true));
            assertThatThrownBy(() -> admin.leave("never-joined", false))
                    .isInstanceOfSatisfying(NodeAdminException.class, e -> assertThat(e.code()).isEqualTo("NOT_JOINED"));
        }
    }
}
