package io.charter.peer.testing;

import io.charter.peer.ledger.CommitHook;
import io.charter.peer.ledger.CommittedConfig;
import io.charter.peer.ledger.PostgresLedger;
import io.charter.peer.validation.BlockCommitter;
import io.charter.peer.validation.BlockValidator;
import io.charter.peer.validation.ChannelContext;
import io.charter.peer.validation.CurrentConfig;
import io.charter.peer.validation.EndorsementPolicies;
import io.charter.protocol.ChannelConfig;
import java.time.Clock;
import javax.sql.DataSource;

/** A peer's ledger, validator and committer for the fixture's channel on one database. */
public final class TestPeer implements AutoCloseable {

    public final PostgresLedger ledger;
    /** The configuration in force when the peer was opened (the latest committed one). */
    public final ChannelContext channel;
    public final CurrentConfig config;
    public final BlockValidator validator;
    public final BlockCommitter committer;

    public TestPeer(DataSource dataSource, ChannelFixture fixture, CommitHook hook) {
        ledger = new PostgresLedger(dataSource, ChannelFixture.CHANNEL, hook);
        BlockCommitter.commitGenesis(ledger, fixture.genesis);
        ChannelConfig inForce = ledger.latestConfig().map(CommittedConfig::config)
                .orElseGet(() -> ChannelContext.configOf(ledger.block(0).orElseThrow()));
        config = new CurrentConfig(ChannelContext.of(inForce, Clock.systemUTC()), Clock.systemUTC());
        channel = config.get();
        validator = new BlockValidator(config, EndorsementPolicies.channelDefault(config));
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
