package io.charter.orderer.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.orderer.consensus.RaftMessages.Forwarded;
import io.charter.orderer.consensus.RaftMessages.SubmitReply;
import java.util.Arrays;
import java.util.List;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class RaftMessagesTest {

    private final List<Forwarded> batch = List.of(
            new Forwarded(com.google.protobuf.ByteString.copyFromUtf8("envelope one"), "tx-1", false),
            new Forwarded(com.google.protobuf.ByteString.EMPTY, "tx-é", true),
            new Forwarded(com.google.protobuf.ByteString.copyFrom(new byte[5000]), "tx-3", false));

    @Test
    void theKindBytesArePinned() {
        // they are in every Raft log entry and request between orderers: changing one breaks mixed versions
        assertThat(RaftMessages.BLOCK).isEqualTo((byte) 0x01);
        assertThat(RaftMessages.FETCH_BLOCKS).isEqualTo((byte) 0x11);
        assertThat(RaftMessages.SNAPSHOT_INFO).isEqualTo((byte) 0x12);
        assertThat(RaftMessages.SUBMIT).isEqualTo((byte) 0x13);
    }

    @Test
    void aSubmitBatchReadsBackAsSent() {
        ByteString content = RaftMessages.submit(batch).getContent();

        assertThat(RaftMessages.kind(content)).isEqualTo(RaftMessages.SUBMIT);
        assertThat(RaftMessages.parseSubmit(content)).isEqualTo(batch);
    }

    @Test
    void anEmptyBatchReadsBackEmpty() {
        assertThat(RaftMessages.parseSubmit(RaftMessages.submit(List.of()).getContent())).isEmpty();
    }

    @Test
    void aTruncatedSubmitIsRefused() {
        byte[] bytes = RaftMessages.submit(batch).getContent().toByteArray();
        for (int length : new int[] {1, 3, 8, bytes.length - 1}) {
            ByteString truncated = ByteString.copyFrom(Arrays.copyOf(bytes, length));
            assertThatThrownBy(() -> RaftMessages.parseSubmit(truncated))
                    .as("first %d bytes", length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aSubmitWithTrailingBytesOrAnotherKindIsRefused() {
        ByteString trailing = RaftMessages.submit(batch).getContent().concat(ByteString.copyFrom(new byte[] {0}));
        assertThatThrownBy(() -> RaftMessages.parseSubmit(trailing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailing");
        assertThatThrownBy(() -> RaftMessages.parseSubmit(RaftMessages.snapshotInfo().getContent()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a SUBMIT");
    }

    @Test
    void submitRepliesReadBackInOrder() {
        List<SubmitReply> replies = List.of(new SubmitReply((byte) 0, 12, "committed"),
                new SubmitReply((byte) 0xFF, -1, ""), new SubmitReply((byte) 3, -1, "déjà"));

        assertThat(SubmitReply.parseAll(SubmitReply.toMessage(replies).getContent())).isEqualTo(replies);
    }

    @Test
    void aTruncatedReplyIsRefused() {
        byte[] bytes = SubmitReply.toMessage(List.of(new SubmitReply((byte) 0, 1, "detail"))).getContent().toByteArray();
        ByteString truncated = ByteString.copyFrom(Arrays.copyOf(bytes, bytes.length - 2));
        assertThatThrownBy(() -> SubmitReply.parseAll(truncated)).isInstanceOf(IllegalArgumentException.class);
    }
}
