package io.charter.orderer.channel;

import io.charter.orderer.consensus.RaftMessages.Forwarded;
import io.charter.orderer.consensus.RaftMessages.SubmitReply;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A follower's path to its channel's Raft leader for the envelopes it checked and accepted.
 *
 * <p>Envelopes queue here; one batch at a time is in flight, carrying everything queued meanwhile
 * (up to {@link #MAX_BATCH_ENVELOPES} envelopes or {@link #MAX_BATCH_BYTES} bytes, at least one) in
 * a single message to the member this orderer currently sees as leader. So the number of messages
 * adapts to the load (one round trip collects the next batch), and envelopes submitted through one
 * orderer reach the leader in submission order unless a retry intervenes.
 *
 * <p>Nothing here retries: a batch that fails (no leader known, the leader unreachable or no longer
 * leading) answers each of its envelopes {@code UNAVAILABLE}, and the submitter routes it again
 * (see {@link ChannelOrderer}). When the leader changes, the batch in flight to the previous one is
 * given up at once ({@link #leaderChanged}): its envelopes are answered {@code UNAVAILABLE}, and the
 * next batch goes to the new leader, instead of waiting behind calls to a dead one. Giving up on a
 * batch the old leader did take is safe: the new leader refuses a tx id it finds committed or
 * pending, so a resubmission never orders an envelope twice.
 */
final class LeaderForwarder {

    static final int MAX_BATCH_ENVELOPES = 2_000;
    static final int MAX_BATCH_BYTES = 4 * 1024 * 1024;

    /** Sends one batch to a member, named by its consensus member id; one reply per envelope, in order. */
    interface Link {
        CompletableFuture<List<SubmitReply>> send(String leader, List<Forwarded> batch);
    }

    private record Item(Forwarded envelope, CompletableFuture<SubmitReply> reply) {}

    private record Batch(String leader, List<Item> items) {}

    private final Supplier<Optional<String>> leader;
    private final Link link;
    private final Deque<Item> queue = new ArrayDeque<>();
    private Batch inFlight;
    private boolean closed;

    LeaderForwarder(Supplier<Optional<String>> leader, Link link) {
        this.leader = leader;
        this.link = link;
    }

    /** Queues an envelope for the leader; the reply says whether the leader took it. */
    CompletableFuture<SubmitReply> forward(Forwarded envelope) {
        Item item = new Item(envelope, new CompletableFuture<>());
        boolean refused;
        synchronized (this) {
            refused = closed;
            if (!refused) {
                queue.add(item);
            }
        }
        if (refused) {
            item.reply().complete(unavailable("this orderer is stopping"));
        } else {
            sendNext();
        }
        return item.reply();
    }

    /** The number of envelopes queued or in flight (for tests and metrics). */
    synchronized int backlog() {
        return queue.size() + (inFlight == null ? 0 : inFlight.items().size());
    }

    /** The leader changed: stop waiting for the batch sent to the previous one and send to the new one. */
    void leaderChanged() {
        Batch abandoned;
        synchronized (this) {
            abandoned = inFlight;
            inFlight = null;
        }
        if (abandoned != null) {
            answerAll(abandoned.items(), unavailable("the leader changed while " + abandoned.leader()
                    + " had the envelope; resubmitting"));
        }
        sendNext();
    }

    /** Answers everything queued or in flight UNAVAILABLE and refuses new envelopes. */
    void close() {
        List<Item> dropped = new ArrayList<>();
        synchronized (this) {
            closed = true;
            dropped.addAll(queue);
            queue.clear();
            if (inFlight != null) {
                dropped.addAll(inFlight.items());
                inFlight = null;
            }
        }
        answerAll(dropped, unavailable("this orderer is stopping"));
    }

    private void sendNext() {
        Batch batch;
        List<Item> noLeader = List.of();
        synchronized (this) {
            if (inFlight != null || queue.isEmpty() || closed) {
                return;
            }
            Optional<String> target = leader.get();
            if (target.isEmpty()) {
                noLeader = new ArrayList<>(queue);
                queue.clear();
                batch = null;
            } else {
                List<Item> items = new ArrayList<>(Math.min(queue.size(), MAX_BATCH_ENVELOPES));
                long bytes = 0;
                while (!queue.isEmpty() && items.size() < MAX_BATCH_ENVELOPES) {
                    int size = queue.peekFirst().envelope().envelope().size();
                    if (!items.isEmpty() && bytes + size > MAX_BATCH_BYTES) {
                        break;
                    }
                    items.add(queue.pollFirst());
                    bytes += size;
                }
                batch = new Batch(target.get(), items);
                inFlight = batch;
            }
        }
        if (batch == null) {
            answerAll(noLeader, unavailable("no Raft leader is known for the channel"));
            return;
        }
        List<Forwarded> envelopes = new ArrayList<>(batch.items().size());
        batch.items().forEach(item -> envelopes.add(item.envelope()));
        CompletableFuture<List<SubmitReply>> sent;
        try {
            sent = link.send(batch.leader(), envelopes);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        Batch sentBatch = batch;
        sent.whenComplete((replies, error) -> finish(sentBatch, replies, error));
    }

    private void finish(Batch batch, List<SubmitReply> replies, Throwable error) {
        synchronized (this) {
            if (inFlight != batch) {
                return; // given up on a leader change; its envelopes were answered then
            }
            inFlight = null;
        }
        if (error != null || replies == null || replies.size() != batch.items().size()) {
            answerAll(batch.items(), unavailable("forwarding to the leader " + batch.leader() + " failed: "
                    + (error != null ? String.valueOf(error.getMessage())
                            : "it answered " + (replies == null ? 0 : replies.size()) + " of " + batch.items().size()
                                    + " envelopes")));
        } else {
            for (int i = 0; i < replies.size(); i++) {
                batch.items().get(i).reply().complete(replies.get(i));
            }
        }
        sendNext();
    }

    private static void answerAll(List<Item> items, SubmitReply reply) {
        for (Item item : items) {
            item.reply().complete(reply);
        }
    }

    static SubmitReply unavailable(String detail) {
        return new SubmitReply(SubmitResult.Status.UNAVAILABLE.code(), -1, detail);
    }
}
