package io.charter.orderer.consensus;

import io.charter.orderer.consensus.RaftMessages.Forwarded;
import io.charter.orderer.consensus.RaftMessages.SubmitReply;
import io.charter.protocol.Block;
import io.charter.protocol.Consenter;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What a channel asks of the Raft group that orders its blocks, and nothing more: the channel
 * ({@code io.charter.orderer.channel.ChannelOrderer}) cuts and signs blocks, checks envelopes and
 * keeps its configuration; this is the log its blocks go through and the members they reach.
 *
 * <p>It lives here rather than in {@code channel} so that the packages depend one way only (the
 * channel on its consensus); its signatures name no Ratis type, so that Ratis stays inside this
 * package. The one implementation runs the group on Apache Ratis (see {@link RaftNode#open}).
 * Members are named by their ids ({@link RaftIds#memberId}: the consenter's cluster endpoint).
 */
public interface ChannelConsensus extends AutoCloseable {

    /**
     * Appends {@code block} to the channel's log through this member, which must be the ready leader.
     *
     * @return true once the entry is committed (the channel hears of the block through
     *     {@link Listener#onBlockCommitted} or {@link Listener#onBlockDiscarded}); false, or failed,
     *     if the log did not take it (this member no longer leads, the group is not running)
     */
    CompletableFuture<Boolean> propose(Block block);

    /** Whether this member leads and has applied every entry of earlier terms: only then may it propose. */
    boolean isReadyLeader();

    /** The member this one sees as leader, if it knows one. */
    Optional<String> leader();

    /**
     * Sends a batch of envelopes this member checked to {@code leader}, whose channel answers through
     * {@link Listener#onSubmit}. Nothing is retried: the future fails if {@code leader} is this
     * member, cannot be reached or did not take the batch.
     *
     * @return the leader's replies, one per envelope, in order
     */
    CompletableFuture<List<SubmitReply>> forward(String leader, List<Forwarded> batch);

    /** The ids of the group's current members (empty if the group is not running here). */
    Set<String> members();

    /**
     * Changes the members to {@code consenters} (joint consensus). New members must have joined the
     * channel first; they catch up before they count.
     */
    void setConsenters(List<Consenter> consenters) throws IOException;

    /**
     * If this member leads, hands leadership to the live member with the most of the log, so that a
     * planned stop costs no election timeout.
     *
     * @return the member leading after the transfer; empty if this member did not lead, has no live
     *     member to hand over to, or the transfer did not finish within {@code timeout}
     */
    Optional<String> transferLeadership(Duration timeout);

    /**
     * The group's state as this member sees it.
     *
     * @throws IllegalStateException if the group is not running here (yet)
     */
    RaftStatus status();

    /** Takes a snapshot now (which lets the log be purged up to it); returns its log index. */
    long takeSnapshot(Duration timeout) throws IOException;

    /** Blocks fetched from other members while catching up and refused, per reason, since start. */
    Map<FetchedBlockRefusal.Reason, Long> fetchedBlocksRefused();

    /** Releases what this member holds for the channel; the group itself stops with its {@link RaftNode}. */
    @Override
    void close();

    /** What the consensus tells its channel. Called on consensus threads; must not block for long. */
    interface Listener {
        /** A block was appended to the store (applied from the log or fetched while catching up). */
        void onBlockCommitted(Block block);

        /** A log entry held a block that does not continue the chain; nothing was stored. */
        void onBlockDiscarded(Block block);

        /** Another member, or none known yet, or this one now leads. */
        void onLeaderChanged(boolean thisMemberLeads);

        /** This member leads and has applied every entry of earlier terms. */
        void onLeaderReady();

        /**
         * A batch of envelopes forwarded to this member by another orderer that checked them (sent to
         * the member it believes leads): one reply per envelope, in order.
         */
        CompletableFuture<List<SubmitReply>> onSubmit(List<Forwarded> batch);
    }
}
