package io.charter.orderer.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.orderer.consensus.RaftMessages.Forwarded;
import io.charter.orderer.consensus.RaftMessages.SubmitReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LeaderForwarderTest {

    private static final byte UNAVAILABLE = SubmitResult.Status.UNAVAILABLE.code();
    private static final String FIRST = "first";
    private static final String SECOND = "second";

    /** The batches sent, each with the member it went to and a future the test completes. */
    private record Sent(String leader, List<Forwarded> batch, CompletableFuture<List<SubmitReply>> reply) {}

    private final List<Sent> sent = new ArrayList<>();
    private final AtomicReference<Optional<String>> leader = new AtomicReference<>(Optional.of(FIRST));
    private final LeaderForwarder forwarder = new LeaderForwarder(leader::get, (to, batch) -> {
        Sent call = new Sent(to, List.copyOf(batch), new CompletableFuture<>());
        sent.add(call);
        return call.reply();
    });

    @Test
    void envelopesQueuedWhileABatchIsInFlightGoTogetherInTheNextBatch() {
        CompletableFuture<SubmitReply> a = forwarder.forward(envelope("a"));
        CompletableFuture<SubmitReply> b = forwarder.forward(envelope("b"));
        CompletableFuture<SubmitReply> c = forwarder.forward(envelope("c"));
        assertThat(sent).hasSize(1);
        assertThat(txIds(sent.get(0))).containsExactly("a");

        sent.get(0).reply().complete(List.of(accepted()));
        assertThat(a).isCompletedWithValue(accepted());
        assertThat(sent).hasSize(2);
        assertThat(txIds(sent.get(1))).containsExactly("b", "c");
        assertThat(sent.get(1).leader()).isEqualTo(FIRST);

        SubmitReply duplicate = new SubmitReply(SubmitResult.Status.DUPLICATE_TXID.code(), 7, "already ordered");
        sent.get(1).reply().complete(List.of(accepted(), duplicate));
        assertThat(b).isCompletedWithValue(accepted());
        assertThat(c).isCompletedWithValue(duplicate);
        assertThat(forwarder.backlog()).isZero();
    }

    @Test
    void aLeaderChangeAnswersTheBatchInFlightAtOnceAndSendsTheNextToTheNewLeader() {
        CompletableFuture<SubmitReply> a = forwarder.forward(envelope("a"));
        CompletableFuture<SubmitReply> b = forwarder.forward(envelope("b"));
        assertThat(a).isNotDone();

        leader.set(Optional.of(SECOND));
        forwarder.leaderChanged();

        assertThat(a.join().status()).isEqualTo(UNAVAILABLE);
        assertThat(a.join().detail()).contains("leader changed");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).leader()).isEqualTo(SECOND);
        assertThat(txIds(sent.get(1))).containsExactly("b");

        // the old leader's late answer changes nothing and sends nothing
        sent.get(0).reply().complete(List.of(accepted()));
        assertThat(a.join().status()).isEqualTo(UNAVAILABLE);
        assertThat(sent).hasSize(2);
        assertThat(b).isNotDone();
    }

    @Test
    void aFailedBatchAnswersEachEnvelopeUnavailableAndTheNextBatchStillGoes() {
        CompletableFuture<SubmitReply> a = forwarder.forward(envelope("a"));
        CompletableFuture<SubmitReply> b = forwarder.forward(envelope("b"));
        sent.get(0).reply().completeExceptionally(new java.io.IOException("connection refused"));

        assertThat(a.join().status()).isEqualTo(UNAVAILABLE);
        assertThat(a.join().detail()).contains("connection refused");
        assertThat(txIds(sent.get(1))).containsExactly("b");
        assertThat(b).isNotDone();
    }

    @Test
    void aReplyWithTheWrongNumberOfAnswersCountsAsAFailure() {
        CompletableFuture<SubmitReply> a = forwarder.forward(envelope("a"));
        sent.get(0).reply().complete(List.of(accepted(), accepted()));

        assertThat(a.join().status()).isEqualTo(UNAVAILABLE);
        assertThat(a.join().detail()).contains("2 of 1");
    }

    @Test
    void withNoKnownLeaderNothingIsSentAndEnvelopesAreAnsweredUnavailable() {
        leader.set(Optional.empty());
        CompletableFuture<SubmitReply> a = forwarder.forward(envelope("a"));

        assertThat(a.join().status()).isEqualTo(UNAVAILABLE);
        assertThat(a.join().detail()).contains("no Raft leader");
        assertThat(sent).isEmpty();
        assertThat(forwarder.backlog()).isZero();
    }

    @Test
    void closingAnswersQueuedAndInFlightEnvelopesAndRefusesNewOnes() {
        CompletableFuture<SubmitReply> a = forwarder.forward(envelope("a"));
        CompletableFuture<SubmitReply> b = forwarder.forward(envelope("b"));
        forwarder.close();
        CompletableFuture<SubmitReply> c = forwarder.forward(envelope("c"));

        for (CompletableFuture<SubmitReply> reply : List.of(a, b, c)) {
            assertThat(reply.join().status()).isEqualTo(UNAVAILABLE);
        }
        assertThat(sent).hasSize(1);
    }

    @Test
    void aBatchStopsAtTheByteLimitButAlwaysCarriesOneEnvelope() {
        forwarder.forward(envelope("first", 10));
        int big = LeaderForwarder.MAX_BATCH_BYTES / 2 + 1;
        forwarder.forward(envelope("big1", big));
        forwarder.forward(envelope("big2", big));
        forwarder.forward(envelope("huge", LeaderForwarder.MAX_BATCH_BYTES + 1));
        sent.get(0).reply().complete(List.of(accepted()));
        assertThat(txIds(sent.get(1))).containsExactly("big1");
        sent.get(1).reply().complete(List.of(accepted()));
        assertThat(txIds(sent.get(2))).containsExactly("big2");
        sent.get(2).reply().complete(List.of(accepted()));
        assertThat(txIds(sent.get(3))).containsExactly("huge");
    }

    private static Forwarded envelope(String txId) {
        return envelope(txId, 16);
    }

    private static Forwarded envelope(String txId, int bytes) {
        return new Forwarded(ByteString.copyFrom(new byte[bytes]), txId, false);
    }

    private static SubmitReply accepted() {
        return new SubmitReply(BlockProducer.ACCEPTED, -1, "accepted");
    }

    private static List<String> txIds(Sent call) {
        return call.batch().stream().map(Forwarded::txId).toList();
    }
}
