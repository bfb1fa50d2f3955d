package io.charter.peer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.common.transport.CallContext;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.TransportException;
import io.charter.peer.dissemination.RelayTree;
import io.charter.peer.events.CommitEvents;
import io.charter.peer.ledger.Ledger;
import io.charter.peer.lifecycle.ContractDefinitions;
import io.charter.peer.validation.ChannelContext;
import io.charter.protocol.Block;
import io.charter.protocol.BlockHeader;
import io.charter.protocol.HeartbeatRequest;
import io.charter.protocol.HeartbeatResponse;
import io.charter.protocol.PushBlockRequest;
import io.charter.protocol.PushBlockResponse;
import io.charter.protocol.PushOutcome;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DisseminationHandlersTest {

    private static final String CHANNEL = "mychannel";
    private static final Block BLOCK = Block.newBuilder().setHeader(BlockHeader.newBuilder().setNumber(3)).build();

    /** A joined channel that records the pushes it was handed; {@code insider}: whether the caller is of its organization. */
    private static final class RecordingChannel implements ServedChannel {
        final List<List<String>> pushes = new ArrayList<>();
        final boolean insider;

        RecordingChannel(boolean insider) {
            this.insider = insider;
        }

        @Override public String channelId() { return CHANNEL; }
        @Override public long height() { return 3; }
        @Override public Ledger ledger() { throw new UnsupportedOperationException(); }
        @Override public CommitEvents events() { throw new UnsupportedOperationException(); }
        @Override public ContractDefinitions definitions() { throw new UnsupportedOperationException(); }
        @Override public ChannelContext context() { throw new UnsupportedOperationException(); }
        @Override public Optional<ValidatedIdentity> tlsCaller(X509Certificate certificate) { return Optional.empty(); }
        @Override public boolean isOrganizationMember(X509Certificate certificate) { return insider; }
        @Override public boolean isReader(X509Certificate certificate) { return insider; }
        @Override public HeartbeatResponse onHeartbeat(HeartbeatRequest request) { throw new UnsupportedOperationException(); }

        @Override
        public PushBlockResponse receivePush(Block block) {
            return receivePush(block, List.of());
        }

        @Override
        public PushBlockResponse receivePush(Block block, List<String> relayTo) {
            pushes.add(List.copyOf(relayTo));
            return PushBlockResponse.newBuilder().setOutcome(PushOutcome.COMMITTED).setHeight(4).build();
        }
    }

    private static final CallContext CALL = new CallContext() {
        @Override public String method() { return PeerMethodNames.PUSH_BLOCK; }
        // the stub channel decides membership without looking at the certificate
        @Override public List<X509Certificate> peerCertificates() { return Arrays.asList((X509Certificate) null); }
        @Override public String peerAddress() { return "127.0.0.1:1"; }
        @Override public Optional<Instant> deadline() { return Optional.empty(); }
        @Override public boolean isCancelled() { return false; }
        @Override public void onCancel(Runnable listener) {}
    };

    private static DisseminationHandlers handlers(RecordingChannel channel) {
        return new DisseminationHandlers(new ServedChannels(id -> id.equals(CHANNEL) ? Optional.of(channel) : Optional.empty(),
                "Org1", "peer0"));
    }

    private static ByteString push(List<String> relayTo) {
        return PushBlockRequest.newBuilder().setChannelId(CHANNEL).setBlock(BLOCK.toByteString()).addAllRelayTo(relayTo)
                .build().toByteString();
    }

    @Test
    void aPushHandsItsRelayListToTheChannel() throws Exception {
        RecordingChannel channel = new RecordingChannel(true);
        ByteString answer = handlers(channel).pushBlock(CALL, push(List.of("peer2", "peer3"))).get();
        assertThat(PushBlockResponse.parseFrom(answer).getOutcome()).isEqualTo(PushOutcome.COMMITTED);
        assertThat(channel.pushes).containsExactly(List.of("peer2", "peer3"));
    }

    @Test
    void aRelayListLongerThanTheCapIsRefusedWholeAndNothingIsCommittedOrRelayed() {
        RecordingChannel channel = new RecordingChannel(true);
        List<String> tooMany = Collections.nCopies(RelayTree.MAX_RELAY_IDS + 1, "peer2");
        assertThatThrownBy(() -> handlers(channel).pushBlock(CALL, push(tooMany)))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("RELAY_LIST_TOO_LONG");
        assertThat(channel.pushes).isEmpty();
    }

    @Test
    void anOverlongPeerIdInTheRelayListIsRefusedWholeAndNothingIsCommitted() {
        RecordingChannel channel = new RecordingChannel(true);
        assertThatThrownBy(() -> handlers(channel).pushBlock(CALL, push(List.of("peer2", "p".repeat(RelayTree.MAX_ID_LENGTH + 1)))))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("RELAY_ID_TOO_LONG");
        assertThat(channel.pushes).isEmpty();
    }

    @Test
    void aPeerOfAnotherOrganizationCannotPushOrHaveBlocksRelayed() {
        RecordingChannel channel = new RecordingChannel(false);
        assertThatThrownBy(() -> handlers(channel).pushBlock(CALL, push(List.of("peer2"))))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
        assertThat(channel.pushes).isEmpty();
    }
}
