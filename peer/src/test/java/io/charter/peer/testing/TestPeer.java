package io.charter.peer.testing;

import io.charter.peer.ledger.CommitHook;
import io.charter.peer.ledger.PostgresLedger;
import io.charter.peer.validation.BlockCommitter;
import io.charter.peer.validation.BlockValidator;
import io.charter.peer.validation.ChannelContext;
import io.charter.peer.validation.EndorsementPolicies;
import java.time.Clock;
import javax.sql.DataSource;

/** A peer's ledger, validator and committer for the fixture's channel on one database. */
public final class TestPeer implements AutoCloseable {

    public final PostgresLedger ledger;
    public final ChannelContext channel;
    public final BlockValidator validator;
    public final BlockCommitter committer;

    public TestPeer(DataSource dataSource, ChannelFixture fixture, CommitHook hook) {
        ledger = new PostgresLedger(dataSource, ChannelFixture.CHANNEL, hook);
        BlockCommitter.commitGenesis(ledger, fixture.genesis);
        channel = ChannelContext.of(ChannelContext.configOf(ledger.block(0).orElseThrow()), Clock.systemUTC());
        validator = new BlockValidator(channel, EndorsementPolicies.channelDefault(channel));
        committer = new BlockCommitter(ledger, validator);
    }

    public TestPeer(DataSource dataSource, ChannelFixture fixture) {
        this(dataSource, fixture, CommitHook.NONE);
    }

    @Override
    public void close() {
        validator.close();
    }
}
