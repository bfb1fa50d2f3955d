package io.charter.peer.delivery;

import io.charter.peer.validation.CommitResult;
import io.charter.peer.validation.PrevalidatedBlock;
import io.charter.protocol.Block;

/** Where fetched blocks go: one channel's validator and committer. */
public interface BlockSink {

    String channelId();

    /** The ledger height: the number of the next block to commit. */
    long height();

    /** The stateless checks (may run while an earlier block commits). */
    PrevalidatedBlock prevalidate(Block block);

    /** Commits in sequence; never throws for a bad block, answers {@link CommitResult.Refused}. */
    CommitResult commit(PrevalidatedBlock block);
}
